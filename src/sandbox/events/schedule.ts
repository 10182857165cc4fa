/**
 * EventBridge schedule expressions: `rate(n unit)` and the six-field `cron(min hour dom month dow year)`,
 * validated as PutRule validates them, and the next fire time after a given instant (UTC, minute granularity).
 */
import { AwsError } from '../errors.js';

export const INVALID_SCHEDULE = 'Parameter ScheduleExpression is not valid.';

export class ScheduleSyntaxError extends Error {
  override readonly name = 'ScheduleSyntaxError';
}

const MINUTE = 60_000;

export interface Schedule {
  /** The first fire time strictly after `afterMs` (epoch ms, whole minutes); undefined when none remains. */
  nextAfter(afterMs: number, anchorMs: number): number | undefined;
}

// ---- rate ------------------------------------------------------------------------------------

const RATE_UNITS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE };

function parseRate(body: string): Schedule {
  const m = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!m) throw new ScheduleSyntaxError('bad rate');
  const value = Number(m[1]);
  const unit = m[2]!;
  const plural = unit.endsWith('s');
  if (value < 1 || (value === 1) === plural) throw new ScheduleSyntaxError('bad rate unit');
  const period = value * RATE_UNITS[plural ? unit.slice(0, -1) : unit]!;
  return {
    // A rate schedule runs every period counted from its anchor (when the rule was scheduled),
    // aligned to the minute as EventBridge does.
    nextAfter(afterMs, anchorMs) {
      const base = Math.floor(anchorMs / MINUTE) * MINUTE;
      if (afterMs < base) return base + period;
      return base + (Math.floor((afterMs - base) / period) + 1) * period;
    },
  };
}

// ---- cron ------------------------------------------------------------------------------------

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  min: number;
  max: number;
  names?: string[];
}

const SPECS = {
  minute: { min: 0, max: 59 },
  hour: { min: 0, max: 23 },
  dom: { min: 1, max: 31 },
  month: { min: 1, max: 12, names: MONTHS },
  dow: { min: 1, max: 7, names: DAYS },
  year: { min: 1970, max: 2199 },
} satisfies Record<string, FieldSpec>;

function bad(): never {
  throw new ScheduleSyntaxError('bad cron');
}

function parseNumber(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + spec.min;
  if (!/^\d+$/.test(text)) bad();
  const n = Number(text);
  if (n < spec.min || n > spec.max) bad();
  return n;
}

/** Expand a standard list/range/step field into the set of values it allows. */
function parseSet(field: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const item of field.split(',')) {
    const [range, stepText, ...more] = item.split('/');
    if (more.length > 0 || range === undefined || range === '') bad();
    const step = stepText === undefined ? 1 : Number(stepText);
    if (stepText !== undefined && (!/^\d+$/.test(stepText) || step < 1)) bad();
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.max;
    } else if (range.includes('-')) {
      const [a, b, ...rest] = range.split('-');
      if (rest.length > 0 || !a || !b) bad();
      from = parseNumber(a, spec);
      to = parseNumber(b, spec);
    } else {
      from = parseNumber(range, spec);
      to = stepText === undefined ? from : spec.max;
    }
    const span = spec.max - spec.min + 1;
    // Ranges may wrap (FRI-MON, NOV-FEB), as in Quartz-style cron.
    const count = (to >= from ? to - from : to + span - from) + 1;
    for (let i = 0; i < count; i += step) out.add(((from - spec.min + i) % span) + spec.min);
  }
  return out;
}

type DomRule =
  | { kind: 'any' }
  | { kind: 'set'; days: Set<number> }
  | { kind: 'last' }
  | { kind: 'lastWeekday' }
  | { kind: 'nearestWeekday'; day: number };
type DowRule =
  | { kind: 'any' }
  | { kind: 'set'; days: Set<number> }
  | { kind: 'last'; dow: number }
  | { kind: 'nth'; dow: number; n: number };

function parseDom(field: string): DomRule {
  if (field === '?') return { kind: 'any' };
  if (field === 'L') return { kind: 'last' };
  if (field === 'LW') return { kind: 'lastWeekday' };
  const w = /^(\d{1,2})W$/.exec(field);
  if (w) return { kind: 'nearestWeekday', day: parseNumber(w[1]!, SPECS.dom) };
  return { kind: 'set', days: parseSet(field, SPECS.dom) };
}

function parseDow(field: string): DowRule {
  if (field === '?') return { kind: 'any' };
  if (field === 'L') return { kind: 'set', days: new Set([7]) };
  const last = /^(\w+)L$/.exec(field);
  if (last) return { kind: 'last', dow: parseNumber(last[1]!, SPECS.dow) };
  const nth = /^(\w+)#([1-5])$/.exec(field);
  if (nth) return { kind: 'nth', dow: parseNumber(nth[1]!, SPECS.dow), n: Number(nth[2]) };
  return { kind: 'set', days: parseSet(field, SPECS.dow) };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isWeekday(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d !== 0 && d !== 6;
}

function nearestWeekday(year: number, month: number, target: number): number {
  const last = daysInMonth(year, month);
  const day = Math.min(target, last);
  if (isWeekday(year, month, day)) return day;
  const dow = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  // Saturday → Friday before (or Monday after if that leaves the month); Sunday → Monday after (or Friday before).
  if (dow === 6) return day > 1 ? day - 1 : day + 2;
  return day < last ? day + 1 : day - 2;
}

function domMatches(rule: DomRule, y: number, m: number, d: number): boolean {
  switch (rule.kind) {
    case 'any':
      return true;
    case 'set':
      return rule.days.has(d);
    case 'last':
      return d === daysInMonth(y, m);
    case 'lastWeekday': {
      let last = daysInMonth(y, m);
      while (!isWeekday(y, m, last)) last--;
      return d === last;
    }
    case 'nearestWeekday':
      return d === nearestWeekday(y, m, rule.day);
  }
}

function dowMatches(rule: DowRule, y: number, m: number, d: number): boolean {
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;
  switch (rule.kind) {
    case 'any':
      return true;
    case 'set':
      return rule.days.has(dow);
    case 'last':
      return dow === rule.dow && d + 7 > daysInMonth(y, m);
    case 'nth':
      return dow === rule.dow && Math.ceil(d / 7) === rule.n;
  }
}

function parseCron(body: string): Schedule {
  const fields = body.split(' ');
  if (fields.length !== 6 || fields.some((f) => f === '')) bad();
  const [minF, hourF, domF, monthF, dowF, yearF] = fields as [string, string, string, string, string, string];
  // Exactly one of day-of-month and day-of-week must be '?'.
  if ((domF === '?') === (dowF === '?')) bad();
  const minutes = [...parseSet(minF, SPECS.minute)].sort((a, b) => a - b);
  const hours = [...parseSet(hourF, SPECS.hour)].sort((a, b) => a - b);
  const dom = parseDom(domF);
  const months = parseSet(monthF, SPECS.month);
  const dow = parseDow(dowF);
  const years = parseSet(yearF, SPECS.year);
  const maxYear = Math.max(...years);
  return {
    nextAfter(afterMs) {
      const start = new Date(Math.floor(afterMs / MINUTE) * MINUTE + MINUTE);
      let y = start.getUTCFullYear();
      let mo = start.getUTCMonth() + 1;
      let d = start.getUTCDate();
      let firstDay = true;
      while (y <= maxYear) {
        if (
          years.has(y) &&
          months.has(mo) &&
          d <= daysInMonth(y, mo) &&
          domMatches(dom, y, mo, d) &&
          dowMatches(dow, y, mo, d)
        ) {
          for (const h of hours) {
            if (firstDay && h < start.getUTCHours()) continue;
            for (const mi of minutes) {
              if (firstDay && h === start.getUTCHours() && mi < start.getUTCMinutes()) continue;
              return Date.UTC(y, mo - 1, d, h, mi);
            }
          }
        }
        firstDay = false;
        d++;
        if (d > daysInMonth(y, mo)) {
          d = 1;
          mo++;
          if (mo > 12) {
            mo = 1;
            y++;
          }
        }
      }
      return undefined;
    },
  };
}

/** Parse a schedule expression; throws `ScheduleSyntaxError` when PutRule would refuse it. */
export function parseScheduleExpression(expr: string): Schedule {
  const m = /^(rate|cron)\((.*)\)$/.exec(expr);
  if (!m) throw new ScheduleSyntaxError('not rate() or cron()');
  return m[1] === 'rate' ? parseRate(m[2]!) : parseCron(m[2]!);
}

export function parseScheduleOrThrow(expr: string): Schedule {
  try {
    return parseScheduleExpression(expr);
  } catch (err) {
    if (err instanceof ScheduleSyntaxError) throw new AwsError('ValidationException', INVALID_SCHEDULE, 400);
    throw err;
  }
}
