/**
 * A setup check reads the resource back; when it is gone (deleted by hand, a half-finished run) the
 * learner sees a ✖ whose actual value is "(none)", not "the check could run: … does not exist".
 * Against a sandbox that holds none of the resources the state names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { setupSteps } from '../../../demos/demo2-event-driven-step-functions/steps/setup.js';
import {
  initialDemo2State,
  type Demo2State,
} from '../../../demos/demo2-event-driven-step-functions/state.js';
import type { StepContext } from '../../../src/course/model.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { RecordingIO } from '../../course/fakes.js';

let sb: TestSandbox;
let aws: Record<string, unknown>;

beforeAll(async () => {
  sb = await startTestSandbox();
  aws = {
    s3: new S3Client({ ...sb.clientConfig, forcePathStyle: true }),
    lambda: new LambdaClient(sb.clientConfig),
    sfn: new SFNClient(sb.clientConfig),
    events: new EventBridgeClient(sb.clientConfig),
  };
});
afterAll(async () => {
  for (const c of Object.values(aws ?? {})) (c as { destroy(): void }).destroy();
  await sb?.stop();
});

const gone = (name: string) => `course-demo2-gone00-${name}`;
const arn = (service: string, what: string) => `arn:aws:${service}:us-east-1:000000000000:${what}`;

function context(): StepContext<Demo2State> {
  const state: Demo2State = {
    ...initialDemo2State(),
    bucket: `${gone('000000000000')}-data`,
    functions: {
      validate: { name: gone('validate'), arn: arn('lambda', `function:${gone('validate')}`) },
      transform: { name: gone('transform'), arn: arn('lambda', `function:${gone('transform')}`) },
      load: { name: gone('load'), arn: arn('lambda', `function:${gone('load')}`) },
    },
    stateMachineArn: arn('states', `stateMachine:${gone('pipeline')}`),
    ruleName: gone('on-arrival'),
  };
  return { aws, state, out: new RecordingIO(false) } as unknown as StepContext<Demo2State>;
}

describe('demo2 setup checks when the resource is gone', () => {
  for (const id of ['create-bucket', 'deploy-functions', 'create-state-machine', 'create-rule']) {
    it(`${id}: a ✖ with (none), not an error`, async () => {
      const step = setupSteps.find((s) => s.id === id)!;
      const results = await step.check(context());
      expect(results.length).toBeGreaterThan(0);
      expect(results.every((r) => !r.passed)).toBe(true);
      expect(results.map((r) => r.actual)).toContain('(none)');
    });
  }
});
