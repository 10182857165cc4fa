import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kebab, shellQuote, toCliCommand } from '../../src/cloud/cliEquivalent.js';
import {
  RecordingCallLog,
  artifactDirectory,
  collectAttachments,
  sanitizeInput,
} from '../../src/cloud/callLog.js';
import type { RecordedCall } from '../../src/cloud/types.js';

const call = (service: string, operation: string, input: unknown): RecordedCall => ({
  service,
  operation,
  input: sanitizeInput(input),
  startedAt: 0,
  durationMs: 1,
  outcome: 'ok',
});

describe('kebab (botocore xform_name)', () => {
  it.each([
    ['PutObject', 'put-object'],
    ['ListObjectsV2', 'list-objects-v2'],
    ['GetCallerIdentity', 'get-caller-identity'],
    ['SSECustomerKey', 'sse-customer-key'],
    ['FunctionName', 'function-name'],
    ['RoleArn', 'role-arn'],
    ['ACL', 'acl'],
  ])('%s → %s', (a, b) => expect(kebab(a)).toBe(b));
});

describe('toCliCommand', () => {
  it('renders simple calls as flags with the CLI service name', () => {
    expect(
      toCliCommand(call('S3', 'PutObject', { Bucket: 'b', Key: 'raw/x.jsonl', Body: new Uint8Array(10) })),
    ).toBe('aws s3api put-object --bucket b --key raw/x.jsonl --body fileb://body.bin');
    expect(toCliCommand(call('STS', 'GetCallerIdentity', {}))).toBe('aws sts get-caller-identity');
    expect(
      toCliCommand(
        call('CloudWatch Logs', 'PutRetentionPolicy', { logGroupName: '/aws/lambda/f', retentionInDays: 1 }),
      ),
    ).toBe('aws logs put-retention-policy --log-group-name /aws/lambda/f --retention-in-days 1');
    expect(toCliCommand(call('SFN', 'StartExecution', { stateMachineArn: 'arn:x' }))).toBe(
      'aws stepfunctions start-execution --state-machine-arn arn:x',
    );
    expect(toCliCommand(call('EventBridge', 'ListRules', { NamePrefix: 'course-' }))).toBe(
      'aws events list-rules --name-prefix course-',
    );
  });

  it('passes structures as JSON, binary as fileb:// placeholders, and target options at the end', () => {
    const line = toCliCommand(
      call('Lambda', 'CreateFunction', {
        FunctionName: 'f',
        Code: { ZipFile: new Uint8Array(100) },
        Environment: { Variables: { MODE: 'strict' } },
        Publish: false,
      }),
      ['--endpoint-url', 'http://127.0.0.1:4000'],
    );
    expect(line).toBe(
      `aws lambda create-function --function-name f --zip-file fileb://function.zip --environment '{"Variables":{"MODE":"strict"}}' --no-publish --endpoint-url http://127.0.0.1:4000`,
    );
    expect(
      toCliCommand(call('Lambda', 'UpdateFunctionCode', { FunctionName: 'f', ZipFile: new Uint8Array(3) })),
    ).toBe('aws lambda update-function-code --function-name f --zip-file fileb://function.zip');
  });

  it('shows a JSON Lambda payload inline with the output file the CLI requires', () => {
    const payload = new TextEncoder().encode('{"window":"2024-01-01T00"}');
    expect(toCliCommand(call('Lambda', 'Invoke', { FunctionName: 'f', Payload: payload }))).toBe(
      `aws lambda invoke --cli-binary-format raw-in-base64-out --function-name f --payload '{"window":"2024-01-01T00"}' response.json`,
    );
  });

  it('quotes for the shell and cuts long values', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    expect(
      toCliCommand(call('IAM', 'PutRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: doc })),
    ).toBe(`aws iam put-role-policy --role-name r --policy-name p --policy-document '${doc}'`);
    const long = toCliCommand(
      call('SFN', 'CreateStateMachine', { name: 'sm', definition: 'x'.repeat(5000) }),
    );
    expect(long.length).toBeLessThan(600);
    expect(long).toContain('more chars');
  });

  it('falls back to --cli-input-json for inputs too long to read as flags', () => {
    const input: Record<string, string> = {};
    for (let i = 0; i < 20; i++) input[`Member${i}`] = 'v'.repeat(200);
    const line = toCliCommand(call('IAM', 'CreateRole', input));
    expect(line.startsWith("aws iam create-role --cli-input-json '{")).toBe(true);
  });
});

describe('call log', () => {
  it('redacts secrets and detaches inputs', () => {
    const env = { Variables: { DB_PASSWORD: 'hunter2', MODE: 'x' } };
    const s = sanitizeInput({ Environment: env, NextToken: 'page2', SecretAccessKey: 'abc' }) as Record<
      string,
      any
    >;
    expect(s.Environment.Variables).toEqual({ DB_PASSWORD: '***', MODE: 'x' });
    expect(s.NextToken).toBe('page2');
    expect(s.SecretAccessKey).toBe('***');
    env.Variables.MODE = 'changed';
    expect(s.Environment.Variables.MODE).toBe('x');
  });

  it('marks positions and returns calls since a mark, and notifies listeners', () => {
    const log = new RecordingCallLog(['--endpoint-url', 'http://h:1']);
    const seen: string[] = [];
    log.subscribe((c) => seen.push(c.operation));
    log.record(call('S3', 'ListBuckets', {}));
    const m = log.mark();
    log.record(call('S3', 'CreateBucket', { Bucket: 'b' }));
    expect(log.since(m).map((c) => c.operation)).toEqual(['CreateBucket']);
    expect(log.all()).toHaveLength(2);
    expect(seen).toEqual(['ListBuckets', 'CreateBucket']);
    expect(log.toCli(log.since(m)[0])).toBe('aws s3api create-bucket --bucket b --endpoint-url http://h:1');
  });
});

describe('toCliCommand with files written for it (pasteable as printed)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cli-artifacts-'));
  const artifacts = artifactDirectory(dir);
  const recorded = (service: string, operation: string, input: unknown): RecordedCall => ({
    ...call(service, operation, input),
    attachments: collectAttachments(input),
  });

  it('writes a function zip and names its real path with fileb://', () => {
    const zip = new Uint8Array([80, 75, 3, 4, 1, 2, 3]);
    const line = toCliCommand(
      recorded('Lambda', 'CreateFunction', { FunctionName: 'f', Code: { ZipFile: zip } }),
      [],
      artifacts,
    );
    const file = /--zip-file fileb:\/\/(\S+)/.exec(line)![1]!;
    expect(path.dirname(file)).toBe(dir);
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(zip);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('gives an S3 object body as a plain file path (the CLI reads streaming blobs from a path)', () => {
    const line = toCliCommand(
      recorded('S3', 'PutObject', { Bucket: 'b', Key: 'raw/x.jsonl', Body: '{"a":1}\n' }),
      [],
      artifacts,
    );
    const file = /--body (\S+)/.exec(line)![1]!;
    expect(file.startsWith('fileb://')).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n');
  });

  it('writes a long document whole instead of cutting it, and repeats share one file', () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'x'.repeat(400) }] });
    const input = { RoleName: 'r', PolicyName: 'p', PolicyDocument: doc };
    const a = toCliCommand(recorded('IAM', 'PutRolePolicy', input), [], artifacts);
    const b = toCliCommand(recorded('IAM', 'PutRolePolicy', input), [], artifacts);
    expect(a).toBe(b);
    const file = /--policy-document file:\/\/(\S+)/.exec(a)![1]!;
    expect(file.endsWith('policy-document.json')).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(doc);
    expect(a).not.toContain('more chars');
  });
});
