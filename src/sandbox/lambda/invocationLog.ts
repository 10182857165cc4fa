/**
 * The log of one invocation as Lambda writes it to CloudWatch Logs, in the function's log format:
 * - Text: INIT_START (cold start), START, the handler's console output in the Node.js runtime's text
 *   format (`<time>\t<requestId>\t<LEVEL>\t<message>`), END and REPORT;
 * - JSON: `platform.initStart`, `platform.start` and `platform.report` records, and the handler's
 *   records `{"timestamp", "level", "requestId", "message", …}`; system records are left out when
 *   the system log level is WARN.
 * Keeps at most `capBytes` for CloudWatch (a handler printing megabytes must not exhaust the
 * sandbox) and always the last 4 KB for `LogType: Tail`.
 */
import type { LogEventInput } from '../contracts.js';

export interface LogStyle {
  format: 'Text' | 'JSON';
  /** Whether platform records are written (JSON with system log level WARN writes none). */
  systemRecords: boolean;
}

const TEXT_STYLE: LogStyle = { format: 'Text', systemRecords: true };

export interface InitFacts {
  runtimeVersion: string;
  runtimeVersionArn: string;
  functionName: string;
  /** The environment's log stream, which AWS names the instance after. */
  instanceId: string;
  memorySize: number;
}

export const DEFAULT_LOG_CAP_BYTES = 256 * 1024;
const TAIL_BYTES = 4096;

export interface ReportFacts {
  requestId: string;
  durationMs: number;
  memorySize: number;
  maxMemoryUsedMb: number;
  initMs?: number;
  status?: 'timeout' | 'error';
  errorType?: string;
  /** The function returned an error (JSON reports status `error` for it; text says nothing). */
  functionFailed?: boolean;
}

export class InvocationLog {
  private readonly kept: LogEventInput[] = [];
  private keptBytes = 0;
  private dropped = 0;
  private tail = '';

  constructor(
    private readonly now: () => number,
    private readonly capBytes = DEFAULT_LOG_CAP_BYTES,
    private readonly style: LogStyle = TEXT_STYLE,
  ) {}

  private get json(): boolean {
    return this.style.format === 'JSON';
  }

  /** A platform record (JSON format), if system records are written. */
  private platform(type: string, record: Record<string, unknown>): void {
    if (!this.style.systemRecords) return;
    this.add(JSON.stringify({ time: new Date(this.now()).toISOString(), type, record }));
  }

  /** One log event; Lambda's events end with a newline. */
  add(message: string): void {
    const text = message.endsWith('\n') ? message : `${message}\n`;
    this.tail += text;
    if (this.tail.length > TAIL_BYTES * 4) this.tail = this.tail.slice(-TAIL_BYTES * 2);
    if (this.keptBytes + text.length > this.capBytes) {
      this.dropped += text.length;
      return;
    }
    this.keptBytes += text.length;
    this.kept.push({ timestamp: this.now(), message: text });
  }

  /**
   * A console record from the runtime, formatted as the Node.js runtime does. In JSON the runtime
   * sent its record's own members (`{"message": …}`); timestamp, level and request id go in front.
   */
  console(requestId: string | undefined, level: string, text: string): void {
    const timestamp = new Date(this.now()).toISOString();
    if (!this.json) {
      this.add(`${timestamp}\t${requestId ?? 'undefined'}\t${level}\t${text}`);
      return;
    }
    const head = JSON.stringify({ timestamp, level, requestId });
    const members = text.startsWith('{') && text.length > 2 ? `,${text.slice(1)}` : '}';
    this.add(`${head.slice(0, -1)}${members}`);
  }

  /** A line Lambda writes in text format only (in JSON the report says it instead). */
  textOnly(message: string): void {
    if (!this.json) this.add(message);
  }

  /** The cold start's first record: the runtime version, as INIT_START or `platform.initStart`. */
  initStart(f: InitFacts): void {
    if (!this.json) {
      this.add(
        `INIT_START Runtime Version: ${f.runtimeVersion}\tRuntime Version ARN: ${f.runtimeVersionArn}`,
      );
      return;
    }
    this.platform('platform.initStart', {
      initializationType: 'on-demand',
      phase: 'init',
      runtimeVersion: f.runtimeVersion,
      runtimeVersionArn: f.runtimeVersionArn,
      functionName: f.functionName,
      functionVersion: '$LATEST',
      instanceId: f.instanceId,
      instanceMaxMemory: f.memorySize * 1024 * 1024,
    });
  }

  /** Output the handler wrote to stdout/stderr directly: one event per line, as Lambda captures it. */
  raw(text: string): void {
    for (const line of text.split('\n')) if (line.length > 0) this.add(line);
  }

  start(requestId: string, functionArn: string): void {
    if (this.json) this.platform('platform.start', { requestId, functionArn, version: '$LATEST' });
    else this.add(`START RequestId: ${requestId} Version: $LATEST`);
  }

  end(requestId: string): void {
    this.textOnly(`END RequestId: ${requestId}`);
  }

  report(f: ReportFacts): void {
    if (this.json) {
      const metrics: Record<string, number> = {
        durationMs: Math.round(f.durationMs * 1000) / 1000,
        billedDurationMs: Math.max(1, Math.ceil(f.durationMs)),
        memorySizeMB: f.memorySize,
        maxMemoryUsedMB: Math.max(1, f.maxMemoryUsedMb),
      };
      if (f.initMs !== undefined) metrics.initDurationMs = Math.round(f.initMs * 1000) / 1000;
      this.platform('platform.report', {
        requestId: f.requestId,
        metrics,
        status: f.status ?? (f.functionFailed ? 'error' : 'success'),
        ...(f.errorType ? { errorType: f.errorType } : {}),
      });
      return;
    }
    let line =
      `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\t` +
      `Billed Duration: ${Math.max(1, Math.ceil(f.durationMs))} ms\t` +
      `Memory Size: ${f.memorySize} MB\tMax Memory Used: ${Math.max(1, f.maxMemoryUsedMb)} MB\t`;
    if (f.initMs !== undefined) line += `Init Duration: ${f.initMs.toFixed(2)} ms\t`;
    if (f.status) line += `Status: ${f.status}\t`;
    if (f.errorType) line += `Error Type: ${f.errorType}\t`;
    this.add(line);
  }

  /** Count output the runtime already dropped before sending it. */
  noteDropped(bytes: number): void {
    this.dropped += bytes;
  }

  /** Move events stamped before `ts` up to it (START precedes init output that arrived later). */
  notBefore(ts: number): void {
    for (const e of this.kept) if (e.timestamp < ts) e.timestamp = ts;
  }

  lastTimestamp(): number | undefined {
    return this.kept[this.kept.length - 1]?.timestamp;
  }

  /** Events to store, with a note when output was cut. */
  events(): LogEventInput[] {
    if (this.dropped === 0) return this.kept;
    return [
      ...this.kept,
      {
        timestamp: this.now(),
        message: `[sandbox] ${this.dropped} bytes of this invocation's output were not kept (limit ${this.capBytes} bytes).\n`,
      },
    ];
  }

  /** Base64 of the last 4 KB, for `X-Amz-Log-Result`. */
  tailBase64(): string {
    const buf = Buffer.from(this.tail, 'utf8');
    return buf.subarray(Math.max(0, buf.length - TAIL_BYTES)).toString('base64');
  }
}
