/**
 * EventBridge `wildcard` values: `*` matches any run of characters (including none), `\*` is a
 * literal asterisk, `\\` a literal backslash; any other escape and two consecutive wildcards are
 * rejected, with the byte position the way EventBridge reports it (counted from the value's opening quote).
 */

export class WildcardSyntaxError extends Error {
  override readonly name = 'WildcardSyntaxError';
}

function escapeRegExp(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function compileWildcard(value: string): RegExp {
  let source = '';
  // Positions count UTF-8 bytes and include the opening quote EventBridge wraps the value in.
  const pos = (index: number): number => 1 + Buffer.byteLength(value.slice(0, index));
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '*') {
      if (value[i + 1] === '*')
        throw new WildcardSyntaxError(`Consecutive wildcard characters at pos ${pos(i)}`);
      source += '.*';
    } else if (ch === '\\') {
      const next = value[i + 1];
      if (next !== '*' && next !== '\\')
        throw new WildcardSyntaxError(`Invalid escape character at pos ${pos(i)}`);
      source += escapeRegExp(next);
      i++;
    } else {
      source += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${source}$`, 's');
}
