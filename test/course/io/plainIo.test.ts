/**
 * Plain output (pipes, CI, --yes): one line per event. A wait inside a step that fails takes the step
 * down with the same error; the log says "failed" once, under the wait that failed, not twice in a
 * row with nothing to tell the two apart.
 */
import { describe, expect, it } from 'vitest';
import { PlainIO } from '../../../src/course/io/plainIo.js';

function plain(): { io: PlainIO; lines: string[] } {
  const lines: string[] = [];
  return { io: new PlainIO((l) => lines.push(l)), lines };
}

describe('PlainIO progress', () => {
  it('reports a nested failure once, under the innermost progress', async () => {
    const { io, lines } = plain();
    const boom = new Error('no execution started');
    await expect(
      io.progress('Drop a file', () => io.progress('Waiting for the event', () => Promise.reject(boom))),
    ).rejects.toBe(boom);
    expect(lines.map((l) => l.replace(/\d+(\.\d+)? m?s/, 'T'))).toEqual([
      '… Drop a file',
      '… Waiting for the event',
      '  failed after T',
    ]);
  });

  it('a step that fails on its own still says so, and successes each say done', async () => {
    const { io, lines } = plain();
    await expect(
      io.progress('Step', async () => {
        await io.progress('Wait', async () => 1);
        throw new Error('check failed');
      }),
    ).rejects.toThrow('check failed');
    expect(lines.map((l) => l.replace(/\d+(\.\d+)? m?s/, 'T'))).toEqual([
      '… Step',
      '… Wait',
      '  done in T',
      '  failed after T',
    ]);
  });
});
