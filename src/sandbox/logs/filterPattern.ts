/**
 * CloudWatch Logs filter patterns, as "Filter pattern syntax for metric filters, subscription
 * filters, filter log events, and Live Tail" describes them, compiled once and matched against each
 * event's message:
 *
 * - unstructured: terms, "phrases", `?term` (OR), `-term` (exclude), `%regex%` (filterTerms.ts);
 * - JSON: `{ $.level = "ERROR" && $.ms > 100 }` (filterJson.ts);
 * - space-delimited: `[ip, user, ..., status = 4*, bytes > 1000]` (filterDelimited.ts).
 *
 * A match also gives what the pattern extracted (TestMetricFilter's `extractedValues`) and the
 * value of any field a metric filter's metric value or dimensions name (`$.latency`, `$bytes`).
 */
import { compileDelimited } from './filterDelimited.js';
import { compileJson, lookup, parseSelector } from './filterJson.js';
import { compileTerms } from './filterTerms.js';
import { invalidPattern } from './filterValues.js';

export interface FilterMatch {
  /** Values the pattern extracted, keyed as TestMetricFilter reports them: `$.field`, `$name`, `$3`. */
  extracted: Map<string, string>;
  /** A field of the event by selector (`$.a.b` for JSON, `$name`/`$3` for space-delimited), if present and a value. */
  field(selector: string): string | number | boolean | undefined;
}

export type FilterPatternKind = 'all' | 'terms' | 'json' | 'delimited';

/** One event's message parsed as JSON, shared by the patterns it is matched against. */
export interface ParsedMessage {
  json?: unknown;
  parsed?: boolean;
}

export interface CompiledFilterPattern {
  kind: FilterPatternKind;
  /** How many `%regex%` the pattern uses (CloudWatch Logs limits regex patterns per log group). */
  regexCount: number;
  /** `parsed` lets several JSON patterns share one JSON.parse of the same message. */
  match(message: string, parsed?: ParsedMessage): FilterMatch | undefined;
  test(message: string): boolean;
}

const NO_FIELDS: FilterMatch = { extracted: new Map(), field: () => undefined };

function scalar(v: unknown): string | number | boolean | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

function jsonMatch(doc: unknown, selectors: string[]): FilterMatch {
  let extracted: Map<string, string> | undefined;
  return {
    // Built only when asked for (TestMetricFilter); metric filters read single fields.
    get extracted() {
      if (!extracted) {
        extracted = new Map();
        for (const s of selectors) {
          const v = scalar(lookup(doc, parseSelector(s)!).value);
          if (v !== undefined) extracted.set(s, String(v));
        }
      }
      return extracted;
    },
    field: (selector) => {
      const path = parseSelector(selector);
      return path ? scalar(lookup(doc, path).value) : undefined;
    },
  };
}

function parseJson(message: string, cache: ParsedMessage = {}): unknown {
  if (!cache.parsed) {
    cache.parsed = true;
    try {
      const doc: unknown = JSON.parse(message);
      cache.json = doc !== null && typeof doc === 'object' ? doc : undefined;
    } catch {
      cache.json = undefined;
    }
  }
  return cache.json;
}

/** Compile a filter pattern; throws InvalidParameterException ("Invalid filter pattern") if AWS would. */
export function compileFilterPattern(pattern: string | undefined): CompiledFilterPattern {
  const p = (pattern ?? '').trim();
  const build = (
    kind: FilterPatternKind,
    regexCount: number,
    match: (m: string, parsed?: ParsedMessage) => FilterMatch | undefined,
  ): CompiledFilterPattern => ({ kind, regexCount, match, test: (m) => match(m) !== undefined });

  if (p === '' || p === '""') return build('all', 0, () => NO_FIELDS);
  if (p.startsWith('{')) {
    if (!p.endsWith('}')) throw invalidPattern();
    const json = compileJson(p.slice(1, -1));
    return build('json', json.regexCount, (m, parsed) => {
      const doc = parseJson(m, parsed);
      return doc !== undefined && json.test(doc) ? jsonMatch(doc, json.selectors) : undefined;
    });
  }
  if (p.startsWith('[')) {
    if (!p.endsWith(']')) throw invalidPattern();
    const delimited = compileDelimited(p.slice(1, -1));
    return build('delimited', delimited.regexCount, (m) => {
      const values = delimited.match(m);
      return values ? { extracted: values, field: (s) => values.get(s) } : undefined;
    });
  }
  const terms = compileTerms(p);
  const regexCount = (p.match(/%[^%]*%/g) ?? []).length;
  return build('terms', regexCount, (m) => (terms(m) ? NO_FIELDS : undefined));
}
