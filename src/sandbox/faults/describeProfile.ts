/** A profile in one line, for the sandbox's start banner and a demo run's opening note. */
import { isBuiltinProfileName } from './builtinProfiles.js';
import { hasAnyFault, type FaultProfile, type RequestFaultRates } from './profile.js';

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

function rateText(r: Partial<RequestFaultRates>): string[] {
  const parts: string[] = [];
  if (r.throttling !== undefined) parts.push(`${percent(r.throttling)} throttled`);
  if (r.serverErrors !== undefined) parts.push(`${percent(r.serverErrors)} server errors`);
  if (r.latencyMs !== undefined || r.jitterMs !== undefined) {
    parts.push(`${r.latencyMs ?? 0} ± ${r.jitterMs ?? 0} ms latency`);
  }
  return parts;
}

/** e.g. `aws-like (seed 42): 10% throttled, 2% server errors, 50 ± 25 ms latency, IAM propagation 10 s, …`. */
export function describeFaultProfile(p: FaultProfile): string {
  if (!hasAnyFault(p)) return `${p.name}: no faults`;
  const parts = rateText(p.rates);
  parts.push(
    `IAM propagation ${p.iamPropagationSeconds} s`,
    `Lambda Pending ${p.lambdaPendingSeconds} s`,
    `new rules/targets ${p.ruleDelaySeconds} s`,
  );
  for (const [service, o] of p.services) {
    const own = rateText(o.rates);
    const ops = [...o.operations].map(([op, r]) => `${op}: ${rateText(r).join(', ')}`);
    parts.push(`${service} ${[...own, ...ops].join('; ') || 'as above'}`);
  }
  if (p.roleSessions) parts.push('role sessions too');
  return `${p.name} (seed ${p.seed}): ${parts.join(', ')} (delays in sandbox seconds)`;
}

/** How to meet the same faults again, e.g. `aws-like:42`, or a file with its seed written in. */
export function replayHint(p: FaultProfile): string {
  if (isBuiltinProfileName(p.name)) return `${p.name}:${p.seed}`;
  return p.seedDrawn ? `${p.name} with "seed": ${p.seed} added to it` : p.name;
}
