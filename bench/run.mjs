// Runs every bench/*.bench.mjs and prints one table (see bench/README.md).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const rows = [];
for (const f of files) {
  process.stderr.write(`running ${f} …\n`);
  const mod = await import(pathToFileURL(path.join(dir, f)).href);
  rows.push(...(await mod.run()));
}
const cols = ['area', 'metric', 'target', 'measured', 'ok'];
const cell = (r, c) =>
  c === 'ok' ? (r.ok === null || r.ok === undefined ? '–' : r.ok ? 'yes' : 'NO') : String(r[c] ?? '');
const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
const line = (vals) => `| ${vals.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
console.log(line(cols));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(cols.map((c) => cell(r, c))));
process.exit(rows.some((r) => r.ok === false) ? 1 : 0);
