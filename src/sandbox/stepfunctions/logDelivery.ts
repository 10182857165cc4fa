/**
 * The log-delivery check AWS makes when a state machine's logging configuration names a log group
 * (CreateStateMachine, UpdateStateMachine): Step Functions sets up vended-log delivery with the
 * state machine's role, so the role needs the CloudWatch Logs delivery permissions (see
 * `LogResourcePolicies.createLogDelivery`), or the call fails.
 */
import type { LogResourcePolicies } from '../contracts.js';
import { AwsError } from '../errors.js';
import { parseLogGroupArn } from './executionLogs.js';
import type { LoggingConfiguration } from './records.js';

export function checkLogDelivery(
  policies: LogResourcePolicies,
  roleArn: string,
  logging: LoggingConfiguration,
): void {
  const arn = logging.destinations[0]?.cloudWatchLogsLogGroup.logGroupArn;
  const target = arn === undefined ? undefined : parseLogGroupArn(arn);
  if (logging.level === 'OFF' || !target) return;
  const outcome = policies.createLogDelivery(target.region, target.groupName, roleArn);
  if (outcome === 'accessDenied') {
    throw new AwsError(
      'AccessDeniedException',
      'The state machine IAM Role is not authorized to access the Log Destination',
      400,
    );
  }
  if (outcome === 'policySizeExceeded') {
    throw new AwsError(
      'InvalidLoggingConfiguration',
      'Invalid Logging Configuration: The CloudWatch Logs Resource Policy size was exceeded. We suggest prefixing your CloudWatch log group name with /aws/vendedlogs/states/.',
      400,
    );
  }
}
