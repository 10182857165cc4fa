/** Rule and target operations: PutRule … ListRuleNamesByTarget, TestEventPattern. */
import { AwsError, CommonErrors } from '../errors.js';
import type { OperationHandler } from '../protocols/types.js';
import { Validator } from '../validate.js';
import type { EventRouter } from './delivery.js';
import { parseEventPatternOrThrow } from './eventPattern.js';
import {
  DEFAULT_BUS,
  emptyStats,
  pageOf,
  ruleArn,
  ruleKey,
  type EventsModel,
  type RuleRecord,
} from './model.js';
import { parseScheduleOrThrow } from './schedule.js';
import type { RuleScheduler } from './scheduler.js';
import { ruleSettleKey, targetSettleKey } from './ruleSettling.js';
import type { SettlingChanges } from '../service.js';
import { checkTargetMembers, checkTargetRules } from './targetValidation.js';

const NAME = { min: 1, max: 64, pattern: /^[.\-_A-Za-z0-9]+$/, patternText: '[\\.\\-_A-Za-z0-9]+' };
const BUS = { min: 1, max: 1600 };
const MAX_TARGETS_PER_RULE = 5;

export interface RuleOpsDeps {
  model: EventsModel;
  scheduler: RuleScheduler;
  router: EventRouter;
  now: () => number;
  /** New rules and targets take a while to take effect (absent: at once). */
  settle?: SettlingChanges;
}

function describe(rule: RuleRecord): Record<string, unknown> {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    EventBusName: rule.eventBusName,
  };
}

function checkTags(tags: unknown): Array<{ Key: string; Value: string }> {
  if (tags === undefined) return [];
  if (!Array.isArray(tags))
    throw CommonErrors.serialization("Start of list found where not expected at 'Tags'");
  for (const t of tags as Array<Record<string, unknown>>) {
    if (
      typeof t?.Key !== 'string' ||
      typeof t?.Value !== 'string' ||
      t.Key.length < 1 ||
      t.Key.length > 128
    ) {
      throw CommonErrors.validation('Tags must have a Key of 1-128 characters and a Value.');
    }
  }
  return tags as Array<{ Key: string; Value: string }>;
}

export function ruleOperations({
  model,
  scheduler,
  now,
  settle,
}: RuleOpsDeps): Record<string, OperationHandler> {
  const ruleFrom = (input: Record<string, unknown>, region: string, member = 'Name'): RuleRecord => {
    const v = new Validator(input);
    const name = v.string(member, { required: true, ...NAME })!;
    const bus = model.busName(v.string('EventBusName', BUS));
    v.check();
    return model.requireRule(region, bus, name);
  };

  return {
    PutRule(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      const name = v.string('Name', { required: true, ...NAME })!;
      const schedule = v.string('ScheduleExpression', { max: 256 });
      const pattern = v.string('EventPattern', { max: 4096 });
      const state = v.string('State', { enum: ['ENABLED', 'DISABLED'] }) as RuleRecord['state'] | undefined;
      const description = v.string('Description', { max: 512 });
      const roleArn = v.string('RoleArn', { min: 1, max: 1600 });
      const bus = model.busName(v.string('EventBusName', BUS));
      v.check();
      const tags = checkTags(input.Tags);
      if (!schedule && !pattern) {
        throw CommonErrors.validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
      }
      if (pattern !== undefined) parseEventPatternOrThrow(pattern);
      if (schedule !== undefined) {
        parseScheduleOrThrow(schedule);
        if (bus !== DEFAULT_BUS) {
          throw CommonErrors.validation('ScheduleExpression is supported only on the default event bus.');
        }
      }
      model.requireBus(ctx.region, bus);
      const rules = model.region(ctx.region).rules;
      const existing = rules[ruleKey(bus, name)];
      const rule: RuleRecord = {
        name,
        arn: ruleArn(ctx.region, bus, name),
        eventBusName: bus,
        state: state ?? 'ENABLED',
        description,
        scheduleExpression: schedule,
        eventPattern: pattern,
        roleArn,
        // An update replaces the definition but keeps targets, tags and counters.
        targets: existing?.targets ?? [],
        tags: existing?.tags ?? tags,
        stats: existing?.stats ?? emptyStats(),
      };
      const scheduleUnchanged =
        existing?.state === 'ENABLED' && rule.state === 'ENABLED' && existing.scheduleExpression === schedule;
      rule.scheduleAnchor = scheduleUnchanged ? existing.scheduleAnchor : now();
      rules[ruleKey(bus, name)] = rule;
      model.changed();
      scheduler.arm(ctx.region, rule);
      if (!existing) settle?.changed(ruleSettleKey(rule.arn));
      return { RuleArn: rule.arn };
    },

    DescribeRule(input: Record<string, unknown>, ctx) {
      const rule = ruleFrom(input, ctx.region);
      return { ...describe(rule), CreatedBy: ctx.accountId };
    },

    ListRules(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      const prefix = v.string('NamePrefix', { min: 1, max: 64 });
      const bus = model.busName(v.string('EventBusName', BUS));
      const nextToken = v.string('NextToken', { min: 1, max: 2048 });
      const limit = v.number('Limit', { min: 1, max: 100, integer: true });
      v.check();
      model.requireBus(ctx.region, bus);
      const rules = model
        .rulesOnBus(ctx.region, bus)
        .filter((r) => !prefix || r.name.startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name));
      const { page, next } = pageOf(rules, nextToken, limit);
      return { Rules: page.map(describe), NextToken: next };
    },

    EnableRule(input: Record<string, unknown>, ctx) {
      const rule = ruleFrom(input, ctx.region);
      if (rule.state !== 'ENABLED') {
        rule.state = 'ENABLED';
        rule.scheduleAnchor = now();
        model.changed();
        scheduler.arm(ctx.region, rule);
      }
      return {};
    },

    DisableRule(input: Record<string, unknown>, ctx) {
      const rule = ruleFrom(input, ctx.region);
      rule.state = 'DISABLED';
      model.changed();
      scheduler.disarm(ctx.region, rule);
      return {};
    },

    DeleteRule(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      const name = v.string('Name', { required: true, ...NAME })!;
      const bus = model.busName(v.string('EventBusName', BUS));
      v.check();
      const rule = model.findRule(ctx.region, bus, name);
      // Deleting a rule that does not exist succeeds, as on AWS.
      if (!rule) return {};
      if (rule.targets.length > 0)
        throw CommonErrors.validation("Rule can't be deleted since it has targets.");
      scheduler.disarm(ctx.region, rule);
      delete model.region(ctx.region).rules[ruleKey(bus, name)];
      model.changed();
      settle?.forget(ruleSettleKey(rule.arn));
      return {};
    },

    PutTargets(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      v.string('Rule', { required: true, ...NAME });
      v.string('EventBusName', BUS);
      const targets = v.list<unknown>('Targets', { required: true, min: 1, max: 10 }) ?? [];
      targets.forEach((raw, i) => checkTargetMembers(v, raw, i + 1));
      v.check();
      const rule = ruleFrom(input, ctx.region, 'Rule');
      const accepted = targets.map((raw) => checkTargetRules(raw as Record<string, unknown>));
      const ids = new Set([...rule.targets.map((t) => t.Id), ...accepted.map((t) => t.Id)]);
      if (ids.size > MAX_TARGETS_PER_RULE) {
        throw new AwsError(
          'LimitExceededException',
          'The requested resource exceeds the maximum number allowed.',
          400,
        );
      }
      for (const t of accepted) {
        const i = rule.targets.findIndex((x) => x.Id === t.Id);
        if (i >= 0) rule.targets[i] = t;
        else rule.targets.push(t);
        settle?.changed(targetSettleKey(rule.arn, t.Id));
      }
      model.changed();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    RemoveTargets(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      v.string('Rule', { required: true, ...NAME });
      v.string('EventBusName', BUS);
      const ids = v.list<string>('Ids', { required: true, min: 1, max: 100 });
      v.check();
      const rule = ruleFrom(input, ctx.region, 'Rule');
      const failed: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> = [];
      for (const id of ids ?? []) {
        const i = rule.targets.findIndex((t) => t.Id === id);
        if (i >= 0) rule.targets.splice(i, 1);
        else
          failed.push({
            TargetId: id,
            ErrorCode: 'ResourceNotFoundException',
            ErrorMessage: `Target ${id} does not exist.`,
          });
      }
      model.changed();
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },

    ListTargetsByRule(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      v.string('Rule', { required: true, ...NAME });
      const nextToken = v.string('NextToken', { min: 1, max: 2048 });
      const limit = v.number('Limit', { min: 1, max: 100, integer: true });
      v.check();
      const rule = ruleFrom(input, ctx.region, 'Rule');
      const { page, next } = pageOf(rule.targets, nextToken, limit);
      return { Targets: page, NextToken: next };
    },

    ListRuleNamesByTarget(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      const targetArn = v.string('TargetArn', { required: true, min: 1, max: 1600 })!;
      const bus = model.busName(v.string('EventBusName', BUS));
      const nextToken = v.string('NextToken', { min: 1, max: 2048 });
      const limit = v.number('Limit', { min: 1, max: 100, integer: true });
      v.check();
      model.requireBus(ctx.region, bus);
      const names = model
        .rulesOnBus(ctx.region, bus)
        .filter((r) => r.targets.some((t) => t.Arn === targetArn))
        .map((r) => r.name)
        .sort();
      const { page, next } = pageOf(names, nextToken, limit);
      return { RuleNames: page, NextToken: next };
    },

    TestEventPattern(input: Record<string, unknown>) {
      const v = new Validator(input);
      const pattern = v.string('EventPattern', { required: true, max: 4096 })!;
      const eventText = v.string('Event', { required: true })!;
      v.check();
      const compiled = parseEventPatternOrThrow(pattern);
      let event: unknown;
      try {
        event = JSON.parse(eventText);
      } catch {
        throw CommonErrors.validation('Parameter Event is not valid.');
      }
      if (typeof event !== 'object' || event === null || Array.isArray(event)) {
        throw CommonErrors.validation('Parameter Event is not valid.');
      }
      for (const field of ['id', 'account', 'source', 'time', 'region', 'detail-type']) {
        if (!(field in event)) {
          throw CommonErrors.validation(
            `Parameter Event is not valid. Reason: Provided Event is missing required field ${field}.`,
          );
        }
      }
      return { Result: compiled.matches(event) };
    },
  };
}
