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
} from './names.js';
import { page } from './paging.js';
import type { ExecutionSummary, StateMachineRecord } from './records.js';
import type { Registry } from './registry.js';
import type { ExecutionRunner } from './runner.js';

const REDRIVE_WINDOW_MS = 14 * 24 * 3600 * 1000;
const MAX_REDRIVES = 1000;
const MAX_INPUT = 262144;

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

  const start = (req: StartExecutionRequest): { executionArn: string; startDate: number } => {
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

  return { operations, startExecution: async (req) => start(req) };
}
