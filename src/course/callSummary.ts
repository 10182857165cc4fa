/**
 * How recorded SDK calls are shown: a one-line summary after each step ("3 calls: s3:CreateBucket,
 * iam:CreateRole ×2") and the detailed list with AWS CLI v2 equivalents for "show details".
 */
import { cliServiceName } from '../cloud/cliEquivalent.js';
import type { CallLog, RecordedCall } from '../cloud/types.js';

/** The AWS CLI's service names, except S3: `s3:PutObject` reads better than the CLI's `s3api:PutObject`. */
function serviceName(sdkServiceId: string): string {
  if (sdkServiceId === 'S3') return 's3';
  return cliServiceName(sdkServiceId) ?? sdkServiceId.toLowerCase().replace(/\s+/g, '-');
}

export function callName(call: RecordedCall): string {
  const service = serviceName(call.service);
  return `${service}:${call.operation}`;
}

export function summarizeCalls(calls: RecordedCall[]): string {
  if (calls.length === 0) return 'no AWS calls';
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(callName(c), (counts.get(callName(c)) ?? 0) + 1);
  const names = [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name));
  const errors = calls.filter((c) => c.outcome === 'error').length;
  const shown = names.length > 8 ? [...names.slice(0, 8), `… ${names.length - 8} more`] : names;
  const tail = errors > 0 ? ` (${errors} returned an error)` : '';
  return `${calls.length} call${calls.length === 1 ? '' : 's'}: ${shown.join(', ')}${tail}`;
}

export interface CallDetail {
  name: string;
  outcome: string;
  cli: string;
}

export function callDetails(calls: RecordedCall[], log: CallLog): CallDetail[] {
  return calls.map((c) => ({
    name: callName(c),
    outcome:
      c.outcome === 'ok'
        ? `ok in ${Math.round(c.durationMs)} ms`
        : `${c.errorName ?? 'error'}: ${c.errorMessage ?? ''}`.trim(),
    cli: log.toCli(c),
  }));
}
