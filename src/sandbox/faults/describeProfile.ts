/** A profile in one line, for the sandbox's start banner and a demo run's opening note. */
import { isBuiltinProfileName } from './builtinProfiles.js';
import { hasAnyFault, type FaultProfile, type RequestFaultRates } from './profile.js';

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

function rateText(r: Partial<RequestFaultRates>): string[] {
  const parts: string[] = [];
  if (r.throttling) parts.push(`${percent(r.throttling)} throttled`);
  if (r.serverErrors) parts.push(`${percent(r.serverErrors)} server errors`);
  if (r.latencyMs || r.jitterMs) parts.push(`${r.latencyMs ?? 0} ± ${r.jitterMs ?? 0} ms latency`);
  return parts;
}

/** e.g. `aws-like (seed 42): 10% throttled, 2% server errors, 50 ± 25 ms latency, IAM propagation 10 s, …`. */
export function describeFaultProfile(p: FaultProfile): string {
  if (!hasAnyFault(p)) return `${p.name}: no faults`;
  const parts = rateText(p.rates);
  if (p.iamPropagationSeconds) parts.push(`IAM propagation ${p.iamPropagationSeconds} s`);
  if (p.lambdaPendingSeconds) parts.push(`Lambda Pending ${p.lambdaPendingSeconds} s`);
  if (p.ruleDelaySeconds) parts.push(`new rules/targets ${p.ruleDelaySeconds} s`);
  if (p.metricDelaySeconds) parts.push(`metric data ${p.metricDelaySeconds} s late`);
  for (const [service, o] of p.services) {
    const changes = [
      ...rateText(o.rates),
      ...[...o.operations].map(([op, r]) => `${op} ${rateText(r).join(' ') || 'none'}`),
    ];
    if (changes.length) parts.push(`${service}: ${changes.join(', ')}`);
  }
  if (p.roleSessions) parts.push('role sessions too');
  const delays =
    p.iamPropagationSeconds || p.lambdaPendingSeconds || p.ruleDelaySeconds || p.metricDelaySeconds;
  return `${p.name} (seed ${p.seed}): ${parts.join(', ')}${delays ? ' (delays in sandbox seconds)' : ''}`;
}

/** How to meet the same faults again, e.g. `aws-like:42`, or a file with its seed written in. */
export function replayHint(p: FaultProfile): string {
  if (isBuiltinProfileName(p.name)) return `${p.name}:${p.seed}`;
  return p.seedDrawn ? `${p.name} with "seed": ${p.seed} added to it` : p.name;
}
