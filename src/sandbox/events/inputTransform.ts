/**
 * What a target receives: the whole event, `Input` (constant JSON), `InputPath` (a JSONPath into the
 * event) or `InputTransformer` (values picked by `InputPathsMap` substituted into `InputTemplate`).
 *
 * Template substitution follows EventBridge: a placeholder inside a JSON string gets the value's text
 * (strings as-is, other values as JSON), escaped for the string; outside quotes it gets the value as JSON.
 */
import type { TargetRecord } from './model.js';
import { dictionary } from '../dictionary.js';

export interface TransformContext {
  event: Record<string, unknown>;
  ruleArn: string;
  ruleName: string;
  ingestionTime: string;
}

export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

/** Parse a simple JSONPath (`$`, `$.a.b`, `$.a[0]`, `$['a-b']`) into steps. */
export function parseJsonPath(path: string): Array<string | number> {
  if (!path.startsWith('$')) throw new JsonPathError(`Invalid JSONPath ${path}`);
  const steps: Array<string | number> = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) throw new JsonPathError(`Invalid JSONPath ${path}`);
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push(m[3] ?? m[4]!);
  }
  return steps;
}

export function selectJsonPath(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const step of parseJsonPath(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    // Only the event's own members: `$.detail.constructor` is not Object's constructor.
    if (!Object.hasOwn(node, step)) return undefined;
    node = (node as Record<string | number, unknown>)[step];
    if (node === undefined) return undefined;
  }
  return node;
}

function escapeForString(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

export function applyTemplate(template: string, values: Record<string, unknown>): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch === '\\' && inString) {
      out += ch + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') inString = !inString;
    if (ch === '<') {
      const end = template.indexOf('>', i);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (end > i && Object.hasOwn(values, name)) {
        const v = values[name];
        if (inString) {
          out += v === undefined ? '' : escapeForString(typeof v === 'string' ? v : JSON.stringify(v));
        } else {
          out += v === undefined ? 'null' : JSON.stringify(v);
        }
        i = end;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

/** The payload bytes for one target. */
export function targetPayload(target: TargetRecord, ctx: TransformContext): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    const v = selectJsonPath(ctx.event, target.InputPath);
    return v === undefined ? '' : JSON.stringify(v);
  }
  if (target.InputTransformer) {
    const values: Record<string, unknown> = dictionary({
      'aws.events.rule-arn': ctx.ruleArn,
      'aws.events.rule-name': ctx.ruleName,
      'aws.events.event.ingestion-time': ctx.ingestionTime,
      'aws.events.event': ctx.event,
      'aws.events.event.json': ctx.event,
    });
    for (const [name, path] of Object.entries(target.InputTransformer.InputPathsMap ?? {})) {
      values[name] = selectJsonPath(ctx.event, path);
    }
    return applyTemplate(target.InputTransformer.InputTemplate, values);
  }
  return JSON.stringify(ctx.event);
}
