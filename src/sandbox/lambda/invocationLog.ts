/**
 * The log of one invocation as Lambda writes it to CloudWatch Logs: START, the handler's console
 * output in the Node.js runtime's text format (`<time>\t<requestId>\t<LEVEL>\t<message>`), END and
 * REPORT. Keeps at most `capBytes` for CloudWatch (a handler printing megabytes must not exhaust the
 * sandbox) and always the last 4 KB for `LogType: Tail`.
 */
import type { LogEventInput } from '../contracts.js';

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
}

export class InvocationLog {
  private readonly kept: LogEventInput[] = [];
  private keptBytes = 0;
  private dropped = 0;
  private tail = '';

  constructor(
    private readonly now: () => number,
    private readonly capBytes = DEFAULT_LOG_CAP_BYTES,
  ) {}

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

  /** A console record from the runtime, formatted as the Node.js runtime does. */
  console(requestId: string | undefined, level: string, text: string): void {
    this.add(`${new Date(this.now()).toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${text}`);
  }

  /** Output the handler wrote to stdout/stderr directly: one event per line, as Lambda captures it. */
  raw(text: string): void {
    for (const line of text.split('\n')) if (line.length > 0) this.add(line);
  }

  start(requestId: string): void {
    this.add(`START RequestId: ${requestId} Version: $LATEST`);
  }

  end(requestId: string): void {
    this.add(`END RequestId: ${requestId}`);
  }

  report(f: ReportFacts): void {
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
