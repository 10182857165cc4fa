/** The phase banner fits the terminal: a title too long for one line wraps instead of overflowing. */
import { describe, expect, it } from 'vitest';
import { renderPhaseBanner } from '../../src/course/render.js';
import type { Phase } from '../../src/course/model.js';
import { RecordingIO } from './fakes.js';

class NarrowIO extends RecordingIO {
  constructor(private readonly columns: number) {
    super(false);
  }
  override get width(): number {
    return this.columns;
  }
}

const phase = (title: string): Phase<unknown> => ({
  id: 'failure',
  title,
  narration: { why: 'w', what: 'x', how: 'y' },
  steps: [],
});

describe('phase banner', () => {
  it('fills the line with ━ when the title fits', () => {
    const io = new NarrowIO(60);
    renderPhaseBanner(io, phase('Setup'), 1, 5);
    expect(io.lines[1]).toBe(`━━ Phase 1/5 · Setup ${'━'.repeat(60 - 21)}`);
  });

  it('wraps a title wider than the terminal, every line within it', () => {
    const io = new NarrowIO(60);
    renderPhaseBanner(io, phase('Failure: a flaky dependency, a bad file, an outage'), 3, 5);
    const banner = io.lines.slice(1, 3);
    expect(banner).toEqual(['━━ Phase 3/5 · Failure: a flaky dependency, a bad file,', '   an outage']);
    for (const l of io.lines) expect([...l].length).toBeLessThanOrEqual(60);
  });
});
