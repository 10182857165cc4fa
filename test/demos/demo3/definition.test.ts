/**
 * reconcile-orders.asl.json: valid Amazon States Language (asl-validator) once this run's ARNs are
 * filled in, with exactly the three placeholders; and the workflow says what the demo teaches:
 * two entry modes, a bounded Map over partition ids, a grace loop bounded by the input, retries on
 * the error names the handler really throws.
 */
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import {
  definitionTemplate,
  reconcileDefinition,
} from '../../../demos/demo3-hybrid-reconciliation/definition.js';
import { DefinitionSubstitutionError } from '../../../demos/shared/definitionTemplate.js';
import {
  ConcurrentUpdateError,
  TransientError,
} from '../../../demos/demo3-hybrid-reconciliation/lambda/processPartition.mjs';

const ARNS = {
  ProcessPartitionArn: 'arn:aws:lambda:us-east-1:123456789012:function:course-demo3-abc123-process-partition',
  CheckCompletenessArn:
    'arn:aws:lambda:us-east-1:123456789012:function:course-demo3-abc123-check-completeness',
  WriteReportArn: 'arn:aws:lambda:us-east-1:123456789012:function:course-demo3-abc123-write-report',
};

type State = Record<string, any>;
const def = reconcileDefinition(ARNS) as { StartAt: string; States: Record<string, State> };

function placeholders(v: unknown): string[] {
  if (typeof v === 'string') return [...v.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
  if (Array.isArray(v)) return v.flatMap(placeholders);
  if (v && typeof v === 'object') return Object.values(v).flatMap(placeholders);
  return [];
}

describe('reconcile-orders.asl.json', () => {
  it('is valid ASL once filled in, and the validator would say if not', () => {
    expect(aslValidator(def).errors).toEqual([]);
    const broken = structuredClone(def);
    broken.States.AnyMissing!.Default = 'NoSuchState';
    expect(aslValidator(broken).isValid).toBe(false);
  });

  it('has exactly the three function placeholders, and all are filled', () => {
    expect([...new Set(placeholders(definitionTemplate()))].sort()).toEqual(Object.keys(ARNS).sort());
    expect(placeholders(def)).toEqual([]);
    expect(() => reconcileDefinition({ ...ARNS, WriteReportArn: undefined } as never)).toThrow(
      DefinitionSubstitutionError,
    );
    expect(() => reconcileDefinition({ ...ARNS, WriteReportArn: undefined } as never)).toThrow(
      /missing WriteReportArn; unused none/,
    );
  });

  it('chooses the entry mode from the input, and fails plainly for anything else', () => {
    const choice = def.States[def.StartAt]!;
    expect(choice.Type).toBe('Choice');
    expect(choice.Choices.map((c: State) => [c.Variable, c.StringEquals, c.Next])).toEqual([
      ['$.mode', 'event', 'ProcessArrival'],
      ['$.mode', 'scheduled', 'CheckCompleteness'],
    ]);
    expect(def.States[choice.Default]).toMatchObject({ Type: 'Fail', Error: 'UnknownTrigger' });
  });

  it('rebuilds stale and late partitions in bounded Maps that carry ids only', () => {
    for (const [name, items] of [
      ['ReprocessStale', '$.check.stale'],
      ['ProcessLate', '$.check.arrived'],
    ] as const) {
      const map = def.States[name]!;
      expect(map).toMatchObject({ Type: 'Map', ItemsPath: items, MaxConcurrency: 10, ResultPath: null });
      expect(map.ItemSelector['partition.$']).toBe('$$.Map.Item.Value');
      const task = Object.values(map.ItemProcessor.States)[0] as State;
      expect(task.Parameters.FunctionName).toBe(ARNS.ProcessPartitionArn);
      expect(task.ResultSelector).toEqual({ 'status.$': '$.Payload.status' });
    }
  });

  it('waits a grace period from the input, a number of times the input bounds', () => {
    const any = def.States.AnyMissing!;
    expect(any.Choices[0].And).toEqual([
      { Variable: '$.check.missing[0]', IsPresent: true },
      { Variable: '$.check.rechecks', NumericLessThanPath: '$.grace.rechecks' },
    ]);
    expect(any.Choices[0].Next).toBe('GracePeriod');
    expect(def.States.GracePeriod).toMatchObject({
      Type: 'Wait',
      SecondsPath: '$.grace.seconds',
      Next: 'RecheckMissing',
    });
    expect(def.States.RecheckMissing!.Next).toBe('ProcessLate');
    expect(def.States.ProcessLate!.Next).toBe('AnyMissing');
    expect(def.States.WriteReport!.Parameters.Payload.execution).toEqual({
      'name.$': '$$.Execution.Name',
      'startTime.$': '$$.Execution.StartTime',
    });
  });

  it("retries exactly the transient errors process-partition throws, by the handler's own names", () => {
    const names = [new TransientError('x').name, new ConcurrentUpdateError('x').name];
    for (const state of [
      def.States.ProcessArrival!,
      ...['ReprocessStale', 'ProcessLate'].map(
        (m) => Object.values(def.States[m]!.ItemProcessor.States)[0] as State,
      ),
    ]) {
      expect(state.Retry[0]).toEqual({
        ErrorEquals: names,
        IntervalSeconds: 2,
        MaxAttempts: 2,
        BackoffRate: 2,
      });
    }
  });
});
