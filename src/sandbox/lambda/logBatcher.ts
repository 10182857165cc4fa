/**
 * Buffers invocation logs briefly before handing them to CloudWatch Logs. Each append makes the
 * Logs store persist its documents (a write and fsync, several milliseconds); batching keeps that
 * off the warm invoke path. Logs appear within `delayMs` (AWS itself takes seconds to ingest).
 */
import type { LogEventInput, LogWriter } from '../contracts.js';

export const DEFAULT_LOG_FLUSH_MS = 100;

interface Pending {
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
  ) {}

  add(region: string, group: string, stream: string, events: LogEventInput[]): void {
    if (this.delayMs <= 0) {
      this.write({ region, group, stream, events });
      return;
    }
    const key = `${region}\u0000${group}\u0000${stream}`;
    const p = this.pending.get(key);
    if (p) p.events.push(...events);
    else this.pending.set(key, { region, group, stream, events: [...events] });
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

  private write(b: Pending): void {
    try {
      this.writer.append(b.region, b.group, b.stream, b.events, { createGroup: true });
    } catch (err) {
      this.onError(err);
    }
  }
}
