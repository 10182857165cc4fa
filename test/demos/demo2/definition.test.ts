/**
 * pipeline.asl.json: valid Amazon States Language (asl-validator, the ASL's JSON schema and its
 * path and reference rules) once this run's ARNs are filled in; the placeholders are exactly the
 * three functions; and the workflow says what the demo teaches — with error names that are the
 * ones the handlers really throw.
 */
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import {
  DefinitionSubstitutionError,
  fillDefinition,
  placeholdersOf,
  readDefinitionTemplate,
} from '../../../demos/demo2-event-driven-step-functions/definition.js';
import {
  DestinationUnavailableError,
  TransientError,
  ValidationError,
} from '../../../demos/demo2-event-driven-step-functions/lambda/orderFiles.mjs';

const ARNS = {
  ValidateFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:course-demo2-abc123-validate',
  TransformFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:course-demo2-abc123-transform',
  LoadFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:course-demo2-abc123-load',
};
const AWS_LAMBDA_RETRY = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
}
interface TaskState {
  Type: string;
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> };
  Retry?: Retrier[];
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
  Next?: string;
  End?: boolean;
  Error?: string;
  CausePath?: string;
}

const template = readDefinitionTemplate();
const filled = fillDefinition(template, ARNS) as { StartAt: string; States: Record<string, TaskState> };

describe('pipeline.asl.json', () => {
  it('is valid ASL once filled in', () => {
    const result = aslValidator(filled);
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('would be caught if it were not (the validator is really checking)', () => {
    const broken = structuredClone(filled);
    broken.States.Transform!.Next = 'Nowhere';
    expect(aslValidator(broken).isValid).toBe(false);
  });

  it('has exactly the three function ARNs as placeholders, and filling them is strict', () => {
    expect(placeholdersOf(template)).toEqual([
      'LoadFunctionArn',
      'TransformFunctionArn',
      'ValidateFunctionArn',
    ]);
    expect(JSON.stringify(filled)).not.toContain('${');
    expect(() => fillDefinition(template, { ValidateFunctionArn: 'x', TransformFunctionArn: 'y' })).toThrow(
      DefinitionSubstitutionError,
    );
    expect(() => fillDefinition(template, { ...ARNS, Extra: 'z' })).toThrow(/unused Extra/);
  });

  it('runs Validate → Transform → Load, each task retrying Lambda’s transient errors as AWS recommends', () => {
    const s = filled.States;
    expect([filled.StartAt, s.Validate!.Next, s.Transform!.Next, s.Load!.End]).toEqual([
      'Validate',
      'Transform',
      'Load',
      true,
    ]);
    for (const name of ['Validate', 'Transform', 'Load', 'Quarantine']) {
      const st = s[name]!;
      expect(Object.values(ARNS), name).toContain(st.Parameters?.FunctionName);
      expect(
        st.Retry?.some((r) => JSON.stringify(r.ErrorEquals) === JSON.stringify(AWS_LAMBDA_RETRY)),
        name,
      ).toBe(true);
    }
  });

  it('retries transient faults with backoff, quarantines bad data, and never retries it', () => {
    const s = filled.States;
    const transient = s.Transform!.Retry!.find((r) => r.ErrorEquals.includes(new TransientError('x').name))!;
    expect(transient.BackoffRate).toBeGreaterThan(1);
    expect(transient.MaxAttempts).toBeGreaterThanOrEqual(2);
    expect(s.Transform!.Parameters!.Payload!['attempt.$']).toBe('$$.State.RetryCount');
    expect(
      s.Load!.Retry!.some((r) => r.ErrorEquals.includes(new DestinationUnavailableError('x').name)),
    ).toBe(true);

    const validation = new ValidationError('x').name;
    expect(s.Validate!.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: [validation], Next: 'Quarantine' }),
    ]);
    expect(s.Validate!.Retry!.flatMap((r) => r.ErrorEquals)).not.toContain(validation);
    expect(s.Validate!.Retry!.flatMap((r) => r.ErrorEquals)).not.toContain('States.ALL');
    expect(s.Quarantine!.Next).toBe('Rejected');
    expect(s.Rejected).toMatchObject({
      Type: 'Fail',
      Error: 'OrdersFileRejected',
      CausePath: '$.quarantine.cause',
    });
  });
});
