/**
 * What is deployed for a demo on a target, from its ledger, for `status` (and `status --json`):
 * each resource with its kind, name, ARN, since when, and on real AWS a console link.
 * This module loads no SDK code.
 */
import type { Ledger, LedgerEntryState } from './ledger.js';
import type { ResourceKind } from './resourceTypes.js';
import type { TargetInfo } from './types.js';

export interface DeployedResource {
  kind: ResourceKind;
  name: string;
  arn?: string;
  /** `intended`: the process stopped before the create was confirmed; it may or may not exist. */
  state: Exclude<LedgerEntryState, 'deleted'>;
  /** ISO time it was created (or first intended, if unconfirmed). */
  since: string;
  /** The function a permission belongs to. */
  parent?: string;
  consoleUrl?: string;
}

export interface DeploymentDescription {
  demo: string;
  runId: string;
  targetId: string;
  createdAt: string;
  ledgerFile: string;
  resources: DeployedResource[];
}

/** Console link for a resource (real AWS only). */
export function consoleUrl(
  info: Pick<TargetInfo, 'region' | 'consoleBase'>,
  kind: ResourceKind,
  name: string,
  arn?: string,
  parent?: string,
): string | undefined {
  if (!info.consoleBase) return undefined;
  const r = info.region;
  const base = info.consoleBase;
  switch (kind) {
    case 's3-bucket':
      return `https://s3.console.aws.amazon.com/s3/buckets/${encodeURIComponent(name)}?region=${r}`;
    case 'iam-role':
      return `https://console.aws.amazon.com/iam/home#/roles/details/${encodeURIComponent(name)}`;
    case 'log-group':
      // The CloudWatch console wants the name URL-encoded twice, with '%' spelt '$25'.
      return `${base}/cloudwatch/home?region=${r}#logsV2:log-groups/log-group/${encodeURIComponent(name).replace(/%/g, '$25')}`;
    case 'lambda-function':
      return `${base}/lambda/home?region=${r}#/functions/${encodeURIComponent(name)}`;
    case 'lambda-permission':
      return parent
        ? `${base}/lambda/home?region=${r}#/functions/${encodeURIComponent(parent)}?tab=configure`
        : undefined;
    case 'events-rule':
      return `${base}/events/home?region=${r}#/eventbus/default/rules/${encodeURIComponent(name)}`;
    case 'state-machine':
      return arn
        ? `${base}/states/home?region=${r}#/statemachines/view/${encodeURIComponent(arn)}`
        : undefined;
    case 'alarm':
      return `${base}/cloudwatch/home?region=${r}#alarmsV2:alarm/${encodeURIComponent(name)}`;
    case 'log-resource-policy':
      // Listed under CloudWatch Logs settings, with no page of its own.
      return undefined;
    case 'metric-filter':
      // Filters are shown on their log group's page.
      return parent
        ? `${base}/cloudwatch/home?region=${r}#logsV2:log-groups/log-group/${encodeURIComponent(parent).replace(/%/g, '$25')}`
        : undefined;
  }
}

export function describeDeployment(
  ledger: Ledger,
  info: Pick<TargetInfo, 'region' | 'consoleBase'>,
): DeploymentDescription {
  return {
    demo: ledger.demo,
    runId: ledger.runId,
    targetId: ledger.targetId,
    createdAt: ledger.createdAt,
    ledgerFile: ledger.file,
    resources: ledger.live().map((e) => ({
      kind: e.kind,
      name: e.name,
      ...(e.arn ? { arn: e.arn } : {}),
      state: e.state as 'intended' | 'created',
      since: e.createdAt ?? e.intendedAt,
      ...(e.parent ? { parent: e.parent } : {}),
      ...(() => {
        const url = consoleUrl(info, e.kind, e.name, e.arn, e.parent);
        return url ? { consoleUrl: url } : {};
      })(),
    })),
  };
}
