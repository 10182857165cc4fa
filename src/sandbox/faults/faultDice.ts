/**
 * Seeded, replayable randomness for fault decisions. Each stream (a caller kind, service and
 * operation) counts its own draws, and draw n of a stream is a hash of (seed, stream, n): what one
 * operation meets does not depend on how requests of other operations interleaved with it (a Lambda
 * handler's calls, a background poll), so the same seed gives the same sequence per operation.
 */
import { createHash } from 'node:crypto';

/** Streams kept at most; far above (caller kinds × services × operations) in practice. */
const MAX_STREAMS = 10_000;

export class FaultDice {
  private readonly counts = new Map<string, number>();

  constructor(readonly seed: number) {}

  /** The next draw of `stream`: `n` counts from 0, and `values` are independent uniforms in [0, 1). */
  next(stream: string): { n: number; values: [number, number, number] } {
    const n = this.counts.get(stream) ?? 0;
    if (!this.counts.has(stream) && this.counts.size >= MAX_STREAMS) {
      // Streams are named by operations the sandbox routes, so this cannot grow without bound;
      // still, a bounded table is the rule for anything keyed by what clients send.
      this.counts.delete(this.counts.keys().next().value!);
    }
    this.counts.set(stream, n + 1);
    const digest = createHash('sha256').update(`${this.seed}\u0000${stream}\u0000${n}`).digest();
    const uniform = (offset: number): number => digest.readUInt32BE(offset) / 2 ** 32;
    return { n, values: [uniform(0), uniform(4), uniform(8)] };
  }
}
