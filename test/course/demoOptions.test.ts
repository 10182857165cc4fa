/**
 * Demo-specific options (`--hours` for demo3): declared by a demo, offered as flags by the CLI,
 * handed to the demo's initial state by the runner — none of them knowing the demo.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  integerOption,
  InvalidDemoOptionError,
  resolveDemoOptions,
  UnknownDemoOptionError,
  type DemoOptionValues,
} from '../../src/course/demoOptions.js';
import { addDemoOptions, givenDemoOptions } from '../../src/cli/demoOptionFlags.js';
import { CourseRunner } from '../../src/course/runner.js';
import { ProgressStore } from '../../src/course/progress.js';
import type { Demo } from '../../src/course/model.js';
import { fakeDemo, fakeSession, RecordingIO, type TestState } from './fakes.js';

const hours = integerOption({
  name: 'hours',
  description: 'hours in the window',
  defaultValue: 6,
  min: 4,
  max: 720,
});
const perHour = integerOption({
  name: 'records-per-hour',
  description: 'records per hour',
  defaultValue: 100,
  min: 1,
  max: 10_000,
});

describe('integer demo options', () => {
  it('accept whole numbers within bounds and say what they accept otherwise', () => {
    expect(hours.parse('4')).toBe(4);
    expect(hours.parse(' 720 ')).toBe(720);
    for (const bad of ['3', '721', '6.5', '-6', 'six', '', '1e2', '0x10']) {
      expect(() => hours.parse(bad), bad).toThrow(InvalidDemoOptionError);
    }
    expect(() => hours.parse('3')).toThrow('expected a whole number from 4 to 720, got "3".');
  });

  it('resolve to the given values, defaults for the rest; unknown names are refused', () => {
    expect(resolveDemoOptions([hours, perHour], { hours: 12 })).toEqual({
      hours: 12,
      'records-per-hour': 100,
    });
    expect(resolveDemoOptions(undefined, {})).toEqual({});
    expect(() => resolveDemoOptions([hours], { minutes: 5 })).toThrow(UnknownDemoOptionError);
  });
});

function runCommand(): Command {
  const cmd = new Command('run').exitOverride().configureOutput({ writeErr: () => undefined });
  return addDemoOptions(cmd, [hours, perHour]);
}

describe('demo options as command-line flags', () => {
  it('are parsed, validated and collected back by option name', () => {
    const cmd = runCommand();
    cmd.parse(['--hours', '24', '--records-per-hour', '1000'], { from: 'user' });
    expect(givenDemoOptions([hours, perHour], cmd.opts())).toEqual({ hours: 24, 'records-per-hour': 1000 });
    const none = runCommand();
    none.parse([], { from: 'user' });
    expect(givenDemoOptions([hours, perHour], none.opts())).toEqual({});
  });

  it('turn a bad value into a usage error naming the flag and what it accepts', () => {
    const cmd = runCommand();
    let err: unknown;
    try {
      cmd.parse(['--hours', '2'], { from: 'user' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CommanderError);
    expect((err as CommanderError).code).toBe('commander.invalidArgument');
    expect((err as Error).message).toContain("option '--hours <n>' argument '2' is invalid");
    expect((err as Error).message).toContain('from 4 to 720');
  });

  it('show in help with their defaults', () => {
    const help = runCommand().helpInformation();
    expect(help).toMatch(/--hours <n>\s+hours in the window \(default 6\)/);
    expect(help).toMatch(/--records-per-hour <n>\s+records per hour \(default 100\)/);
  });
});

type OptState = TestState & { hours: number };

function demoWithOptions(seen: DemoOptionValues[]): Demo<OptState> {
  const base = fakeDemo() as unknown as Demo<OptState>;
  return {
    ...base,
    options: [hours],
    initialState: (options) => {
      seen.push(options);
      return { counter: 0, log: [], hours: options.hours as number };
    },
  };
}

describe('the runner and demo options', () => {
  const home = () => fs.mkdtempSync(path.join(os.tmpdir(), 'course-demo-options-'));
  const runOpts = (dir: string, demoOptions?: Record<string, number>) => ({
    signal: new AbortController().signal,
    progress: new ProgressStore(dir, 'sandbox', 'demo9'),
    resumeCommand: 'course-cli demo9 run',
    teardownCommand: 'course-cli demo9 teardown',
    phases: ['setup' as const],
    demoOptions,
  });

  it('gives a new deployment the given values, defaults otherwise', async () => {
    const seen: DemoOptionValues[] = [];
    const dir = home();
    await new CourseRunner(
      demoWithOptions(seen),
      fakeSession(),
      new RecordingIO(false),
      runOpts(dir, { hours: 48 }),
    ).run();
    expect(seen.at(-1)).toEqual({ hours: 48 });
    expect((new ProgressStore(dir, 'sandbox', 'demo9').load()!.state as OptState).hours).toBe(48);

    const fresh = home();
    await new CourseRunner(
      demoWithOptions(seen),
      fakeSession(),
      new RecordingIO(false),
      runOpts(fresh),
    ).run();
    expect(seen.at(-1)).toEqual({ hours: 6 });
  });

  it('keeps a resumed deployment as it was set up, and says so when other values are given', async () => {
    const dir = home();
    const session = fakeSession();
    await new CourseRunner(
      demoWithOptions([]),
      session,
      new RecordingIO(false),
      runOpts(dir, { hours: 48 }),
    ).run();
    const io = new RecordingIO(false);
    const states: OptState[] = [];
    const demo = demoWithOptions([]);
    demo.phases[0]!.steps[0]!.run = async (ctx) => void states.push({ ...ctx.state });
    await new CourseRunner(demo, session, io, runOpts(dir, { hours: 12 })).run();
    expect(states[0]?.hours).toBe(48);
    expect(io.text).toContain('--hours 12 shapes a new deployment');
  });
});
