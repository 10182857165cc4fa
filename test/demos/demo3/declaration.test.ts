/** demo3's declaration: the catalog's metadata and options, five phases, narrated steps, a diagram that fits. */
import { describe, expect, it } from 'vitest';
import { demo3 } from '../../../demos/demo3-hybrid-reconciliation/demo.js';
import { DEMO3_META } from '../../../demos/demo3-hybrid-reconciliation/meta.js';
import { initialDemo3State } from '../../../demos/demo3-hybrid-reconciliation/state.js';
import { PHASES } from '../../../src/course/model.js';
import { resolveDemoOptions } from '../../../src/course/demoOptions.js';

describe('demo3 declaration', () => {
  it('has the five phases in order, unique step ids, and WHY/WHAT/HOW for each step', () => {
    expect(demo3.phases.map((p) => p.id)).toEqual([...PHASES]);
    const steps = demo3.phases.flatMap((p) => p.steps);
    expect(new Set(steps.map((s) => s.id)).size).toBe(steps.length);
    for (const s of [...demo3.phases, ...steps]) {
      for (const part of ['why', 'what', 'how'] as const)
        expect(s.narration[part].trim(), `${part}`).not.toBe('');
    }
  });

  it('chains its story phases: each builds on the one before, and says why', () => {
    const needs = Object.fromEntries(demo3.phases.map((p) => [p.id, p.requires ?? []]));
    expect(needs).toEqual({
      setup: [],
      execution: ['setup'],
      failure: ['execution'],
      recovery: ['failure'],
      teardown: [],
    });
    for (const p of demo3.phases.filter((x) => x.requires))
      expect(p.requiresBecause?.trim(), p.id).toBeTruthy();
  });

  it('draws a diagram that fits 100 columns with the runner’s indent', () => {
    const widths = demo3.diagram.split('\n').map((l) => [...l].length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(96);
  });

  it('takes its window and data size from its options, defaults otherwise', () => {
    expect(demo3.options).toBe(DEMO3_META.options);
    expect(initialDemo3State(resolveDemoOptions(demo3.options, {}))).toMatchObject({
      hours: 6,
      recordsPerHour: 200,
    });
    expect(
      initialDemo3State(resolveDemoOptions(demo3.options, { hours: 720, 'records-per-hour': 1000 })),
    ).toMatchObject({
      hours: 720,
      recordsPerHour: 1000,
    });
  });
});
