/** What every command implementation receives from the command line. */
import type { Command } from 'commander';

export interface CliContext {
  /** The course-cli home directory (absolute). */
  home: string;
  debug: boolean;
  /** The root program, for printing help. */
  program: Command;
}
