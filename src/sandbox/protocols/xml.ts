/**
 * XML in and out for the XML protocols (restXml, awsQuery). Parsing uses fast-xml-parser with
 * everything kept as strings (an S3 key of "007" must stay "007"); serialising is a small builder
 * that escapes exactly what XML requires and keeps element order as given.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Raised for input that is not well-formed XML; the protocol maps it to its own error code. */
export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

/** A parsed element: text, or children by name (repeated children become arrays). */
export type XmlValue = string | XmlElement | XmlValue[];
export interface XmlElement {
  [name: string]: XmlValue;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  // Keys and tag values may begin or end with spaces; keep them.
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Parse a document; returns the root element's name and content. */
export function parseXml(text: string): { root: string; value: XmlValue } {
  if (text.trim() === '') throw new XmlSyntaxError('empty document');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlSyntaxError(valid.err.msg);
  const doc = parser.parse(text) as Record<string, XmlValue>;
  const roots = Object.keys(doc).filter((k) => k !== '#text');
  if (roots.length !== 1) throw new XmlSyntaxError('expected exactly one root element');
  const root = roots[0]!;
  return { root, value: doc[root]! };
}

/** Children named `name` of an element, always as an array. */
export function childList(el: XmlValue | undefined, name: string): XmlValue[] {
  if (!el || typeof el === 'string' || Array.isArray(el)) return [];
  const v = el[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** The single child element named `name`, if it is an element (not text). */
export function childElement(el: XmlValue | undefined, name: string): XmlElement | undefined {
  const first = childList(el, name)[0];
  if (first === undefined) return undefined;
  if (typeof first === 'string') return first.trim() === '' ? {} : undefined;
  return Array.isArray(first) ? undefined : first;
}

/** Text of the single child named `name`; undefined when absent, '' when empty. */
export function childText(el: XmlValue | undefined, name: string): string | undefined {
  const first = childList(el, name)[0];
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : undefined;
}

// ---- serialising ---------------------------------------------------------------------------

/** An element's content: text, nothing, children in order, or repeated children. */
export type XmlContent = string | number | boolean | undefined | null | XmlChildren | XmlChildren[];
export interface XmlChildren {
  [name: string]: XmlContent | XmlContent[];
}

function charRef(code: number): string | undefined {
  switch (code) {
    case 38:
      return '&amp;';
    case 60:
      return '&lt;';
    case 62:
      return '&gt;';
    case 34:
      return '&quot;';
    case 39:
      return '&apos;';
    default:
      // CR, LF, TAB and other controls survive parsing only as character references.
      return code < 0x20 ? `&#x${code.toString(16).toUpperCase()};` : undefined;
  }
}

export function escapeXml(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Fast path: most characters need nothing.
    if (
      code > 62 ||
      (code >= 0x20 && code !== 38 && code !== 60 && code !== 62 && code !== 34 && code !== 39)
    ) {
      continue;
    }
    const replacement = charRef(code);
    if (replacement === undefined) continue;
    out += text.slice(from, i) + replacement;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

function elementXml(name: string, content: XmlContent): string {
  if (content === undefined || content === null) return '';
  if (Array.isArray(content)) {
    let out = '';
    for (const item of content) out += elementXml(name, item);
    return out;
  }
  if (typeof content === 'object') return `<${name}>${childrenXml(content)}</${name}>`;
  const text = escapeXml(String(content));
  return text === '' ? `<${name}/>` : `<${name}>${text}</${name}>`;
}

function childrenXml(children: XmlChildren): string {
  let out = '';
  for (const name in children) {
    const value = children[name];
    if (Array.isArray(value)) for (const item of value) out += elementXml(name, item);
    else out += elementXml(name, value);
  }
  return out;
}

/** A complete document with declaration: `<root xmlns="…">children</root>`. */
export function xmlDocument(root: string, content: XmlChildren | string, xmlns?: string): string {
  const open = xmlns ? `<${root} xmlns="${xmlns}">` : `<${root}>`;
  const inner = typeof content === 'string' ? escapeXml(content) : childrenXml(content);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${open}${inner}</${root}>`;
}
