import { describe, expect, it } from 'vitest';
import {
  evaluatePolicies,
  wildcardMatch,
  type EvaluatedRequest,
} from '../../../../src/sandbox/iam/policyEvaluation.js';

const doc = (...statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (more: object): object => ({ Effect: 'Allow', ...more });
const req = (action: string, resource: string, context?: EvaluatedRequest['context']): EvaluatedRequest => ({
  action,
  resource,
  context,
});
const decide = (policy: string, r: EvaluatedRequest): string => evaluatePolicies([policy], r);

describe('wildcards', () => {
  it('matches * and ? and nothing else', () => {
    expect(wildcardMatch('raw/*', 'raw/')).toBe(true);
    expect(wildcardMatch('raw/*', 'raw/a/b')).toBe(true);
    expect(wildcardMatch('raw/*', 'other/raw/a')).toBe(false);
    expect(wildcardMatch('a?c', 'abc')).toBe(true);
    expect(wildcardMatch('a?c', 'ac')).toBe(false);
    expect(wildcardMatch('*x*y', 'axbxy')).toBe(true);
    expect(wildcardMatch('S3:get*', 's3:GetObject', true)).toBe(true);
    expect(wildcardMatch('S3:get*', 's3:GetObject')).toBe(false);
  });
});

describe('statement matching', () => {
  const bucket = 'arn:aws:s3:::b';
  it('allows only a matching Action and Resource; actions ignore case, resources do not', () => {
    const p = doc(allow({ Action: ['S3:GetObject'], Resource: `${bucket}/raw/*` }));
    expect(decide(p, req('s3:GetObject', `${bucket}/raw/x`))).toBe('allowed');
    expect(decide(p, req('s3:GetObject', `${bucket}/RAW/x`))).toBe('implicitDeny');
    expect(decide(p, req('s3:PutObject', `${bucket}/raw/x`))).toBe('implicitDeny');
  });

  it('lets an explicit Deny win over any Allow, across policies', () => {
    const a = doc(allow({ Action: 's3:*', Resource: '*' }));
    const d = doc({ Effect: 'Deny', Action: 's3:DeleteObject', Resource: `${bucket}/*` });
    expect(evaluatePolicies([a, d], req('s3:DeleteObject', `${bucket}/k`))).toBe('explicitDeny');
    expect(evaluatePolicies([a, d], req('s3:GetObject', `${bucket}/k`))).toBe('allowed');
  });

  it('supports NotAction and NotResource', () => {
    const p = doc(allow({ NotAction: 'iam:*', NotResource: `${bucket}/secret/*` }));
    expect(decide(p, req('s3:GetObject', `${bucket}/public/x`))).toBe('allowed');
    expect(decide(p, req('s3:GetObject', `${bucket}/secret/x`))).toBe('implicitDeny');
    expect(decide(p, req('iam:CreateRole', '*'))).toBe('implicitDeny');
  });

  it('matches ARNs segment by segment, log-group:G:* covering the group and its streams', () => {
    const p = doc(
      allow({ Action: 'logs:*', Resource: 'arn:aws:logs:*:000000000000:log-group:/aws/lambda/f:*' }),
    );
    expect(
      decide(
        p,
        req('logs:PutLogEvents', 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/f:log-stream:s'),
      ),
    ).toBe('allowed');
    expect(
      decide(p, req('logs:CreateLogGroup', 'arn:aws:logs:eu-west-1:000000000000:log-group:/aws/lambda/f:*')),
    ).toBe('allowed');
    expect(
      decide(
        p,
        req('logs:PutLogEvents', 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/g:log-stream:s'),
      ),
    ).toBe('implicitDeny');
  });

  it('treats an unreadable policy and a statement without Resource as granting nothing', () => {
    expect(evaluatePolicies(['{not json'], req('s3:GetObject', '*'))).toBe('implicitDeny');
    expect(decide(doc(allow({ Action: '*' })), req('s3:GetObject', '*'))).toBe('implicitDeny');
  });
});

describe('conditions', () => {
  const listing = (cond: object): string =>
    doc(allow({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: cond }));
  const list = (context?: EvaluatedRequest['context']): EvaluatedRequest =>
    req('s3:ListBucket', 'arn:aws:s3:::b', context);

  it('StringLike / StringEquals / StringNotLike on s3:prefix, a missing key failing positive operators', () => {
    const like = listing({ StringLike: { 's3:prefix': ['raw/*', 'curated/*'] } });
    expect(decide(like, list({ 's3:prefix': 'curated/' }))).toBe('allowed');
    expect(decide(like, list({ 's3:prefix': 'other/' }))).toBe('implicitDeny');
    expect(decide(like, list())).toBe('implicitDeny');
    const eq = listing({ StringEquals: { 's3:prefix': 'raw/' } });
    expect(decide(eq, list({ 's3:prefix': 'raw/' }))).toBe('allowed');
    expect(decide(eq, list({ 's3:prefix': 'raw/x' }))).toBe('implicitDeny');
    const notLike = listing({ StringNotLike: { 's3:prefix': 'secret/*' } });
    expect(decide(notLike, list({ 's3:prefix': 'raw/' }))).toBe('allowed');
    expect(decide(notLike, list({ 's3:prefix': 'secret/a' }))).toBe('implicitDeny');
    expect(decide(notLike, list())).toBe('allowed');
  });

  it('ANDs operators and keys, ORs values; keys ignore case', () => {
    const p = listing({
      StringEquals: { 'S3:Prefix': ['a/', 'b/'], 's3:delimiter': '/' },
      NumericLessThanEquals: { 's3:max-keys': 10 },
    });
    expect(decide(p, list({ 's3:prefix': 'b/', 's3:delimiter': '/', 's3:max-keys': 10 }))).toBe('allowed');
    expect(decide(p, list({ 's3:prefix': 'b/', 's3:delimiter': '/', 's3:max-keys': 11 }))).toBe(
      'implicitDeny',
    );
    expect(decide(p, list({ 's3:prefix': 'b/', 's3:max-keys': 1 }))).toBe('implicitDeny');
  });

  it('IfExists passes when the key is absent', () => {
    const p = listing({ StringEqualsIfExists: { 's3:prefix': 'raw/' } });
    expect(decide(p, list())).toBe('allowed');
    expect(decide(p, list({ 's3:prefix': 'other/' }))).toBe('implicitDeny');
  });

  it('ArnLike / ArnEquals, Bool and the Numeric family', () => {
    const arn = listing({ ArnLike: { 'aws:SourceArn': 'arn:aws:events:*:000000000000:rule/*' } });
    expect(decide(arn, list({ 'aws:SourceArn': 'arn:aws:events:us-east-1:000000000000:rule/r' }))).toBe(
      'allowed',
    );
    expect(decide(arn, list({ 'aws:SourceArn': 'arn:aws:events:us-east-1:111111111111:rule/r' }))).toBe(
      'implicitDeny',
    );
    const eq = listing({ ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:000000000000:t' } });
    expect(decide(eq, list({ 'aws:SourceArn': 'arn:aws:sns:us-east-1:000000000000:t' }))).toBe('allowed');
    const secure = listing({ Bool: { 'aws:SecureTransport': 'true' } });
    expect(decide(secure, list({ 'aws:SecureTransport': true }))).toBe('allowed');
    expect(decide(secure, list({ 'aws:SecureTransport': false }))).toBe('implicitDeny');
    const gt = listing({ NumericGreaterThan: { 's3:max-keys': '5' } });
    expect(decide(gt, list({ 's3:max-keys': 6 }))).toBe('allowed');
    expect(decide(gt, list({ 's3:max-keys': 5 }))).toBe('implicitDeny');
    expect(decide(listing({ NumericLessThan: { 's3:max-keys': 5 } }), list({ 's3:max-keys': 4 }))).toBe(
      'allowed',
    );
    expect(decide(listing({ NumericEquals: { 's3:max-keys': 5 } }), list({ 's3:max-keys': 'x' }))).toBe(
      'implicitDeny',
    );
  });

  it('ForAnyValue / ForAllValues over multi-valued keys', () => {
    const any = listing({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team', 'env'] } });
    expect(decide(any, list({ 'aws:TagKeys': ['owner', 'env'] }))).toBe('allowed');
    expect(decide(any, list({ 'aws:TagKeys': ['owner'] }))).toBe('implicitDeny');
    expect(decide(any, list())).toBe('implicitDeny');
    const all = listing({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['course:*'] } });
    expect(decide(all, list({ 'aws:TagKeys': ['course:demo', 'course:run'] }))).toBe('allowed');
    expect(decide(all, list({ 'aws:TagKeys': ['course:demo', 'owner'] }))).toBe('implicitDeny');
    expect(decide(all, list())).toBe('allowed');
  });

  it('an explicit Deny applies only when its condition holds; an unknown operator never holds', () => {
    const p = doc(allow({ Action: 's3:*', Resource: '*' }), {
      Effect: 'Deny',
      Action: 's3:ListBucket',
      Resource: '*',
      Condition: { StringLike: { 's3:prefix': 'secret/*' } },
    });
    expect(decide(p, list({ 's3:prefix': 'secret/a' }))).toBe('explicitDeny');
    expect(decide(p, list({ 's3:prefix': 'raw/' }))).toBe('allowed');
    expect(
      decide(
        listing({ DateLessThan: { 'aws:CurrentTime': '2030-01-01' } }),
        list({ 'aws:CurrentTime': '2020-01-01' }),
      ),
    ).toBe('implicitDeny');
  });
});
