// write-report: the Lambda function of demo3 that ends a scheduled reconciliation. It looks at the
// window once more (listings and summaries), marks each partition OK / RECONCILED / LATE / MISSING
// from what the run found and did, writes the report as JSON and Markdown under reports/, and
// publishes the counts as CloudWatch metrics (an alarm watches PartitionsMissing). For the Node.js
// 22 runtime, unmodified on AWS and the sandbox.
//
// Input: {"window", "check": <check-completeness's last answer>, "execution": {"name", "startTime"},
// "scheduledTime"}. Returns the report's keys and counts (never the rows: they can be large).
// Configuration (environment): BUCKET; METRIC_NAMESPACE and PIPELINE (the metrics' namespace and
// their Pipeline dimension).
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { InvalidInputError } from './partitions.mjs';
import { buildReport, reportKeys, reportMarkdown, reportRows } from './report.mjs';
import { scanWindow } from './windowScan.mjs';

export const METRICS = {
  MISSING: 'PartitionsMissing',
  LATE: 'PartitionsLate',
  RECONCILED: 'PartitionsReconciled',
  OK: 'PartitionsOk',
};

export function metricData(counts, pipeline) {
  return Object.entries(METRICS).map(([status, name]) => ({
    MetricName: name,
    Dimensions: [{ Name: 'Pipeline', Value: pipeline }],
    Value: counts[status],
    Unit: 'Count',
  }));
}

export async function writeReport({ s3, cloudwatch, bucket, namespace, pipeline }, event) {
  const { window, check, execution } = event;
  if (!check || !Array.isArray(check.missing) || !Array.isArray(check.late) || !Array.isArray(check.stale)) {
    throw new InvalidInputError('"check" must be check-completeness\'s answer (stale, late, missing)');
  }
  if (!execution || typeof execution.name !== 'string' || typeof execution.startTime !== 'string') {
    throw new InvalidInputError('"execution" must give the execution\'s name and startTime');
  }
  const scanned = await scanWindow(s3, bucket, window);
  const report = buildReport({
    window,
    rows: reportRows(scanned, check),
    check,
    execution,
    scheduledTime: event.scheduledTime,
    writtenAt: new Date().toISOString(),
  });
  const keys = reportKeys(execution);
  await Promise.all([
    s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: keys.json,
        Body: JSON.stringify(report, null, 2),
        ContentType: 'application/json',
      }),
    ),
    s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: keys.markdown,
        Body: reportMarkdown(report),
        ContentType: 'text/markdown; charset=utf-8',
      }),
    ),
  ]);
  // Timestamp left out: CloudWatch stamps the datapoints with its own clock when they arrive.
  await cloudwatch.send(
    new PutMetricDataCommand({ Namespace: namespace, MetricData: metricData(report.counts, pipeline) }),
  );
  return {
    report_key: keys.json,
    markdown_key: keys.markdown,
    counts: report.counts,
    inconsistent: report.inconsistent.length,
  };
}

const clients = { s3: new S3Client({}), cloudwatch: new CloudWatchClient({}) };

export const handler = async (event) => {
  const { BUCKET: bucket, METRIC_NAMESPACE: namespace, PIPELINE: pipeline } = process.env;
  if (!bucket || !namespace || !pipeline)
    throw new Error('BUCKET, METRIC_NAMESPACE and PIPELINE must be set');
  if (!event || typeof event !== 'object') throw new InvalidInputError('the event must be a JSON object');
  const result = await writeReport({ ...clients, bucket, namespace, pipeline }, event);
  console.log(JSON.stringify({ level: 'INFO', message: 'report written', ...result }));
  return result;
};
