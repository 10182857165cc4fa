/**
 * IP literals and CIDR blocks for event-pattern matching (`{"cidr": …}`, and exact values that are
 * IP literals, which EventBridge compares as addresses rather than text).
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_CHARS = /^[0-9a-fA-F:.]+$/;

function parseIpv4(text: string): number[] | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

function parseIpv6(text: string): number[] | undefined {
  if (!IPV6_CHARS.test(text) || !text.includes(':')) return undefined;
  let tail: number[] = [];
  let body = text;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    body = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...rest];
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The address bytes (4 or 16) of an IPv4/IPv6 literal, or undefined if `text` is not one. */
export function parseIp(text: string): number[] | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}

export interface IpRange {
  low: number[];
  high: number[];
}

export class CidrError extends Error {
  override readonly name = 'CidrError';
}

/** Parse `a.b.c.d/n` or `v6/n` into the inclusive range EventBridge matches (base address to base|hostmask). */
export function parseCidr(text: string): IpRange {
  const parts = text.split('/');
  if (parts.length !== 2 || parts[1] === '') throw new CidrError("Malformed CIDR, one '/' required");
  if (!/^-?\d+$/.test(parts[1]!)) throw new CidrError('Malformed CIDR, mask bits must be an integer');
  const maskBits = Number(parts[1]);
  if (maskBits < 0) throw new CidrError('Malformed CIDR, mask bits must not be negative');
  const base = parseIp(parts[0]!);
  if (!base) throw new CidrError(`Invalid IP address: ${parts[0]}`);
  if (base.length === 4 && maskBits > 31) throw new CidrError('IPv4 mask bits must be < 32');
  if (base.length === 16 && maskBits > 127) throw new CidrError('IPv6 mask bits must be < 128');
  let hostBits = base.length * 8 - maskBits;
  const high = [...base];
  for (let i = high.length - 1; i >= 0 && hostBits > 0; i--, hostBits -= 8) {
    high[i] = hostBits >= 8 ? 0xff : high[i]! | ((1 << hostBits) - 1);
  }
  return { low: base, high };
}

function compareBytes(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export function ipInRange(ip: number[], range: IpRange): boolean {
  return (
    ip.length === range.low.length && compareBytes(ip, range.low) >= 0 && compareBytes(ip, range.high) <= 0
  );
}
