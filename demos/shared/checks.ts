/**
 * Small builders for check results, so every check reads as "label: expected vs actual" — the actual
 * always a value read back from the target, and a missing resource a ✖ with "(none)", not a crash.
 */
import type { CheckResult } from '../../src/course/model.js';
import { isNotFound } from '../../src/cloud/awsErrors.js';

/** The lookup's answer, or undefined when the target says the thing does not exist. */
export async function readBack<T>(lookup: () => Promise<T>): Promise<T | undefined> {
  try {
    return await lookup();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Passed when `actual` equals `expected` (as text). */
export function expectEqual(label: string, expected: unknown, actual: unknown): CheckResult {
  const e = show(expected);
  const a = show(actual);
  return { label, passed: e === a, expected: e, actual: a };
}

/** Passed when `passed` holds; `expected`/`actual` describe it. */
export function expectThat(label: string, passed: boolean, expected: string, actual: string): CheckResult {
  return { label, passed, expected, actual };
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Key order and single-vs-list differences do not change a policy; compare it normalised. */
export function normalisePolicy(doc: unknown): unknown {
  if (Array.isArray(doc)) return doc.map(normalisePolicy);
  if (doc && typeof doc === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(doc).sort()) {
      const v = (doc as Record<string, unknown>)[k];
      out[k] = (k === 'Action' || k === 'Resource') && typeof v === 'string' ? [v] : normalisePolicy(v);
    }
    return out;
  }
  return doc;
}

/** IAM returns policy documents URL-encoded (RFC 3986). */
export function decodePolicyDocument(text: string | undefined): unknown {
  if (!text) return undefined;
  const decoded = text.trim().startsWith('{') ? text : decodeURIComponent(text);
  return JSON.parse(decoded);
}

/** JSON text with object keys sorted at every level: equal for documents that differ only in key order. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value));
}
