/** CreateStateMachine, Describe, Update, List, Delete, and tagging. */
import { runInBackground, type SandboxLog } from '../background.js';
import { randomUUID } from 'node:crypto';
import type { IamDirectory, LogResourcePolicies } from '../contracts.js';
import { AwsError } from '../errors.js';
import type { OperationContext, OperationHandler } from '../protocols/types.js';
import { Validator } from '../validate.js';
import { checkSupportedResources, validateDefinition } from './definition.js';
import { parseLogGroupArn } from './executionLogs.js';
import { checkLogDelivery } from './logDelivery.js';
import {
  SfnErrors,
  checkName,
  checkStateMachineArn,
  parseStatesArn,
  roleArnIsWellFormed,
  stateMachineArn,
} from './names.js';
import { page } from './paging.js';
import type { LoggingConfiguration, StateMachineRecord, StateMachineType } from './records.js';
import type { Registry } from './registry.js';
import type { ExecutionRunner } from './runner.js';
import type { SandboxClock } from '../clock.js';

export interface StateMachineOpsDeps {
  registry: Registry;
  runner: ExecutionRunner;
  iam: IamDirectory;
  logPolicies: LogResourcePolicies;
  clock: SandboxClock;
  /** The sandbox's own log, for background work that fails. */
  log?: SandboxLog;
}

type Tag = { key: string; value: string };
const MAX_TAGS = 50;

function loggingConfigOf(raw: unknown): LoggingConfiguration {
  if (raw === undefined || raw === null)
    return { level: 'OFF', includeExecutionData: false, destinations: [] };
  const v = new Validator(raw as Record<string, unknown>);
  const level = (v.string('level', { enum: ['ALL', 'ERROR', 'FATAL', 'OFF'] }) ??
    'OFF') as LoggingConfiguration['level'];
  const includeExecutionData = v.boolean('includeExecutionData') ?? false;
  const destinations = v.list<Record<string, unknown>>('destinations') ?? [];
  v.check();
  const bad = (why: string) =>
    new AwsError('InvalidLoggingConfiguration', `Invalid Logging Configuration: ${why}`);
  if (level !== 'OFF' && destinations.length !== 1) throw bad('Must specify exactly one Log Destination.');
  if (destinations.length > 1) throw bad('Must specify exactly one Log Destination.');
  const out: LoggingConfiguration['destinations'] = [];
  for (const d of destinations) {
    const arn = (d?.cloudWatchLogsLogGroup as { logGroupArn?: unknown } | undefined)?.logGroupArn;
    // AWS's wording for the most common slip, the group's own ARN without the `:*` qualifier.
    if (typeof arn === 'string' && parseLogGroupArn(`${arn}:*`)) {
      throw bad("Log Group ARN must be provided with '*' qualifier.");
    }
    if (typeof arn !== 'string' || !parseLogGroupArn(arn)) {
      throw bad(
        `Log Destination not formatted correctly: '${String(arn)}'. Expected a CloudWatch Logs log group ARN ending with ':*', e.g. arn:aws:logs:us-east-1:000000000000:log-group:my-group:*`,
      );
    }
    out.push({ cloudWatchLogsLogGroup: { logGroupArn: arn } });
  }
  return { level, includeExecutionData, destinations: out };
}

function checkTags(raw: unknown, member = 'tags'): Tag[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw))
    throw new AwsError('SerializationException', `Start of list found where not expected at '${member}'`);
  for (const t of raw as Tag[]) {
    if (typeof t?.key !== 'string' || t.key.length < 1 || t.key.length > 128) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value at '${member}.member.key' failed to satisfy constraint: Member must have length between 1 and 128`,
      );
    }
  }
  return (raw as Tag[]).map((t) => ({ key: t.key, value: String(t.value ?? '') }));
}

export function stateMachineOperations(deps: StateMachineOpsDeps): Record<string, OperationHandler> {
  const { registry, runner, iam, logPolicies, clock } = deps;

  const checkRole = (roleArn: string): void => {
    if (!roleArnIsWellFormed(roleArn)) throw SfnErrors.invalidArn(roleArn, 'Invalid ARN prefix');
    if (!iam.findRoleByArn(roleArn) || !iam.roleTrustsService(roleArn, 'states.amazonaws.com')) {
      throw new AwsError(
        'AccessDeniedException',
        'Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role.',
      );
    }
  };

  const find = (arnInput: unknown, ctx: OperationContext, member = 'stateMachineArn'): StateMachineRecord => {
    const arn = checkStateMachineArn(arnInput, member);
    const sm = registry.stateMachines[arn];
    if (!sm || sm.region !== ctx.region) throw SfnErrors.stateMachineDoesNotExist(arn);
    return sm;
  };

  const describe = (sm: StateMachineRecord) => ({
    stateMachineArn: sm.arn,
    name: sm.name,
    status: sm.status,
    definition: sm.definition,
    roleArn: sm.roleArn,
    type: sm.type,
    creationDate: sm.creationDate / 1000,
    loggingConfiguration: sm.loggingConfiguration,
    tracingConfiguration: { enabled: false },
    revisionId: sm.revisionId,
  });

  const resourceTags = (arn: unknown): StateMachineRecord => {
    const p = parseStatesArn(arn, 'resourceArn');
    const sm = p.resourceType === 'stateMachine' ? registry.stateMachines[arn as string] : undefined;
    if (!sm) throw new AwsError('ResourceNotFound', `Resource not found: '${String(arn)}'`);
    return sm;
  };

  return {
    CreateStateMachine: (input: Record<string, unknown>, ctx) => {
      const v = new Validator(input);
      const name = v.string('name', { required: true, min: 1, max: 80 });
      const definition = v.string('definition', { required: true, min: 1, max: 1048576 });
      const roleArn = v.string('roleArn', { required: true, min: 1, max: 256 });
      const type = (v.string('type', { enum: ['STANDARD', 'EXPRESS'] }) ?? 'STANDARD') as StateMachineType;
      v.check();
      checkName(name!);
      const def = validateDefinition(definition!);
      checkSupportedResources(def);
      checkRole(roleArn!);
      const loggingConfiguration = loggingConfigOf(input.loggingConfiguration);
      const tags = checkTags(input.tags);
      checkLogDelivery(logPolicies, roleArn!, loggingConfiguration);
      if (tags.length > MAX_TAGS) throw new AwsError('TooManyTags', 'Too many tags: the limit is 50.');
      const arn = stateMachineArn(ctx.region, name!);
      const existing = registry.stateMachines[arn];
      if (existing) {
        const same =
          existing.definition === definition &&
          existing.roleArn === roleArn &&
          existing.type === type &&
          JSON.stringify(existing.loggingConfiguration) === JSON.stringify(loggingConfiguration);
        if (!same || existing.status === 'DELETING') {
          throw new AwsError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
        }
        return { stateMachineArn: arn, creationDate: existing.creationDate / 1000 };
      }
      const record: StateMachineRecord = {
        arn,
        name: name!,
        region: ctx.region,
        type,
        definition: definition!,
        roleArn: roleArn!,
        loggingConfiguration,
        creationDate: clock.now(),
        status: 'ACTIVE',
        tags,
      };
      registry.stateMachines[arn] = record;
      registry.changed();
      return { stateMachineArn: arn, creationDate: record.creationDate / 1000 };
    },

    DescribeStateMachine: (input: Record<string, unknown>, ctx) => describe(find(input.stateMachineArn, ctx)),

    UpdateStateMachine: (input: Record<string, unknown>, ctx) => {
      const sm = find(input.stateMachineArn, ctx);
      const v = new Validator(input);
      const definition = v.string('definition', { min: 1, max: 1048576 });
      const roleArn = v.string('roleArn', { min: 1, max: 256 });
      v.check();
      if (definition === undefined && roleArn === undefined && input.loggingConfiguration === undefined) {
        throw SfnErrors.missingParameter(
          'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
        );
      }
      if (sm.status === 'DELETING')
        throw new AwsError('StateMachineDeleting', `State machine is being deleted: '${sm.arn}'`);
      if (definition !== undefined) checkSupportedResources(validateDefinition(definition));
      if (roleArn !== undefined) checkRole(roleArn);
      const logging =
        input.loggingConfiguration === undefined ? undefined : loggingConfigOf(input.loggingConfiguration);
      // Delivery is set up again whenever the logging or the role that sets it up changes.
      if (logging !== undefined || roleArn !== undefined) {
        checkLogDelivery(logPolicies, roleArn ?? sm.roleArn, logging ?? sm.loggingConfiguration);
      }
      if (definition !== undefined) sm.definition = definition;
      if (roleArn !== undefined) sm.roleArn = roleArn;
      if (logging) sm.loggingConfiguration = logging;
      sm.updateDate = clock.now();
      sm.revisionId = randomUUID();
      registry.changed();
      return { updateDate: sm.updateDate / 1000, revisionId: sm.revisionId };
    },

    ListStateMachines: (input: Record<string, unknown>, ctx) => {
      const all = Object.values(registry.stateMachines)
        .filter((s) => s.region === ctx.region)
        .sort((a, b) => a.creationDate - b.creationDate || a.name.localeCompare(b.name));
      const p = page(
        all,
        input.maxResults as number | undefined,
        input.nextToken as string | undefined,
        'sm',
      );
      return {
        stateMachines: p.items.map((s) => ({
          stateMachineArn: s.arn,
          name: s.name,
          type: s.type,
          creationDate: s.creationDate / 1000,
        })),
        nextToken: p.nextToken,
      };
    },

    DeleteStateMachine: (input: Record<string, unknown>, ctx) => {
      const arn = checkStateMachineArn(input.stateMachineArn);
      const sm = registry.stateMachines[arn];
      if (!sm || sm.region !== ctx.region || sm.status === 'DELETING') return {};
      sm.status = 'DELETING';
      registry.changed();
      // Gone once its running executions have been stopped, as on AWS.
      const deleteWhenStopped = async (): Promise<void> => {
        await Promise.all(
          runner.runningOf(arn).map((e) =>
            runner.stop(e, {
              status: 'ABORTED',
              error: 'States.Runtime',
              cause: 'The state machine was deleted.',
            }),
          ),
        );
        for (const e of Object.values(registry.executions)) {
          if (e.stateMachineArn === arn) registry.deleteExecution(e.executionArn);
        }
        delete registry.stateMachines[arn];
        registry.changed();
      };
      runInBackground(`stepfunctions: deleting ${arn}`, deleteWhenStopped, deps.log ?? (() => undefined));
      return {};
    },

    TagResource: (input: Record<string, unknown>) => {
      const sm = resourceTags(input.resourceArn);
      const tags = checkTags(input.tags);
      const merged = new Map(sm.tags.map((t) => [t.key, t.value]));
      for (const t of tags) merged.set(t.key, t.value);
      if (merged.size > MAX_TAGS) throw new AwsError('TooManyTags', 'Too many tags: the limit is 50.');
      sm.tags = [...merged].map(([key, value]) => ({ key, value }));
      registry.changed();
      return {};
    },

    UntagResource: (input: Record<string, unknown>) => {
      const sm = resourceTags(input.resourceArn);
      const keys = Array.isArray(input.tagKeys) ? (input.tagKeys as string[]) : [];
      sm.tags = sm.tags.filter((t) => !keys.includes(t.key));
      registry.changed();
      return {};
    },

    ListTagsForResource: (input: Record<string, unknown>) => ({ tags: resourceTags(input.resourceArn).tags }),
  };
}
