/** Event bus, tagging and PutEvents operations. */
import { AwsError, CommonErrors } from '../errors.js';
import type { OperationHandler } from '../protocols/types.js';
import { Validator } from '../validate.js';
import { jsonNestingDepth } from '../jsonDepth.js';
import type { EventRouter } from './delivery.js';
import { busArn, DEFAULT_BUS, pageOf, type EventsModel } from './model.js';

const BUS_NAME = { min: 1, max: 256, pattern: /^[/.\-_A-Za-z0-9]+$/, patternText: '[/\\.\\-_A-Za-z0-9]+' };
const MAX_ENTRY_BYTES = 256 * 1024;
const MAX_DETAIL_DEPTH = 1100;

type Tag = { Key: string; Value: string };

export interface BusOpsDeps {
  model: EventsModel;
  router: EventRouter;
  now: () => number;
}

interface EntryResult {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/** Timestamps go on the wire as epoch seconds (awsJson's format). */
function seconds(ms: number): number {
  return ms / 1000;
}

export function busOperations({ model, router, now }: BusOpsDeps): Record<string, OperationHandler> {
  /** The tag list of a rule or bus, by ARN. */
  const taggable = (region: string, arn: string): { tags: Tag[] } => {
    const rule = /^arn:aws[\w-]*:events:[^:]*:\d*:rule\/(?:([^/]+)\/)?([^/]+)$/.exec(arn);
    if (rule) return model.requireRule(region, rule[1] ?? DEFAULT_BUS, rule[2]!);
    const bus = /^arn:aws[\w-]*:events:[^:]*:\d*:event-bus\/(.+)$/.exec(arn);
    if (bus) return model.requireBus(region, bus[1]!);
    throw new AwsError('ResourceNotFoundException', `Resource ${arn} does not exist.`, 400);
  };

  const putEntry = (region: string, e: Record<string, unknown>): EntryResult => {
    const invalid = (member: string, reason: string): EntryResult => ({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: `Parameter ${member} is not valid. Reason: ${reason}`,
    });
    if (typeof e.Source !== 'string' || e.Source === '')
      return invalid('Source', 'Source is a required argument.');
    if (typeof e.DetailType !== 'string' || e.DetailType === '') {
      return invalid('DetailType', 'DetailType is a required argument.');
    }
    if (typeof e.Detail !== 'string' || e.Detail === '')
      return invalid('Detail', 'Detail is a required argument.');
    // AWS: "PutEvents will only process nested JSON up to 1100 levels deep."
    if (jsonNestingDepth(e.Detail) > MAX_DETAIL_DEPTH) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(e.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (e.Source.startsWith('aws.')) {
      return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
    }
    const size = Buffer.byteLength(e.Source) + Buffer.byteLength(e.DetailType) + Buffer.byteLength(e.Detail);
    if (size > MAX_ENTRY_BYTES) {
      return invalid('Entries', 'Total size of the entries in the request is over the limit.');
    }
    const bus = model.busName(typeof e.EventBusName === 'string' ? e.EventBusName : undefined);
    if (!model.region(region).buses[bus]) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
    }
    const resources = Array.isArray(e.Resources)
      ? (e.Resources as unknown[]).filter((r) => typeof r === 'string')
      : [];
    const time = typeof e.Time === 'number' ? e.Time * 1000 : undefined;
    const event = router.envelope({
      region,
      source: e.Source,
      detailType: e.DetailType,
      detail,
      resources: resources as string[],
      time,
    });
    router.route(region, bus, event);
    return { EventId: event.id };
  };

  return {
    PutEvents(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      const entries = v.list<Record<string, unknown>>('Entries', { required: true, min: 1, max: 10 });
      v.check();
      const results = (entries ?? []).map((e) => putEntry(ctx.region, e ?? {}));
      return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
    },

    CreateEventBus(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      const name = v.string('Name', { required: true, ...BUS_NAME })!;
      const description = v.string('Description', { max: 512 });
      v.check();
      if (name === DEFAULT_BUS || name.includes('/') || name.startsWith('aws.')) {
        throw CommonErrors.validation(`Event bus name ${name} is not valid.`);
      }
      const buses = model.region(ctx.region).buses;
      if (buses[name])
        throw new AwsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`, 400);
      const t = now();
      buses[name] = {
        name,
        arn: busArn(ctx.region, name),
        description,
        creationTime: t,
        lastModifiedTime: t,
        tags: (input.Tags as Tag[] | undefined) ?? [],
      };
      model.changed();
      return { EventBusArn: buses[name].arn, Description: description };
    },

    DeleteEventBus(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      const name = v.string('Name', { required: true, ...BUS_NAME })!;
      v.check();
      if (name === DEFAULT_BUS) throw CommonErrors.validation('Cannot delete event bus default.');
      const region = model.region(ctx.region);
      if (!region.buses[name]) return {};
      if (model.rulesOnBus(ctx.region, name).length > 0) {
        throw CommonErrors.validation(`Event bus ${name} can't be deleted since it has rules.`);
      }
      delete region.buses[name];
      model.changed();
      return {};
    },

    DescribeEventBus(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      const name = model.busName(v.string('Name', { min: 1, max: 1600 }));
      v.check();
      const bus = model.requireBus(ctx.region, name);
      return {
        Name: bus.name,
        Arn: bus.arn,
        Description: bus.description,
        CreationTime: seconds(bus.creationTime),
        LastModifiedTime: seconds(bus.lastModifiedTime),
      };
    },

    ListEventBuses(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      const prefix = v.string('NamePrefix', { min: 1, max: 256 });
      const nextToken = v.string('NextToken', { min: 1, max: 2048 });
      const limit = v.number('Limit', { min: 1, max: 100, integer: true });
      v.check();
      const buses = Object.values(model.region(ctx.region).buses)
        .filter((b) => !prefix || b.name.startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name));
      const { page, next } = pageOf(buses, nextToken, limit);
      return {
        EventBuses: page.map((b) => ({
          Name: b.name,
          Arn: b.arn,
          Description: b.description,
          CreationTime: seconds(b.creationTime),
          LastModifiedTime: seconds(b.lastModifiedTime),
        })),
        NextToken: next,
      };
    },

    TagResource(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      const arn = v.string('ResourceARN', { required: true, min: 1, max: 1600 })!;
      const tags = v.list<Tag>('Tags', { required: true });
      v.check();
      const target = taggable(ctx.region, arn);
      for (const t of tags ?? []) {
        if (typeof t?.Key !== 'string' || typeof t?.Value !== 'string') {
          throw CommonErrors.validation('Tags must have a Key and a Value.');
        }
        const i = target.tags.findIndex((x) => x.Key === t.Key);
        if (i >= 0) target.tags[i] = { Key: t.Key, Value: t.Value };
        else target.tags.push({ Key: t.Key, Value: t.Value });
      }
      model.changed();
      return {};
    },

    UntagResource(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      const arn = v.string('ResourceARN', { required: true, min: 1, max: 1600 })!;
      const keys = v.list<string>('TagKeys', { required: true });
      v.check();
      const target = taggable(ctx.region, arn);
      target.tags = target.tags.filter((t) => !(keys ?? []).includes(t.Key));
      model.changed();
      return {};
    },

    ListTagsForResource(input: Record<string, unknown>, ctx) {
      const v = new Validator(input);
      const arn = v.string('ResourceARN', { required: true, min: 1, max: 1600 })!;
      v.check();
      return { Tags: taggable(ctx.region, arn).tags };
    },
  };
}
