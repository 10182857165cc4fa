/**
 * Options a demo declares for `<demo> run` (demo3's `--hours`, say). The demo lists them in its
 * metadata (name, help, default, how to parse and validate); the CLI turns each into a flag and the
 * runner hands the values to the demo's `initialState`, without knowing any demo. This module loads
 * nothing, so the catalog (and with it `--help` and `list`) can import it.
 */

export type DemoOptionValue = number | string;
export type DemoOptionValues = Readonly<Record<string, DemoOptionValue>>;

export interface DemoOption {
  /** Kebab-case: `records-per-hour` becomes `--records-per-hour <n>`; values are keyed by it. */
  name: string;
  /** The placeholder in help, e.g. `n`. */
  valueName: string;
  /** One line for `--help`; the default is appended. */
  description: string;
  defaultValue: DemoOptionValue;
  /** Parse the command-line text; throws InvalidDemoOptionError saying what is accepted. */
  parse(text: string): DemoOptionValue;
}

/** A value a demo option does not accept; the message says what it does accept. */
export class InvalidDemoOptionError extends Error {
  override readonly name = 'InvalidDemoOptionError';
}

/** The values were given for a demo that does not declare them (a caller's bug, not a learner's). */
export class UnknownDemoOptionError extends Error {
  override readonly name = 'UnknownDemoOptionError';
}

export interface IntegerOptionSpec {
  name: string;
  description: string;
  defaultValue: number;
  min: number;
  max: number;
  valueName?: string;
}

/** A whole-number option within [min, max]. */
export function integerOption(spec: IntegerOptionSpec): DemoOption {
  return {
    name: spec.name,
    valueName: spec.valueName ?? 'n',
    description: spec.description,
    defaultValue: spec.defaultValue,
    parse(text: string): number {
      const trimmed = text.trim();
      const n = Number(trimmed);
      if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(n) || n < spec.min || n > spec.max) {
        throw new InvalidDemoOptionError(
          `expected a whole number from ${spec.min} to ${spec.max}, got "${text}".`,
        );
      }
      return n;
    },
  };
}

/** `--records-per-hour <n>`. */
export function optionFlag(option: DemoOption): string {
  return `--${option.name} <${option.valueName}>`;
}

/** The property commander gives a parsed flag: `records-per-hour` → `recordsPerHour`. */
export function optionProperty(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Each declared option's value: the one given, else its default. */
export function resolveDemoOptions(
  declared: readonly DemoOption[] | undefined,
  given: Readonly<Record<string, DemoOptionValue>> = {},
): DemoOptionValues {
  const known = new Map((declared ?? []).map((o) => [o.name, o]));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) throw new UnknownDemoOptionError(`this demo has no option --${name}`);
  }
  const values: Record<string, DemoOptionValue> = Object.create(null) as Record<string, DemoOptionValue>;
  for (const o of known.values()) values[o.name] = given[o.name] ?? o.defaultValue;
  return values;
}

/** `--hours 12 --records-per-hour 50`, for hints. */
export function describeOptionValues(values: Readonly<Record<string, DemoOptionValue>>): string {
  return Object.entries(values)
    .map(([k, v]) => `--${k} ${v}`)
    .join(' ');
}
