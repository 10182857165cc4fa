/**
 * A demo's own options as flags of `<demo> run`: declared by the demo (name, help, default, parser),
 * offered by commander, and collected back by option name for the runner. Knows no demo.
 */
import { InvalidArgumentError, type Command } from 'commander';
import {
  InvalidDemoOptionError,
  optionFlag,
  optionProperty,
  type DemoOption,
  type DemoOptionValue,
} from '../course/demoOptions.js';

export function addDemoOptions(cmd: Command, options: readonly DemoOption[] | undefined): Command {
  for (const o of options ?? []) {
    cmd.option(optionFlag(o), `${o.description} (default ${o.defaultValue})`, (text: string) => {
      try {
        return o.parse(text);
      } catch (err) {
        if (err instanceof InvalidDemoOptionError) throw new InvalidArgumentError(err.message);
        throw err;
      }
    });
  }
  return cmd;
}

/** The demo options present in commander's parsed flags, keyed by option name. */
export function givenDemoOptions(
  options: readonly DemoOption[] | undefined,
  flags: Readonly<Record<string, unknown>>,
): Record<string, DemoOptionValue> {
  const given: Record<string, DemoOptionValue> = {};
  for (const o of options ?? []) {
    const v = flags[optionProperty(o.name)];
    if (typeof v === 'number' || typeof v === 'string') given[o.name] = v;
  }
  return given;
}
