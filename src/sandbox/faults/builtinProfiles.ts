/**
 * The profiles that need no file: `none` (the default: the sandbox as it always was), `aws-like`
 * (an ordinary bad day on AWS) and `hostile` (a very bad one, for stress). `hostile` differs from
 * `aws-like` only in its request rates, so a run that passes `aws-like` and fails `hostile` points
 * at retries, not at timing.
 */
import type { FaultProfile } from './profile.js';

export type BuiltinProfileName = 'none' | 'aws-like' | 'hostile';

type ProfileTemplate = Omit<FaultProfile, 'name' | 'seed' | 'seedDrawn'>;

const NONE: ProfileTemplate = {
  rates: { throttling: 0, serverErrors: 0, latencyMs: 0, jitterMs: 0 },
  services: new Map(),
  roleSessions: false,
  iamPropagationSeconds: 0,
  lambdaPendingSeconds: 0,
  ruleDelaySeconds: 0,
  metricDelaySeconds: 0,
};

const AWS_LIKE: ProfileTemplate = {
  ...NONE,
  rates: { throttling: 0.1, serverErrors: 0.02, latencyMs: 50, jitterMs: 25 },
  iamPropagationSeconds: 10,
  lambdaPendingSeconds: 2,
  // EventBridge documents that new rules and targets take "a short period of time" to take effect.
  ruleDelaySeconds: 5,
  // AWS's own metrics (AWS/Lambda, AWS/Events, AWS/States) and metric filters' reach GetMetricData
  // and alarms one to three minutes after the fact.
  metricDelaySeconds: 120,
};

const HOSTILE: ProfileTemplate = {
  ...AWS_LIKE,
  rates: { ...AWS_LIKE.rates, throttling: 0.3, serverErrors: 0.1 },
};

const TEMPLATES: ReadonlyMap<BuiltinProfileName, ProfileTemplate> = new Map([
  ['none', NONE],
  ['aws-like', AWS_LIKE],
  ['hostile', HOSTILE],
]);

export const BUILTIN_PROFILE_NAMES: readonly BuiltinProfileName[] = [...TEMPLATES.keys()];

export function isBuiltinProfileName(name: string): name is BuiltinProfileName {
  return TEMPLATES.has(name as BuiltinProfileName);
}

/** A fresh copy of a built-in profile (its maps are the caller's to change). */
export function builtinProfile(name: BuiltinProfileName, seed: number, seedDrawn: boolean): FaultProfile {
  const t = TEMPLATES.get(name)!;
  return { ...t, rates: { ...t.rates }, services: new Map(), name, seed, seedDrawn };
}
