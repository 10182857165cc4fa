/**
 * Event-pattern matching, table-driven from AWS's EventBridge documentation (event patterns,
 * content filtering, comparison operators, arrays, null values) and event-ruler's README.
 */
import { describe, expect, it } from 'vitest';
import { compileEventPattern, InvalidPatternError } from '../../../src/sandbox/events/eventPattern.js';

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const rulerEvent = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

const asgEvent = {
  version: '0',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

const macieEvent = {
  'detail-type': 'Macie Alert',
  source: 'aws.macie',
  resources: [
    'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_id',
    'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id',
  ],
  detail: {
    'notification-type': 'ALERT_CREATED',
    tags: ['Custom_Alert', 'Insider'],
    'risk-score': 80,
    trigger: { 'alert-type': 'basic', risk: 8 },
  },
};

const s3Event = {
  source: 'aws.s3',
  'detail-type': 'Object Created',
  region: 'us-east-1',
  detail: {
    bucket: { name: 'my-bucket' },
    object: { key: 'incoming/2024/data.csv', size: 5, etag: 'abc' },
    reason: 'PutObject',
  },
};

const employees = {
  employees: [
    { firstName: 'John', lastName: 'Doe' },
    { firstName: 'Anna', lastName: 'Smith' },
    { firstName: 'Peter', lastName: 'Jones' },
  ],
};

/** Wrap a detail object into an event. */
const d = (detail: unknown): unknown => ({ source: 'test', detail });

type Case = [name: string, pattern: unknown, event: unknown, expected: boolean];

const cases: Case[] = [
  // ---- event pattern basics (eb-event-patterns)
  [
    'ec2 termination pattern',
    {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    },
    ec2Event,
    true,
  ],
  ['wrong state', { source: ['aws.ec2'], detail: { state: ['running'] } }, ec2Event, false],
  ['source OR list', { source: ['aws.ec2', 'aws.fargate'] }, ec2Event, true],
  ['source OR list, no member', { source: ['aws.s3', 'aws.fargate'] }, ec2Event, false],
  ['field missing in event', { detail: { missing: ['x'] } }, ec2Event, false],
  ['case-sensitive strings', { source: ['AWS.EC2'] }, ec2Event, false],
  ['nesting must match', { state: ['terminated'] }, ec2Event, false],
  ['pattern object vs event string', { source: { x: ['a'] } }, ec2Event, false],
  ['account exact', { account: ['111122223333'] }, ec2Event, true],
  [
    'resources intersect',
    { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] },
    ec2Event,
    true,
  ],
  [
    'resources no intersection',
    { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/other'] },
    ec2Event,
    false,
  ],
  [
    'null value match',
    {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    },
    asgEvent,
    true,
  ],
  ['empty string match', { detail: { eventVersion: [''] } }, asgEvent, true],
  ['empty string does not match null', { detail: { responseElements: [''] } }, asgEvent, false],
  ['null does not match empty string', { detail: { eventVersion: [null] } }, asgEvent, false],
  ['null does not match missing', { detail: { absent: [null] } }, asgEvent, false],
  [
    'macie numbers',
    {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    },
    macieEvent,
    true,
  ],
  ['macie wrong number', { detail: { 'risk-score': [81] } }, macieEvent, false],
  ['number does not match string', { detail: { 'risk-score': ['80'] } }, macieEvent, false],
  ['string does not match number', { detail: { x: [80] } }, d({ x: '80' }), false],
  ['boolean true', { detail: { ok: [true] } }, d({ ok: true }), true],
  ['boolean false vs true', { detail: { ok: [false] } }, d({ ok: true }), false],
  ['boolean vs string "true"', { detail: { ok: [true] } }, d({ ok: 'true' }), false],
  ['event array of strings, pattern value in it', { detail: { tags: ['Insider'] } }, macieEvent, true],
  ['event array of strings, value absent', { detail: { tags: ['Outsider'] } }, macieEvent, false],
  [
    'resources array intersection doc example',
    {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      ],
    },
    {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    true,
  ],
  ['empty event array never matches a value', { resources: ['x'] }, asgEvent, false],
  ['array of objects: one element matches', { employees: { firstName: ['Anna'] } }, employees, true],
  [
    'array of objects: same element both fields',
    { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
    employees,
    true,
  ],
  [
    'array consistency: fields from different elements',
    { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    employees,
    false,
  ],
  [
    'nested arrays of objects',
    { employees: { firstName: ['Peter'] } },
    { employees: [[{ firstName: 'John' }], [{ firstName: 'Peter' }]] },
    true,
  ],
  ['nested arrays of scalars', { v: ['b'] }, { v: [['a'], ['b']] }, true],
  ['multiple fields AND', { source: ['aws.ec2'], region: ['us-east-1'] }, ec2Event, false],
  ['deep nested object', { detail: { bucket: { name: ['my-bucket'] } } }, s3Event, true],
  ['deep nested object wrong', { detail: { bucket: { name: ['other'] } } }, s3Event, false],
  ['number equality 3.018e2 form', { detail: { 'x-limit': [3.018e2] } }, rulerEvent, true],
  ['dotted key in pattern is not a path', { 'detail.state': ['running'] }, rulerEvent, false],

  // ---- prefix
  ['prefix time', { time: [{ prefix: '2017-10-02' }] }, rulerEvent, true],
  ['prefix time no', { time: [{ prefix: '2017-10-03' }] }, rulerEvent, false],
  ['prefix region us-', { region: [{ prefix: 'us-' }] }, rulerEvent, true],
  ['prefix is case sensitive', { region: [{ prefix: 'US-' }] }, rulerEvent, false],
  ['prefix on number does not match', { detail: { 'c-count': [{ prefix: '5' }] } }, rulerEvent, false],
  ['prefix on s3 key', { detail: { object: { key: [{ prefix: 'incoming/' }] } } }, s3Event, true],
  ['prefix on s3 key other folder', { detail: { object: { key: [{ prefix: 'raw/' }] } } }, s3Event, false],
  [
    'prefix equals-ignore-case',
    { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] },
    { service: 'EventBridge' },
    true,
  ],
  [
    'prefix equals-ignore-case no',
    { service: [{ prefix: { 'equals-ignore-case': 'lambda' } }] },
    { service: 'EventBridge' },
    false,
  ],
  ['prefix empty string matches any string', { source: [{ prefix: '' }] }, rulerEvent, true],
  ['prefix in array values', { resources: [{ prefix: 'arn:aws:ec2:us-east-1' }] }, rulerEvent, true],

  // ---- suffix
  ['suffix .png', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, true],
  ['suffix .png vs .jpg', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.jpg' }, false],
  ['suffix case sensitive', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' }, false],
  [
    'suffix equals-ignore-case',
    { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
    { FileName: 'image.PNG' },
    true,
  ],
  [
    'suffix equals-ignore-case no',
    { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
    { FileName: 'image.gif' },
    false,
  ],
  ['suffix ec2', { source: [{ suffix: 'ec2' }] }, rulerEvent, true],
  ['suffix on number', { v: [{ suffix: '0' }] }, { v: 10 }, false],

  // ---- equals-ignore-case
  ['equals-ignore-case', { source: [{ 'equals-ignore-case': 'AWS.EC2' }] }, rulerEvent, true],
  ['equals-ignore-case different', { source: [{ 'equals-ignore-case': 'aws.ec' }] }, rulerEvent, false],
  ['equals-ignore-case alice', { name: [{ 'equals-ignore-case': 'alice' }] }, { name: 'ALICE' }, true],
  ['equals-ignore-case on number', { v: [{ 'equals-ignore-case': '5' }] }, { v: 5 }, false],

  // ---- anything-but
  [
    'anything-but string: other value',
    { detail: { state: [{ 'anything-but': 'initializing' }] } },
    rulerEvent,
    true,
  ],
  [
    'anything-but string: same value',
    { detail: { state: [{ 'anything-but': 'running' }] } },
    rulerEvent,
    false,
  ],
  ['anything-but string: field missing', { detail: { nope: [{ 'anything-but': 'x' }] } }, rulerEvent, false],
  ['anything-but number: other', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, rulerEvent, true],
  ['anything-but number: same', { detail: { 'c-count': [{ 'anything-but': 5 }] } }, rulerEvent, false],
  [
    'anything-but list of strings: not in list',
    { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    rulerEvent,
    true,
  ],
  [
    'anything-but list of strings: in list',
    { detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } },
    rulerEvent,
    false,
  ],
  [
    'anything-but list of numbers: not in list',
    { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    rulerEvent,
    true,
  ],
  [
    'anything-but list of numbers: in list',
    { detail: { 'd-count': [{ 'anything-but': [1, 2, 3] }] } },
    rulerEvent,
    false,
  ],
  ['anything-but string vs number value', { v: [{ 'anything-but': '5' }] }, { v: 5 }, true],
  [
    'anything-but prefix: no prefix',
    { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    rulerEvent,
    true,
  ],
  [
    'anything-but prefix: has prefix',
    { detail: { state: [{ 'anything-but': { prefix: 'run' } }] } },
    rulerEvent,
    false,
  ],
  [
    'anything-but prefix: region not us',
    { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    { Region: 'eu-west-1' },
    true,
  ],
  [
    'anything-but prefix: region us',
    { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    { Region: 'us-east-1' },
    false,
  ],
  [
    'anything-but prefix list',
    { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] },
    { Region: 'eu-west-1' },
    false,
  ],
  [
    'anything-but prefix list: none',
    { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] },
    { Region: 'ap-south-1' },
    true,
  ],
  [
    'anything-but suffix: not .png',
    { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    { FileName: 'a.txt' },
    true,
  ],
  [
    'anything-but suffix: .png',
    { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    { FileName: 'a.png' },
    false,
  ],
  [
    'anything-but suffix list',
    { FileName: [{ 'anything-but': { suffix: ['.png', '.txt'] } }] },
    { FileName: 'a.txt' },
    false,
  ],
  [
    'anything-but equals-ignore-case: different',
    { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    { state: 'running' },
    true,
  ],
  [
    'anything-but equals-ignore-case: same other case',
    { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    { state: 'INITIALIZING' },
    false,
  ],
  [
    'anything-but equals-ignore-case list',
    { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OVERLOADED'] } }] },
    { state: 'overloaded' },
    false,
  ],
  [
    'anything-but wildcard: path without /lib/',
    { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    { FilePath: '/usr/bin/x' },
    true,
  ],
  [
    'anything-but wildcard: path with /lib/',
    { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    { FilePath: '/usr/lib/x' },
    false,
  ],
  [
    'anything-but wildcard list',
    { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] },
    { FilePath: '/usr/bin/x' },
    false,
  ],
  [
    'anything-but with event array: one element differs',
    { v: [{ 'anything-but': 'a' }] },
    { v: ['a', 'b'] },
    true,
  ],
  [
    'anything-but with event array: all excluded',
    { v: [{ 'anything-but': ['a', 'b'] }] },
    { v: ['a', 'b'] },
    false,
  ],
  ['anything-but matches null value', { v: [{ 'anything-but': 'a' }] }, { v: null }, true],

  // ---- numeric
  [
    'numeric complex doc example',
    {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    rulerEvent,
    true,
  ],
  ['numeric > 0 <= 5 upper bound inclusive', { v: [{ numeric: ['>', 0, '<=', 5] }] }, { v: 5 }, true],
  ['numeric > 0 lower bound exclusive', { v: [{ numeric: ['>', 0, '<=', 5] }] }, { v: 0 }, false],
  ['numeric > 0 <= 5 above', { v: [{ numeric: ['>', 0, '<=', 5] }] }, { v: 5.000001 }, false],
  ['numeric >= inclusive', { v: [{ numeric: ['>=', 10] }] }, { v: 10 }, true],
  ['numeric >= below', { v: [{ numeric: ['>=', 10] }] }, { v: 9.999999 }, false],
  ['numeric < exclusive', { v: [{ numeric: ['<', 10] }] }, { v: 10 }, false],
  ['numeric < below', { v: [{ numeric: ['<', 10] }] }, { v: -3 }, true],
  ['numeric <= inclusive', { v: [{ numeric: ['<=', 10] }] }, { v: 10 }, true],
  ['numeric = exact', { v: [{ numeric: ['=', 301.8] }] }, { v: 301.8 }, true],
  ['numeric = different', { v: [{ numeric: ['=', 301.8] }] }, { v: 301.9 }, false],
  ['numeric >= 0 < 100 range', { v: [{ numeric: ['>=', 0, '<', 100] }] }, { v: 99.5 }, true],
  ['numeric range top exclusive', { v: [{ numeric: ['>=', 0, '<', 100] }] }, { v: 100 }, false],
  ['numeric does not match string number', { v: [{ numeric: ['>', 0] }] }, { v: '5' }, false],
  ['numeric does not match missing', { v: [{ numeric: ['>', 0] }] }, {}, false],
  ['numeric on array any element', { v: [{ numeric: ['>', 10] }] }, { v: [1, 2, 30] }, true],
  ['numeric on array none', { v: [{ numeric: ['>', 10] }] }, { v: [1, 2, 3] }, false],
  ['numeric negative', { v: [{ numeric: ['<', -1e3] }] }, { v: -2000 }, true],
  ['numeric outside comparable range ignored', { v: [{ numeric: ['>', 0] }] }, { v: 6e9 }, false],
  ['numeric with s3 object size', { detail: { object: { size: [{ numeric: ['>', 0] }] } } }, s3Event, true],

  // ---- cidr / IP
  ['cidr 10.0.0.0/24 in', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, rulerEvent, true],
  ['cidr 10.0.0.0/24 out', { v: [{ cidr: '10.0.0.0/24' }] }, { v: '10.0.1.1' }, false],
  ['cidr /8', { detail: { 'source-ip': [{ cidr: '10.0.0.0/8' }] } }, rulerEvent, true],
  ['cidr /8 out', { v: [{ cidr: '10.0.0.0/8' }] }, { v: '11.0.0.1' }, false],
  ['cidr broadcast edge', { v: [{ cidr: '10.0.0.0/24' }] }, { v: '10.0.0.255' }, true],
  ['cidr non-IP string', { v: [{ cidr: '10.0.0.0/24' }] }, { v: 'hello' }, false],
  ['cidr on number', { v: [{ cidr: '10.0.0.0/24' }] }, { v: 10 }, false],
  ['cidr ipv6 in', { v: [{ cidr: '2001:db8::/64' }] }, { v: '2001:db8::ff00:42:8329' }, true],
  ['cidr ipv6 out', { v: [{ cidr: '2001:db8::/64' }] }, { v: '2001:db9::1' }, false],
  [
    'cidr ipv6 expanded form in',
    { v: [{ cidr: '2001:db8::/32' }] },
    { v: '2001:0db8:0000:0000:0000:0000:0000:0001' },
    true,
  ],
  ['cidr ipv4 vs ipv6 value', { v: [{ cidr: '10.0.0.0/8' }] }, { v: '::1' }, false],
  ['exact IP literal', { v: ['10.0.0.33'] }, { v: '10.0.0.33' }, true],
  ['exact IPv6 literal in another spelling', { v: ['2001:db8::1'] }, { v: '2001:0db8:0:0:0:0:0:1' }, true],
  ['exact IP literal different', { v: ['10.0.0.33'] }, { v: '10.0.0.34' }, false],

  // ---- exists
  ['exists true present', { detail: { 'c-count': [{ exists: true }] } }, rulerEvent, true],
  ['exists true absent', { detail: { 'e-count': [{ exists: true }] } }, rulerEvent, false],
  ['exists false absent', { detail: { 'e-count': [{ exists: false }] } }, rulerEvent, true],
  ['exists false present', { detail: { 'c-count': [{ exists: false }] } }, rulerEvent, false],
  [
    'exists false doc example 1',
    { detail: { 'c-count': [{ exists: false }] } },
    { 'detail-type': 'x', detail: { state: ['initializing', 'running'] } },
    true,
  ],
  [
    'exists false on non-leaf (object) matches',
    { detail: { 'c-count': [{ exists: false }] } },
    { detail: { state: ['initializing'], 'c-count': { c1: 100 } } },
    true,
  ],
  [
    'exists true on non-leaf (object) does not match',
    { detail: { 'c-count': [{ exists: true }] } },
    { detail: { 'c-count': { c1: 100 } } },
    false,
  ],
  ['exists true on null value', { v: [{ exists: true }] }, { v: null }, true],
  ['exists true on empty string', { v: [{ exists: true }] }, { v: '' }, true],
  ['exists false when whole parent missing', { detail: { x: [{ exists: false }] } }, { source: 'a' }, true],
  ['exists true when parent missing', { detail: { x: [{ exists: true }] } }, { source: 'a' }, false],
  ['exists false on empty array', { v: [{ exists: false }] }, { v: [] }, true],
  ['exists true on empty array', { v: [{ exists: true }] }, { v: [] }, false],
  ['exists true on array', { v: [{ exists: true }] }, { v: ['a'] }, true],
  [
    'exists false with other field',
    { source: ['aws.ec2'], detail: { nope: [{ exists: false }] } },
    rulerEvent,
    true,
  ],

  // ---- wildcard
  [
    'wildcard Simple*Service',
    { source: [{ wildcard: 'Simple*Service' }] },
    { source: 'SimpleQueueService' },
    true,
  ],
  [
    'wildcard matches empty run',
    { source: [{ wildcard: 'Simple*Service' }] },
    { source: 'SimpleService' },
    true,
  ],
  ['wildcard no', { source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleQueue' }, false],
  [
    'wildcard dir/*.png',
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' },
    true,
  ],
  [
    'wildcard dir/*.png other region',
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' },
    false,
  ],
  ['wildcard multiple', { key: [{ wildcard: 'dir/*/file*.txt' }] }, { key: 'dir/a/b/file1.txt' }, true],
  ['wildcard escaped star literal', { v: [{ wildcard: 'a\\*b' }] }, { v: 'a*b' }, true],
  ['wildcard escaped star is not a wildcard', { v: [{ wildcard: 'a\\*b' }] }, { v: 'axxb' }, false],
  ['wildcard escaped backslash', { v: [{ wildcard: 'a\\\\b' }] }, { v: 'a\\b' }, true],
  ['wildcard regex metachars are literal', { v: [{ wildcard: 'a.b*' }] }, { v: 'axb' }, false],
  ['wildcard is case sensitive', { v: [{ wildcard: 'abc*' }] }, { v: 'ABCd' }, false],
  ['wildcard on number', { v: [{ wildcard: '1*' }] }, { v: 10 }, false],
  ['wildcard lone star matches any string', { v: [{ wildcard: '*' }] }, { v: '' }, true],

  // ---- $or
  [
    '$or first branch',
    {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    },
    { source: 'aws.cloudwatch', metricName: 'ReadLatency' },
    true,
  ],
  [
    '$or second branch',
    {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    },
    { source: 'aws.cloudwatch', namespace: 'AWS/ES' },
    true,
  ],
  [
    '$or no branch',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] },
    { source: 'aws.cloudwatch', namespace: 'AWS/ES' },
    false,
  ],
  [
    '$or outer AND fails',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] },
    { source: 'aws.ec2', namespace: 'AWS/EC2' },
    false,
  ],
  [
    '$or with AND inside',
    { $or: [{ metricName: ['X'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }] },
    { metricType: 'MetricType', namespace: 'AWS/EC2' },
    true,
  ],
  [
    '$or with AND inside partial',
    { $or: [{ metricName: ['X'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }] },
    { metricType: 'MetricType', namespace: 'AWS/ES' },
    false,
  ],
  [
    '$or nested in detail',
    {
      detail: {
        $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }],
      },
    },
    rulerEvent,
    true,
  ],
  [
    '$or nested in detail none',
    { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['>', 10] }] }] } },
    rulerEvent,
    false,
  ],
  [
    'parallel $or both satisfied',
    {
      $or: [{ metricName: ['A'] }, { namespace: ['B'] }],
      detail: { $or: [{ source: ['C'] }, { 'detail-type': ['D'] }] },
    },
    { namespace: 'B', detail: { 'detail-type': 'D' } },
    true,
  ],
  [
    'parallel $or one unsatisfied',
    {
      $or: [{ metricName: ['A'] }, { namespace: ['B'] }],
      detail: { $or: [{ source: ['C'] }, { 'detail-type': ['D'] }] },
    },
    { namespace: 'B', detail: { 'detail-type': 'E' } },
    false,
  ],
  [
    'nested $or inside $or',
    {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['X'] },
        { metricType: ['MetricType'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
      ],
    },
    { source: 'aws.cloudwatch', metricType: 'MetricType', spaceId: 1000 },
    true,
  ],
  [
    'nested $or inside $or none',
    {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['X'] },
        { metricType: ['MetricType'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
      ],
    },
    { source: 'aws.cloudwatch', metricType: 'MetricType', spaceId: 1001 },
    false,
  ],

  // ---- mixed lists and combinations
  ['list mixing exact and prefix', { source: ['aws.s3', { prefix: 'aws.e' }] }, rulerEvent, true],
  ['list mixing exact and numeric', { v: ['x', { numeric: ['>', 3] }] }, { v: 4 }, true],
  ['list with exists false or value', { v: [{ exists: false }, 'a'] }, {}, true],
  ['list with exists false or value (present other)', { v: [{ exists: false }, 'a'] }, { v: 'b' }, false],
  [
    'complex example all conditions',
    {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    },
    rulerEvent,
    true,
  ],
  [
    'complex example one failing',
    {
      time: [{ prefix: '2017-10-02' }],
      detail: { state: [{ 'anything-but': 'running' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
    },
    rulerEvent,
    false,
  ],
  [
    's3 object created under incoming/',
    {
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: ['my-bucket'] }, object: { key: [{ prefix: 'incoming/' }] } },
    },
    s3Event,
    true,
  ],
  [
    's3 object created other bucket',
    { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['other-bucket'] } } },
    s3Event,
    false,
  ],
  ['s3 detail-type list', { 'detail-type': ['Object Created', 'Object Deleted'] }, s3Event, true],
];

describe('event pattern matching (AWS documentation table)', () => {
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(compileEventPattern(JSON.stringify(pattern)).matches(event)).toBe(expected);
  });
});

const invalid: Array<[pattern: string, reason: string | RegExp]> = [
  ['[]', 'Filter is not an object'],
  ['"source"', 'Filter is not an object'],
  ['{"source": "aws.ec2"}', '"source" must be an object or an array'],
  ['{"source": 5}', '"source" must be an object or an array'],
  ['{"source": null}', '"source" must be an object or an array'],
  ['{}', 'Empty objects are not allowed'],
  ['{"detail": {}}', 'Empty objects are not allowed'],
  ['{"source": []}', 'Empty arrays are not allowed'],
  ['{"source": [["a"]]}', 'Match value must be String, number, true, false, or null'],
  ['{"source": [{}]}', 'Match expression name not found'],
  ['{"source": [{"contains": "x"}]}', 'Unrecognized match type contains'],
  ['{"source": [{"prefix": 5}]}', 'prefix match pattern must be a string'],
  ['{"source": [{"prefix": "a", "suffix": "b"}]}', 'Only one key allowed in match expression'],
  ['{"source": [{"prefix": {"wildcard": "a"}}]}', 'Unsupported prefix pattern: wildcard'],
  ['{"source": [{"suffix": ["x"]}]}', 'suffix match pattern must be a string'],
  ['{"source": [{"suffix": {"foo": "a"}}]}', 'Unsupported suffix pattern: foo'],
  ['{"source": [{"equals-ignore-case": 1}]}', 'equals-ignore-case match pattern must be a string'],
  ['{"source": [{"wildcard": 1}]}', 'wildcard match pattern must be a string'],
  ['{"source": [{"wildcard": "a**b"}]}', 'Consecutive wildcard characters at pos 2'],
  ['{"source": [{"wildcard": "a\\\\b"}]}', 'Invalid escape character at pos 2'],
  ['{"source": [{"exists": "true"}]}', 'exists match pattern must be either true or false.'],
  ['{"v": [{"numeric": 5}]}', 'Value of numeric must be an array.'],
  ['{"v": [{"numeric": [5]}]}', 'Invalid member in numeric match: 5'],
  ['{"v": [{"numeric": ["!=", 5]}]}', 'Unrecognized numeric range operator: !='],
  ['{"v": [{"numeric": [">", "5"]}]}', 'Value of > must be numeric'],
  ['{"v": [{"numeric": ["=", 5, 6]}]}', 'Too many elements in numeric expression'],
  ['{"v": [{"numeric": ["<", 5, ">", 1]}]}', 'Too many elements in numeric expression'],
  ['{"v": [{"numeric": [">", 5, ">", 1]}]}', 'Bad numeric range operator: >'],
  ['{"v": [{"numeric": [">", 5, "<", 1]}]}', 'Bottom must be less than top'],
  ['{"v": [{"numeric": [">", 0, "<", 10, 11]}]}', 'Too many terms in numeric range expression'],
  ['{"v": [{"numeric": [">", 6e9]}]}', 'Value must be between -5000000000 and 5000000000, inclusive'],
  ['{"v": [{"numeric": [">", 0.0000001]}]}', /Only values upto 6 decimals are supported/],
  [
    '{"v": [{"anything-but": null}]}',
    'Value of anything-but must be an array or single string/number value.',
  ],
  [
    '{"v": [{"anything-but": true}]}',
    'Value of anything-but must be an array or single string/number value.',
  ],
  [
    '{"v": [{"anything-but": ["a", 1]}]}',
    'Inside anything but list, either all values are number or string, mixed type is not supported',
  ],
  [
    '{"v": [{"anything-but": ["a", null]}]}',
    'Inside anything but list, start|null|boolean is not supported.',
  ],
  ['{"v": [{"anything-but": {"numeric": [">", 1]}}]}', 'Unsupported anything-but pattern: numeric'],
  ['{"v": [{"anything-but": {}}]}', 'Anything-But expression name not found'],
  ['{"v": [{"anything-but": {"prefix": ""}}]}', 'Null prefix/suffix not allowed'],
  ['{"v": [{"anything-but": {"suffix": 5}}]}', 'prefix/suffix match pattern must be a string'],
  [
    '{"v": [{"anything-but": {"equals-ignore-case": 5}}]}',
    'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
  ],
  ['{"v": [{"anything-but": {"wildcard": "a**"}}]}', 'Consecutive wildcard characters at pos 2'],
  ['{"v": [{"cidr": 10}]}', 'prefix match pattern must be a string'],
  ['{"v": [{"cidr": "10.0.0.0"}]}', "Malformed CIDR, one '/' required"],
  ['{"v": [{"cidr": "10.0.0.0/x"}]}', 'Malformed CIDR, mask bits must be an integer'],
  ['{"v": [{"cidr": "10.0.0.0/33"}]}', 'IPv4 mask bits must be < 32'],
  ['{"v": [{"cidr": "2001:db8::/130"}]}', 'IPv6 mask bits must be < 128'],
  ['{"v": [{"cidr": "300.0.0.0/8"}]}', 'Invalid IP address: 300.0.0.0'],
  ['{"$or": {"a": ["b"]}}', 'It must be an Array followed with $or.'],
  ['{"$or": [{"a": ["b"]}]}', 'There must have at least 2 Objects in $or relationship.'],
  ['{"$or": [{"a": ["b"]}, "c"]}', 'Only JSON object is allowed in array of $or relationship.'],
  [
    '{"$or": [{"numeric": [1]}, {"prefix": ["a"]}]}',
    'numeric is Ruler reserved fieldName which cannot be used inside $or.',
  ],
  ['{"source": ', /Unexpected character/],
];

describe('invalid event patterns', () => {
  it.each(invalid)('%s', (pattern, reason) => {
    let caught: unknown;
    try {
      compileEventPattern(pattern);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidPatternError);
    if (typeof reason === 'string') expect((caught as InvalidPatternError).reason).toBe(reason);
    else expect((caught as InvalidPatternError).reason).toMatch(reason);
  });
});
