/**
 * Empty files made ahead of time, off the request path. Creating a file costs about ten times more
 * than filling an existing one on some filesystems (≈1 ms vs 0.1 ms on the CI VM's ext4), and every
 * PutObject needs a new blob file, so spares are created asynchronously in the background and a
 * write claims one by renaming it into place. Leftover spares are adopted on the next start.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../files/privateFiles.js';

const LOW_WATER = 16;
const HIGH_WATER = 64;

export class SpareFiles {
  private readonly ready: string[];
  private refilling = false;
  private stopped = false;

  constructor(private readonly dir: string) {
    let existing: string[] = [];
    try {
      existing = fs.readdirSync(dir).map((f) => path.join(dir, f));
    } catch {
      // no spares yet
    }
    this.ready = existing;
  }

  /** Move a spare empty file to `target`; false when none is ready (the caller creates one). */
  claim(target: string): boolean {
    const spare = this.ready.pop();
    this.refill();
    if (spare === undefined) return false;
    try {
      fs.renameSync(spare, target);
      return true;
    } catch {
      return false;
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private refill(): void {
    if (this.refilling || this.stopped || this.ready.length >= LOW_WATER) return;
    this.refilling = true;
    const run = async (): Promise<void> => {
      await fs.promises.mkdir(this.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      while (!this.stopped && this.ready.length < HIGH_WATER) {
        const file = path.join(this.dir, randomBytes(12).toString('hex'));
        await fs.promises.writeFile(file, '', { mode: PRIVATE_FILE_MODE });
        this.ready.push(file);
      }
    };
    run()
      .catch(() => undefined) // spares are an optimisation; writes fall back to creating files
      .finally(() => {
        this.refilling = false;
      });
  }
}
