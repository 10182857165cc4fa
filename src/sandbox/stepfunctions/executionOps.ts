/** StartExecution, DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution, RedriveExecution. */
import { randomUUID } from 'node:crypto';
import type { SandboxClock } from '../clock.js';
import type { StartExecutionRequest } from '../contracts.js';
import { AwsError } from '../errors.js';
import type { OperationContext, OperationHandler } from '../protocols/types.js';
import { Validator } from '../validate.js';
import { eventToApi } from './history.js';
import {
  SfnErrors,
  checkName,
  checkStateMachineArn,
  executionArn,
  expressExecutionArn,
  parseStatesArn,
  stateMachineArnOfExecution,
  stateMachineNameOf,
} from './names.js';
import { page } from './paging.js';
import type { ExecutionSummary, StateMachineRecord } from './records.js';
import type { Registry } from './registry.js';
import type { ExecutionRunner } from './runner.js';

const REDRIVE_WINDOW_MS = 14 * 24 * 3600 * 1000;
const MAX_REDRIVES = 1000;
const MAX_INPUT = 262144;
/** AWS ends a synchronous Express execution after five minutes. */
const SYNC_LIMIT_MS = 5 * 60 * 1000;

export interface ExecutionOpsDeps {
  registry: Registry;
  runner: ExecutionRunner;
  clock: SandboxClock;
}

function redriveStatusOf(
  e: ExecutionSummary,
  now: number,
): { redriveStatus: string; redriveStatusReason?: string } {
  const no = (why: string) => ({ redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: why });
  if (e.status === 'RUNNING' || e.status === 'SUCCEEDED')
    return no(`Execution is ${e.status} and cannot be redriven`);
  if (e.stopDate !== undefined && now - e.stopDate > REDRIVE_WINDOW_MS)
    return no('Execution stopped more than 14 days ago and cannot be redriven');
  if (e.redriveCount >= MAX_REDRIVES)
    return no(`Execution was redriven ${MAX_REDRIVES} times and cannot be redriven again`);
  if (!e.resumable) {
    return no(
      'The sandbox does not know where this execution stopped (it was running when the sandbox process ended), so it cannot be redriven',
    );
  }
  return { redriveStatus: 'REDRIVABLE' };
}

export function executionOperations(deps: ExecutionOpsDeps): {
  operations: Record<string, OperationHandler>;
  startExecution: (req: StartExecutionRequest) => Promise<{ executionArn: string; startDate: number }>;
} {
  const { registry, runner, clock } = deps;

  const stateMachine = (arnInput: unknown, region: string): StateMachineRecord => {
    const arn = checkStateMachineArn(arnInput);
    const sm = registry.stateMachines[arn];
    if (!sm || sm.region !== region) throw SfnErrors.stateMachineDoesNotExist(arn);
    return sm;
  };

  const execution = (arnInput: unknown, ctx: OperationContext): ExecutionSummary => {
    const p = parseStatesArn(arnInput, 'executionArn');
    if (p.resourceType === 'express')
      throw SfnErrors.invalidArn(arnInput as string, 'Resource type not valid in this context: express');
    stateMachineArnOfExecution(arnInput as string);
    const e = registry.executions[arnInput as string];
    if (!e || e.region !== ctx.region) throw SfnErrors.executionDoesNotExist(arnInput as string);
    return e;
  };

  /** The checks StartExecution and StartSyncExecution share: a live machine, a name, JSON input. */
  const startable = (req: StartExecutionRequest): { sm: StateMachineRecord; name: string } => {
    const sm = stateMachine(req.stateMachineArn, req.region);
    if (sm.status === 'DELETING')
      throw new AwsError('StateMachineDeleting', `State machine is being deleted: '${sm.arn}'`);
    const name = req.name ?? randomUUID();
    checkName(name);
    const input = req.input;
    if (input.length > MAX_INPUT) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INPUT}`,
      );
    }
    try {
      JSON.parse(input);
    } catch (err) {
      throw new AwsError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${(err as Error).message}'`,
      );
    }
    return { sm, name };
  };

  const start = (req: StartExecutionRequest): { executionArn: string; startDate: number } => {
    const { sm, name } = startable(req);
    const input = req.input;
    if (sm.type === 'EXPRESS') {
      const arn = expressExecutionArn(req.region, sm.name, name, randomUUID());
      return { executionArn: arn, startDate: runner.start(sm, arn, name, input, req.region) };
    }
    const arn = executionArn(req.region, sm.name, name);
    const existing = registry.executions[arn];
    if (existing) {
      // Idempotent only while running with the same input, as on AWS.
      const data = existing.status === 'RUNNING' ? runner.dataOf(arn) : undefined;
      if (data && data.input === input) return { executionArn: arn, startDate: existing.startDate };
      throw new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    return { executionArn: arn, startDate: runner.start(sm, arn, name, input, req.region) };
  };

  const operations: Record<string, OperationHandler> = {
    StartExecution: (input: Record<string, unknown>, ctx) => {
      const v = new Validator(input);
      v.string('stateMachineArn', { required: true, min: 1, max: 256 });
      const name = v.string('name');
      const text = v.string('input');
      v.check();
      const r = start({
        region: ctx.region,
        stateMachineArn: input.stateMachineArn as string,
        name,
        input: text ?? '{}',
      });
      return { executionArn: r.executionArn, startDate: r.startDate / 1000 };
    },

    StartSyncExecution: (input: Record<string, unknown>, ctx) => syncExecution(input, ctx.region),

    DescribeExecution: (input: Record<string, unknown>, ctx) => {
      const e = execution(input.executionArn, ctx);
      const data = runner.dataOf(e.executionArn);
      return {
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: e.startDate / 1000,
        stopDate: e.stopDate === undefined ? undefined : e.stopDate / 1000,
        input: data?.input,
        inputDetails: { included: true },
        output: e.status === 'SUCCEEDED' ? data?.output : undefined,
        outputDetails: e.status === 'SUCCEEDED' ? { included: true } : undefined,
        error: e.error,
        cause: e.cause,
        redriveCount: e.redriveCount,
        redriveDate: e.redriveDate === undefined ? undefined : e.redriveDate / 1000,
        ...redriveStatusOf(e, clock.now()),
      };
    },

    /** The state machine as this execution started it (a later update does not change the answer). */
    DescribeStateMachineForExecution: (input: Record<string, unknown>, ctx) => {
      const e = execution(input.executionArn, ctx);
      const data = runner.dataOf(e.executionArn);
      const sm = registry.stateMachines[e.stateMachineArn];
      if (!data) throw SfnErrors.executionDoesNotExist(e.executionArn);
      return {
        stateMachineArn: e.stateMachineArn,
        name: stateMachineNameOf(e.stateMachineArn),
        definition: data.definition,
        roleArn: data.roleArn,
        updateDate: (data.stateMachineUpdateDate ?? sm?.creationDate ?? e.startDate) / 1000,
        loggingConfiguration: data.loggingConfiguration ?? sm?.loggingConfiguration,
        tracingConfiguration: { enabled: false },
        revisionId: data.revisionId,
      };
    },

    ListExecutions: (input: Record<string, unknown>, ctx) => {
      const sm = stateMachine(input.stateMachineArn, ctx.region);
      const v = new Validator(input);
      const status = v.string('statusFilter', {
        enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'],
      });
      const redrive = v.string('redriveFilter', { enum: ['REDRIVEN', 'NOT_REDRIVEN'] });
      v.check();
      if (sm.type === 'EXPRESS') {
        throw new AwsError(
          'StateMachineTypeNotSupported',
          'This operation is not supported by this type of state machine',
        );
      }
      const all = Object.values(registry.executions)
        .filter((e) => e.stateMachineArn === sm.arn)
        .filter((e) => !status || e.status === status)
        .filter((e) => !redrive || (redrive === 'REDRIVEN') === e.redriveCount > 0)
        .sort((a, b) => b.startDate - a.startDate || b.name.localeCompare(a.name));
      const p = page(
        all,
        input.maxResults as number | undefined,
        input.nextToken as string | undefined,
        `ex:${sm.arn}`,
      );
      return {
        executions: p.items.map((e) => ({
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          startDate: e.startDate / 1000,
          stopDate: e.stopDate === undefined ? undefined : e.stopDate / 1000,
          redriveCount: e.redriveCount,
          redriveDate: e.redriveDate === undefined ? undefined : e.redriveDate / 1000,
        })),
        nextToken: p.nextToken,
      };
    },

    GetExecutionHistory: (input: Record<string, unknown>, ctx) => {
      const e = execution(input.executionArn, ctx);
      const history = [...(runner.dataOf(e.executionArn)?.history ?? [])];
      if (input.reverseOrder === true) history.reverse();
      const includeData = input.includeExecutionData !== false;
      const p = page(
        history,
        input.maxResults as number | undefined,
        input.nextToken as string | undefined,
        `h:${e.executionArn}:${input.reverseOrder === true}`,
      );
      return { events: p.items.map((ev) => eventToApi(ev, includeData)), nextToken: p.nextToken };
    },

    StopExecution: async (input: Record<string, unknown>, ctx) => {
      const v = new Validator(input);
      const error = v.string('error', { max: 256 });
      const cause = v.string('cause', { max: 32768 });
      v.check();
      const e = execution(input.executionArn, ctx);
      if (runner.isRunning(e.executionArn))
        await runner.stop(e.executionArn, { status: 'ABORTED', error, cause });
      return { stopDate: (e.stopDate ?? clock.now()) / 1000 };
    },

    RedriveExecution: (input: Record<string, unknown>, ctx) => {
      const e = execution(input.executionArn, ctx);
      const status = redriveStatusOf(e, clock.now());
      if (status.redriveStatus !== 'REDRIVABLE') {
        throw new AwsError(
          'ExecutionNotRedrivable',
          `Execution ${e.executionArn} cannot be redriven: ${status.redriveStatusReason}.`,
        );
      }
      const sm = registry.stateMachines[e.stateMachineArn];
      const data = runner.dataOf(e.executionArn);
      if (!sm || sm.status === 'DELETING' || !data?.checkpoint) {
        throw new AwsError(
          'ExecutionNotRedrivable',
          `Execution ${e.executionArn} cannot be redriven: its state machine is being deleted.`,
        );
      }
      return { redriveDate: runner.redrive(sm, e, data) / 1000 };
    },
  };

  /** StartSyncExecution: an EXPRESS execution run to its end, answered with its outcome. */
  const syncExecution = async (input: Record<string, unknown>, region: string) => {
    const v = new Validator(input);
    v.string('stateMachineArn', { required: true, min: 1, max: 256 });
    const name = v.string('name', { min: 1, max: 80 });
    const text = v.string('input', { max: MAX_INPUT });
    v.string('traceHeader', { max: 256 });
    const included = v.string('includedData', { enum: ['ALL_DATA', 'METADATA_ONLY'] }) ?? 'ALL_DATA';
    v.check();
    const req = { region, stateMachineArn: input.stateMachineArn as string, name, input: text ?? '{}' };
    const { sm, name: execName } = startable(req);
    if (sm.type !== 'EXPRESS') {
      throw new AwsError(
        'StateMachineTypeNotSupported',
        'This operation is not supported by this type of state machine',
      );
    }
    const arn = expressExecutionArn(region, sm.name, execName, randomUUID());
    const o = await runner.runToEnd(sm, arn, execName, req.input, region, SYNC_LIMIT_MS);
    const withData = included === 'ALL_DATA';
    return {
      executionArn: arn,
      stateMachineArn: sm.arn,
      name: execName,
      startDate: o.startDate / 1000,
      stopDate: o.stopDate / 1000,
      status: o.status,
      error: o.error,
      cause: o.cause,
      input: withData ? req.input : undefined,
      inputDetails: withData ? { included: true } : undefined,
      output: withData && o.status === 'SUCCEEDED' ? o.output : undefined,
      outputDetails: withData && o.status === 'SUCCEEDED' ? { included: true } : undefined,
      // Express workflows are billed in 64 MB and 100 ms steps; the sandbox reports the minimum memory.
      billingDetails: {
        billedMemoryUsedInMB: 64,
        billedDurationInMilliseconds: Math.max(100, Math.ceil((o.stopDate - o.startDate) / 100) * 100),
      },
    };
  };

  return { operations, startExecution: async (req) => start(req) };
}
