/**
 * Parsing and checking command-line values: target flags, phases, time-scale, ports. Each problem
 * becomes a UsageError whose message names the flag and what it accepts.
 */
import { InvalidArgumentError } from 'commander';
import type { TargetSpec } from '../cloud/types.js';
import { PHASES, type PhaseId } from '../course/model.js';
import { UsageError } from './errors.js';

export const TARGETS = ['sandbox', 'aws'] as const;
/** On the sandbox a `rate(1 minute)` schedule then fires about every 2 s. */
export const DEFAULT_SANDBOX_TIME_SCALE = 30;
export const DEFAULT_SANDBOX_PORT = 4599;

export interface TargetFlags {
  target?: (typeof TARGETS)[number];
  endpoint?: string;
  profile?: string;
  region?: string;
  timeScale?: number;
}

export function parseTimeScale(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(n) || n <= 0 || n > 3600) {
    throw new InvalidArgumentError('expected a number greater than 0 and at most 3600, e.g. 30.');
  }
  return n;
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) {
    throw new InvalidArgumentError('expected a port number from 1 to 65535 (0 picks a free one).');
  }
  return n;
}

export function parseRegion(value: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(value)) {
    throw new InvalidArgumentError('expected an AWS region such as us-east-1 or eu-west-2.');
  }
  return value;
}

/** Collects repeated --phase values, each one checked. */
export function collectPhase(value: string, previous: PhaseId[] | undefined): PhaseId[] {
  if (!(PHASES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${PHASES.join(', ')}.`);
  }
  return [...(previous ?? []), value as PhaseId];
}

/** Phases must be given in course order, each once. */
export function checkPhaseOrder(phases: PhaseId[] | undefined): PhaseId[] | undefined {
  if (!phases || phases.length === 0) return undefined;
  for (let i = 1; i < phases.length; i++) {
    const prev = PHASES.indexOf(phases[i - 1]!);
    const cur = PHASES.indexOf(phases[i]!);
    if (cur <= prev) {
      throw new UsageError(
        `--phase ${phases[i]} after --phase ${phases[i - 1]} is out of order: give phases in course order (${PHASES.join(', ')}), each once.`,
      );
    }
  }
  return phases;
}

/** The target the flags ask for; `undefined` kind when the user named none. */
export function targetSpecFrom(flags: TargetFlags): TargetSpec | undefined {
  if (flags.endpoint !== undefined) {
    if (flags.target) {
      throw new UsageError(
        `--endpoint and --target ${flags.target} cannot be combined: --endpoint already names the target.`,
      );
    }
    let url: URL;
    try {
      url = new URL(flags.endpoint);
    } catch {
      throw new UsageError(`--endpoint needs a URL such as http://localhost:4566, got "${flags.endpoint}".`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`--endpoint needs an http or https URL, got "${flags.endpoint}".`);
    }
    return { kind: 'endpoint', endpoint: flags.endpoint, profile: flags.profile, region: flags.region };
  }
  if (!flags.target) {
    if (flags.profile || flags.region) throw new UsageError('--profile and --region need --target aws.');
    return undefined;
  }
  if (flags.target === 'sandbox' && (flags.profile || flags.region)) {
    throw new UsageError(
      '--profile and --region apply to --target aws; the sandbox always runs in us-east-1.',
    );
  }
  if (flags.target === 'aws' && flags.timeScale !== undefined) {
    throw new UsageError('--time-scale applies to the sandbox only; on AWS time runs at its own pace.');
  }
  return flags.target === 'aws'
    ? { kind: 'aws', profile: flags.profile, region: flags.region }
    : { kind: 'sandbox', timeScale: flags.timeScale ?? DEFAULT_SANDBOX_TIME_SCALE };
}

/** The flags to repeat in a hint so a later command reaches the same target. */
export function targetArgs(spec: TargetSpec): string {
  if (spec.kind === 'sandbox') return '';
  const parts = spec.kind === 'endpoint' ? [`--endpoint ${spec.endpoint}`] : ['--target aws'];
  if (spec.profile) parts.push(`--profile ${spec.profile}`);
  if (spec.region) parts.push(`--region ${spec.region}`);
  return ` ${parts.join(' ')}`;
}
