/**
 * demo3's sentence about PartitionsMissing after the first reconciliation: the published value when
 * CloudWatch has it, and plainly "not published yet" when the bounded wait ran out first — never a
 * reading of data that has not arrived.
 */
import { describe, expect, it } from 'vitest';
import { missingMetricSentence } from '../../../demos/demo3-hybrid-reconciliation/steps/execution.js';
import type { MetricReading } from '../../../demos/shared/metrics.js';

const ref = { namespace: 'CourseCli/OrdersReconciliation', metricName: 'PartitionsMissing', dimensions: {} };

describe('what demo3 says about PartitionsMissing', () => {
  it('the published value once it has arrived', () => {
    const one: MetricReading = { ref, points: [{ t: 0, value: 1 }], total: 1, max: 1, latest: 0 };
    expect(missingMetricSentence(one, true)).toBe(
      'CloudWatch CourseCli/OrdersReconciliation PartitionsMissing (Maximum): 1 (1 datapoint) — what the alarm watches.',
    );
  });

  it('not published yet, when the wait ran out before the datapoint arrived', () => {
    const none: MetricReading = { ref, points: [], total: 0 };
    const text = missingMetricSentence(none, false);
    expect(text).toMatch(
      /^CloudWatch CourseCli\/OrdersReconciliation PartitionsMissing \(Maximum\): not published yet \(CloudWatch delay\) — /,
    );
    expect(text).not.toMatch(/no datapoints|: 0/);
  });
});
