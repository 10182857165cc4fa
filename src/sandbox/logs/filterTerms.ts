/**
 * Filter patterns for unstructured log events: terms (`ERROR timeout`, all must appear,
 * case-sensitively, anywhere in the message), `"exact phrases"`, `?term` (at least one of the
 * ?-terms), `-term` (none of them), and `%regex%` terms.
 */
import { compileRegex, invalidPattern } from './filterValues.js';

type Term = { test(message: string): boolean };

interface TermGroups {
  all: Term[];
  any: Term[];
  none: Term[];
}

function tokenize(pattern: string): Array<{ prefix: '' | '?' | '-'; term: Term }> {
  const out: Array<{ prefix: '' | '?' | '-'; term: Term }> = [];
  let i = 0;
  while (i < pattern.length) {
    if (/\s/.test(pattern[i]!)) {
      i++;
      continue;
    }
    let prefix: '' | '?' | '-' = '';
    if ((pattern[i] === '?' || pattern[i] === '-') && i + 1 < pattern.length && !/\s/.test(pattern[i + 1]!)) {
      prefix = pattern[i] as '?' | '-';
      i++;
    }
    const c = pattern[i];
    if (c === '"') {
      let text = '';
      let j = i + 1;
      for (; j < pattern.length && pattern[j] !== '"'; j++) {
        if (pattern[j] === '\\' && j + 1 < pattern.length) j++;
        text += pattern[j];
      }
      if (j >= pattern.length) throw invalidPattern();
      if (text === '') throw invalidPattern();
      out.push({ prefix, term: { test: (m) => m.includes(text) } });
      i = j + 1;
      continue;
    }
    if (c === '%') {
      const end = pattern.indexOf('%', i + 1);
      if (end < 0) throw invalidPattern();
      const regex = compileRegex(pattern.slice(i + 1, end));
      out.push({ prefix, term: regex });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < pattern.length && !/\s/.test(pattern[j]!)) j++;
    const word = pattern.slice(i, j);
    out.push({ prefix, term: { test: (m) => m.includes(word) } });
    i = j;
  }
  return out;
}

export function compileTerms(pattern: string): (message: string) => boolean {
  const groups: TermGroups = { all: [], any: [], none: [] };
  for (const { prefix, term } of tokenize(pattern)) {
    (prefix === '?' ? groups.any : prefix === '-' ? groups.none : groups.all).push(term);
  }
  if (groups.all.length + groups.any.length + groups.none.length === 0) throw invalidPattern();
  return (message) =>
    groups.all.every((t) => t.test(message)) &&
    (groups.any.length === 0 || groups.any.some((t) => t.test(message))) &&
    !groups.none.some((t) => t.test(message));
}
