/**
 * The awsQuery wire format's two halves that need no knowledge of the protocol's envelope:
 * turning flattened form parameters (`Tags.member.1.Key=a`) into nested values, and turning an
 * operation's output into XML elements (lists as `<member>` items, dates as ISO-8601).
 */
import { dictionary } from '../dictionary.js';

/** A parsed query parameter: a string, a list (from `.member.N`), or a structure. */
export type QueryValue = string | QueryValue[] | QueryStruct;
export interface QueryStruct {
  [member: string]: QueryValue;
}

interface Node {
  value?: string;
  children: Map<string, Node>;
}

function newNode(): Node {
  return { children: new Map() };
}

function isIndex(segment: string): boolean {
  return /^[1-9]\d{0,5}$/.test(segment);
}

function materialise(node: Node): QueryValue {
  if (node.children.size === 0) return node.value ?? '';
  const member = node.children.get('member');
  // `X.member.N…` is a list: AWS counts from 1 and the SDKs send indexes in order, but sort anyway.
  if (node.children.size === 1 && member && [...member.children.keys()].every(isIndex)) {
    return [...member.children.entries()]
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, child]) => materialise(child));
  }
  // Member names are the client's: `__proto__.Action=…` must stay a member, never the prototype
  // that every other member (Action, RoleName) would be read through.
  const out: QueryStruct = dictionary();
  for (const [key, child] of node.children) out[key] = materialise(child);
  return out;
}

/**
 * Nest flattened awsQuery parameters. `Tags.member.1.Key=a&Tags.member.1.Value=b` becomes
 * `{ Tags: [{ Key: 'a', Value: 'b' }] }`; a bare `Tags=` (how SDKs send an empty list) stays `''`.
 */
export function nestQueryParams(params: Iterable<[string, string]>): QueryStruct {
  const root = newNode();
  for (const [key, value] of params) {
    if (!key) continue;
    let node = root;
    for (const segment of key.split('.')) {
      let next = node.children.get(segment);
      if (!next) {
        next = newNode();
        node.children.set(segment, next);
      }
      node = next;
    }
    node.value = value;
  }
  const out = materialise(root);
  return typeof out === 'object' && !Array.isArray(out) ? out : dictionary();
}

/** A map member, serialised as awsQuery maps are: `<entry><key>…</key><value>…</value></entry>`. */
export class XmlMap {
  constructor(readonly entries: Array<[string, XmlValue]>) {}
}

/** What an operation may return for XML serialisation. */
export type XmlValue = string | number | boolean | Date | undefined | null | XmlMap | XmlValue[] | XmlStruct;
export interface XmlStruct {
  [member: string]: XmlValue;
}

/** Escape text content (attributes are never built from data here). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;',
  );
}

/** AWS's query-protocol timestamps: ISO-8601 in UTC. */
export function xmlTimestamp(d: Date): string {
  return d.toISOString();
}

/** Serialise the members of a structure as child elements, skipping undefined members. */
export function xmlMembers(struct: XmlStruct): string {
  let out = '';
  for (const [name, value] of Object.entries(struct)) out += xmlElement(name, value);
  return out;
}

export function xmlElement(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    return `<${name}>${value.map((item) => xmlElement('member', item)).join('')}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${xmlTimestamp(value)}</${name}>`;
  if (value instanceof XmlMap) {
    const entries = value.entries.map(
      ([k, v]) => `<entry>${xmlElement('key', k)}${xmlElement('value', v)}</entry>`,
    );
    return `<${name}>${entries.join('')}</${name}>`;
  }
  if (typeof value === 'object') return `<${name}>${xmlMembers(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}
