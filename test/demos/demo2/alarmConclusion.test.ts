/**
 * 3.4's sentence under the alarm's signals is computed from them: it says the failures were noticed
 * only when a signal shows them, and that the alarm is back to OK only when CloudWatch said so.
 */
import { describe, expect, it } from 'vitest';
import { alarmConclusion } from '../../../demos/demo2-event-driven-step-functions/steps/failure.js';
import type { Signal } from '../../../src/course/signals.js';

const fired: Signal = { name: 'alarm fired', value: 'ALARM at 00:14 sandbox time', status: 'failing' };
const counted: Signal = { name: 'ExecutionsFailed since the first failure', value: '2', status: 'failing' };
const notYet: Signal = { name: 'ExecutionsFailed since the first failure', value: '0', status: 'pending' };

describe('the alarm step’s conclusion', () => {
  it('names the signals that show the failures, and says it cleared only when the alarm is OK', () => {
    const inAlarm = alarmConclusion(
      [fired, { name: 'alarm now', value: 'ALARM', status: 'failing' }, counted],
      'ALARM',
    );
    expect(inAlarm.kind).toBe('failing');
    expect(inAlarm.text).toContain(
      'alarm fired, alarm now and ExecutionsFailed since the first failure show them',
    );
    expect(inAlarm.text).not.toContain('back to OK');

    const cleared = alarmConclusion(
      [fired, { name: 'alarm now', value: 'OK', status: 'healthy' }, counted],
      'OK',
    );
    expect(cleared.text).toContain('alarm fired and ExecutionsFailed since the first failure show them');
    expect(cleared.text).toContain('already back to OK');
  });

  it('claims nothing it did not see', () => {
    const quiet = alarmConclusion(
      [{ name: 'alarm now', value: 'OK', status: 'healthy' }],
      'INSUFFICIENT_DATA',
    );
    expect(quiet.kind).toBe('healthy');
    expect(quiet.text).toMatch(/^Nothing is failing/);
    const pending = alarmConclusion([{ name: 'alarm now', value: 'OK', status: 'healthy' }, notYet], 'ALARM');
    expect(pending.kind).toBe('pending');
    expect(pending.text).toContain('ExecutionsFailed since the first failure: not known yet');
  });
});
