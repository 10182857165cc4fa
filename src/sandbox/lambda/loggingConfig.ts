/**
 * A function's `LoggingConfig`: the log format (Text or JSON), the application and system log levels
 * (JSON only, as Lambda requires; INFO unless set) and the log group (default `/aws/lambda/<name>`),
 * validated in Lambda's words.
 */
import { AwsError } from '../errors.js';
import { Validator } from '../validate.js';

export const APPLICATION_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export const SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;

export interface LoggingConfig {
  logFormat: 'Text' | 'JSON';
  applicationLogLevel?: (typeof APPLICATION_LOG_LEVELS)[number];
  systemLogLevel?: (typeof SYSTEM_LOG_LEVELS)[number];
  logGroup: string;
}

export function defaultLoggingConfig(functionName: string): LoggingConfig {
  return { logFormat: 'Text', logGroup: `/aws/lambda/${functionName}` };
}

/**
 * Apply a `LoggingConfig` member to the current configuration (members left out keep their value,
 * as UpdateFunctionConfiguration does). Switching to JSON sets both levels to INFO unless given.
 */
export function readLoggingConfig(raw: unknown, current: LoggingConfig): LoggingConfig {
  if (raw === undefined || raw === null) return current;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AwsError(
      'SerializationException',
      "Start of structure or map found where not expected at 'LoggingConfig'",
      400,
    );
  }
  const v = new Validator(raw as Record<string, unknown>);
  const logFormat = v.string('LogFormat', { enum: ['JSON', 'Text'] }) as
    LoggingConfig['logFormat'] | undefined;
  const appLevel = v.string('ApplicationLogLevel', { enum: APPLICATION_LOG_LEVELS });
  const sysLevel = v.string('SystemLogLevel', { enum: SYSTEM_LOG_LEVELS });
  const logGroup = v.string('LogGroup', {
    min: 1,
    max: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    patternText: '[\\.\\-_/#A-Za-z0-9]+',
  });
  v.check();
  const format = logFormat ?? current.logFormat;
  if (format === 'Text' && (appLevel !== undefined || sysLevel !== undefined)) {
    throw new AwsError(
      'InvalidParameterValueException',
      'LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your request or change the LogFormat to "Json" and try again.',
      400,
    );
  }
  if (format === 'Text') return { logFormat: 'Text', logGroup: logGroup ?? current.logGroup };
  return {
    logFormat: 'JSON',
    applicationLogLevel: (appLevel ??
      current.applicationLogLevel ??
      'INFO') as LoggingConfig['applicationLogLevel'],
    systemLogLevel: (sysLevel ?? current.systemLogLevel ?? 'INFO') as LoggingConfig['systemLogLevel'],
    logGroup: logGroup ?? current.logGroup,
  };
}

/** `LoggingConfig` as the API reports it. */
export function loggingConfigOutput(c: LoggingConfig): Record<string, unknown> {
  return {
    LogFormat: c.logFormat,
    ApplicationLogLevel: c.applicationLogLevel,
    SystemLogLevel: c.systemLogLevel,
    LogGroup: c.logGroup,
  };
}

/** Whether a system record (platform start/report, all at INFO) is written under this configuration. */
export function systemRecordsWritten(c: LoggingConfig): boolean {
  return c.logFormat === 'Text' || c.systemLogLevel !== 'WARN';
}
