/** Whether questions can be asked: both stdin and stdout are terminals. */
export function isInteractiveTerminal(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true;
}

/** Colour unless NO_COLOR is set (any non-empty value) or output is not a terminal. */
export function colorWanted(): boolean {
  const noColor = process.env.NO_COLOR;
  return !(noColor !== undefined && noColor !== '') && process.stdout.isTTY === true;
}
