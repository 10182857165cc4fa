/**
 * Buffers invocation logs briefly before handing them to CloudWatch Logs. Each append makes the
 * Logs store persist its documents (a write and fsync, several milliseconds); batching keeps that
 * off the warm invoke path. Logs appear within `delayMs` (AWS itself takes seconds to ingest).
 *
 * Lambda writes with the function's execution role, as on AWS: without `logs:CreateLogStream` and
 * `logs:PutLogEvents` on the stream the logs are dropped, and a missing group is created only with
 * `logs:CreateLogGroup` (so a late invocation after teardown does not bring a deleted group back).
 */
import type { IamDirectory, LogEventInput, LogWriter } from '../contracts.js';

export const DEFAULT_LOG_FLUSH_MS = 100;

interface Pending {
  /** The execution role the logs are written with. */
  roleArn: string;
  region: string;
  group: string;
  stream: string;
  events: LogEventInput[];
}

export class LogBatcher {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly writer: LogWriter,
    private readonly delayMs = DEFAULT_LOG_FLUSH_MS,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly iam?: Pick<IamDirectory, 'authorize'>,
    private readonly accountId = '000000000000',
  ) {}

  add(roleArn: string, region: string, group: string, stream: string, events: LogEventInput[]): void {
    if (this.delayMs <= 0) {
      this.write({ roleArn, region, group, stream, events });
      return;
    }
    const key = `${roleArn}\u0000${region}\u0000${group}\u0000${stream}`;
    const p = this.pending.get(key);
    if (p) p.events.push(...events);
    else this.pending.set(key, { roleArn, region, group, stream, events: [...events] });
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** Write everything buffered now (also called when the sandbox stops). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending.values()];
    this.pending.clear();
    for (const b of batches) this.write(b);
  }

  private allowed(roleArn: string, action: string, resource: string): boolean {
    return !this.iam || this.iam.authorize(roleArn, { action, resource }) === 'allowed';
  }

  private write(b: Pending): void {
    const groupArn = `arn:aws:logs:${b.region}:${this.accountId}:log-group:${b.group}`;
    const streamArn = `${groupArn}:log-stream:${b.stream}`;
    if (
      !this.allowed(b.roleArn, 'logs:CreateLogStream', streamArn) ||
      !this.allowed(b.roleArn, 'logs:PutLogEvents', streamArn)
    ) {
      return;
    }
    const createGroup = this.allowed(b.roleArn, 'logs:CreateLogGroup', `${groupArn}:*`);
    try {
      this.writer.append(b.region, b.group, b.stream, b.events, { createGroup });
    } catch (err) {
      this.onError(err);
    }
  }
}
