/** How demo3 lays out policies and input transformers for a terminal: one element per line, nothing lost. */
import { describe, expect, it } from 'vitest';
import { describeInputTransformer, describeJson, describePolicy } from '../../../demos/shared/policyView.js';
import { ARRIVAL_INPUT } from '../../../demos/demo3-hybrid-reconciliation/triggers.js';

describe('policy view', () => {
  const doc = {
    Version: '2012-10-17' as const,
    Statement: [
      {
        Sid: 'PublishOwnMetricsOnly',
        Effect: 'Allow' as const,
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'CourseCli/OrdersReconciliation' } },
      },
      {
        Sid: 'DeliverExecutionLogs',
        Effect: 'Allow' as const,
        Action: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
        ],
        Resource: ['arn:aws:s3:::b/raw/*', 'arn:aws:s3:::b/curated/*'],
      },
    ],
  };

  it('gives each resource and condition a line, and packs long action lists into lines that fit 60 columns', () => {
    const lines = describePolicy(doc).split('\n');
    // 60 columns less the runner's block gutter; only the ARN-free condition line may be longer.
    for (const l of lines.filter((x) => !x.includes('when'))) expect(l.length).toBeLessThanOrEqual(56);
    expect(lines).toEqual([
      'PublishOwnMetricsOnly: Allow cloudwatch:PutMetricData',
      '  on *',
      '  when cloudwatch:namespace StringEquals CourseCli/OrdersReconciliation',
      'DeliverExecutionLogs: Allow logs:CreateLogDelivery,',
      '    logs:GetLogDelivery, logs:UpdateLogDelivery,',
      '    logs:DeleteLogDelivery, logs:ListLogDeliveries',
      '  on arn:aws:s3:::b/raw/*',
      '  on arn:aws:s3:::b/curated/*',
    ]);
  });

  it('names who a resource policy lets in on a line of its own', () => {
    const lines = describePolicy({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Pager',
          Effect: 'Allow',
          Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: 'arn:aws:logs:us-east-1:1:log-group:/aws/events/x:*',
        },
      ],
    }).split('\n');
    expect(lines).toEqual([
      'Pager: Allow logs:CreateLogStream, logs:PutLogEvents',
      '  to events.amazonaws.com, delivery.logs.amazonaws.com',
      '  on arn:aws:logs:us-east-1:1:log-group:/aws/events/x:*',
    ]);
  });

  it('indents a pattern as nested JSON, lists of plain values on one line, and loses nothing', () => {
    const pattern = {
      source: ['aws.s3'],
      detail: { bucket: { name: ['b'] }, object: { key: [{ prefix: 'raw/' }] } },
    };
    const text = describeJson(pattern);
    expect(text.split('\n')).toEqual([
      '{',
      '  "source": ["aws.s3"],',
      '  "detail": {',
      '    "bucket": {',
      '      "name": ["b"]',
      '    },',
      '    "object": {',
      '      "key": [',
      '        {',
      '          "prefix": "raw/"',
      '        }',
      '      ]',
      '    }',
      '  }',
      '}',
    ]);
    expect(JSON.parse(text)).toEqual(pattern);
  });

  it('shows an input transformer as its paths and the template unescaped', () => {
    expect(describeInputTransformer(ARRIVAL_INPUT).split('\n')).toEqual([
      '<bucket> ← $.detail.bucket.name',
      '<key> ← $.detail.object.key',
      '<time> ← $.time',
      'template: {"mode": "event", "bucket": <bucket>, "key": <key>, "time": <time>}',
    ]);
  });
});
