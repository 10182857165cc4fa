/** CloudWatch Logs log-group operations: lifecycle, listing, retention and tags. */
import { dictionary } from '../dictionary.js';
import type { OperationHandler } from '../protocols/types.js';
import {
  RETENTION_DAYS,
  decodeToken,
  encodeToken,
  groupNameOf,
  invalidParameter,
  LogRules,
  logsValidator,
  tagsOf,
} from './inputs.js';
import { groupArn, groupNotFound, type GroupMeta, type LogStore } from './logStore.js';

type Input = Record<string, unknown>;

/** Region and name of the log group a `resourceArn` names. */
function groupFromArn(arn: string): { region: string; name: string } {
  const m = /^arn:aws[\w-]*:logs:([^:]+):\d*:log-group:([^:]+)(:\*)?$/.exec(arn);
  if (!m) throw invalidParameter(`Invalid resource ARN: ${arn}`);
  return { region: m[1]!, name: m[2]! };
}

export function groupOperations(logs: LogStore): Record<string, OperationHandler> {
  const describe = (region: string, g: GroupMeta): Record<string, unknown> => ({
    logGroupName: g.name,
    creationTime: g.creationTime,
    retentionInDays: g.retentionInDays,
    metricFilterCount: g.metricFilters?.length ?? 0,
    arn: `${groupArn(region, g.name)}:*`,
    storedBytes: logs.storedBytes(region, g),
    kmsKeyId: g.kmsKeyId,
    logGroupClass: g.logGroupClass,
    logGroupArn: groupArn(region, g.name),
  });

  const tagResource = (
    input: Input,
    tagsMember: string,
  ): { group: GroupMeta; tags: Record<string, string> } => {
    const v = logsValidator(input);
    const arn = v.string('resourceArn', { required: true, min: 1, max: 1011 });
    const tags = tagsOf(v, tagsMember, true);
    v.check();
    const { region, name } = groupFromArn(arn!);
    return { group: logs.getGroup(region, name), tags: tags! };
  };

  const untagKeys = (v: ReturnType<typeof logsValidator>, member: string): string[] => {
    const keys = v.list<unknown>(member, { required: true, min: 1, max: 50 }) ?? [];
    if (keys.some((k) => typeof k !== 'string'))
      throw invalidParameter(`${member} must be a list of strings.`);
    return keys as string[];
  };

  const setTags = (group: GroupMeta, tags: Record<string, string>): void => {
    const merged = dictionary({ ...group.tags, ...tags });
    if (Object.keys(merged).length > 50) throw invalidParameter('A log group can have at most 50 tags.');
    group.tags = merged;
    logs.changed();
  };

  return {
    CreateLogGroup(input: Input, ctx) {
      const v = logsValidator(input);
      const name = v.string('logGroupName', { ...LogRules.groupName, required: true });
      const kmsKeyId = v.string('kmsKeyId', { max: 256 });
      const logGroupClass = v.string('logGroupClass', {
        enum: ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'],
      });
      const tags = tagsOf(v, 'tags');
      v.check();
      logs.createGroup(ctx.region, name!, { kmsKeyId, logGroupClass, tags });
      return {};
    },

    DeleteLogGroup(input: Input, ctx) {
      const v = logsValidator(input);
      const name = groupNameOf(v);
      logs.deleteGroup(ctx.region, name);
      return {};
    },

    DescribeLogGroups(input: Input, ctx) {
      const v = logsValidator(input);
      const prefix = v.string('logGroupNamePrefix', LogRules.groupName);
      const pattern = v.string('logGroupNamePattern', { max: 512, pattern: /^[.\-_/#A-Za-z0-9]*$/ });
      const limit = v.number('limit', { min: 1, max: 50, integer: true }) ?? 50;
      const token = decodeToken(v.string('nextToken', LogRules.nextToken));
      v.check();
      if (prefix !== undefined && pattern !== undefined) {
        throw invalidParameter(
          'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
        );
      }
      const needle = pattern?.toLowerCase();
      const matching = logs
        .listGroups(ctx.region)
        .filter(
          (g) =>
            (prefix === undefined || g.name.startsWith(prefix)) &&
            (!needle || g.name.toLowerCase().includes(needle)),
        )
        .filter((g) => token === undefined || g.name >= token);
      const page = matching.slice(0, limit);
      const next = matching[limit];
      return {
        logGroups: page.map((g) => describe(ctx.region, g)),
        nextToken: next ? encodeToken(next.name) : undefined,
      };
    },

    PutRetentionPolicy(input: Input, ctx) {
      const v = logsValidator(input);
      const name = v.string('logGroupName', { ...LogRules.groupName, required: true });
      const days = v.number('retentionInDays', { required: true, integer: true });
      if (days !== undefined && !RETENTION_DAYS.includes(days)) {
        v.addFailure(
          days,
          'retentionInDays',
          `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
        );
      }
      v.check();
      const group = logs.getGroup(ctx.region, name!);
      group.retentionInDays = days;
      logs.changed();
      return {};
    },

    DeleteRetentionPolicy(input: Input, ctx) {
      const v = logsValidator(input);
      const name = v.string('logGroupName', { ...LogRules.groupName, required: true });
      v.check();
      const group = logs.getGroup(ctx.region, name!);
      delete group.retentionInDays;
      logs.changed();
      return {};
    },

    TagResource(input: Input) {
      const { group, tags } = tagResource(input, 'tags');
      setTags(group, tags);
      return {};
    },

    UntagResource(input: Input) {
      const v = logsValidator(input);
      const arn = v.string('resourceArn', { required: true, min: 1, max: 1011 });
      const keys = untagKeys(v, 'tagKeys');
      v.check();
      const { region, name } = groupFromArn(arn!);
      const group = logs.getGroup(region, name);
      for (const k of keys) delete group.tags[k];
      logs.changed();
      return {};
    },

    ListTagsForResource(input: Input) {
      const v = logsValidator(input);
      const arn = v.string('resourceArn', { required: true, min: 1, max: 1011 });
      v.check();
      const { region, name } = groupFromArn(arn!);
      return { tags: { ...logs.getGroup(region, name).tags } };
    },

    TagLogGroup(input: Input, ctx) {
      const v = logsValidator(input);
      const name = v.string('logGroupName', { ...LogRules.groupName, required: true });
      const tags = tagsOf(v, 'tags', true);
      v.check();
      setTags(logs.getGroup(ctx.region, name!), tags!);
      return {};
    },

    UntagLogGroup(input: Input, ctx) {
      const v = logsValidator(input);
      const name = v.string('logGroupName', { ...LogRules.groupName, required: true });
      const keys = untagKeys(v, 'tags');
      v.check();
      const group = logs.getGroup(ctx.region, name!);
      for (const k of keys) delete group.tags[k];
      logs.changed();
      return {};
    },

    ListTagsLogGroup(input: Input, ctx) {
      const v = logsValidator(input);
      const name = v.string('logGroupName', { ...LogRules.groupName, required: true });
      v.check();
      const group = logs.findGroup(ctx.region, name!);
      if (!group) throw groupNotFound();
      return { tags: { ...group.tags } };
    },
  };
}
