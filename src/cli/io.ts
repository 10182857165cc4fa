/** Pick the I/O channel: the interactive terminal, or plain lines (--yes, no TTY, NO_COLOR). */
import type { CourseIO } from '../course/io/types.js';
import { PlainIO } from '../course/io/plainIo.js';
import { colorWanted, isInteractiveTerminal } from './terminal.js';

export async function openIO(opts: { yes?: boolean }): Promise<CourseIO> {
  if (isInteractiveTerminal() && !opts.yes) {
    const { TtyIO } = await import('../course/io/ttyIo.js');
    return new TtyIO({ color: colorWanted() });
  }
  return new PlainIO();
}
