/**
 * The catalog takes each demo's metadata from the demo itself (one place), and importing it loads
 * no AWS SDK code: every module reachable from catalog.ts through static imports is walked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CATALOG, findDemo } from '../../demos/catalog.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Module specifiers a file imports at run time (type-only imports are erased by tsc). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const specs: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const onlyTypes =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!bindings &&
            ts.isNamedImports(bindings) &&
            bindings.elements.length > 0 &&
            bindings.elements.every((e) => e.isTypeOnly)));
      if (!onlyTypes) specs.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      specs.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specs;
}

/** Files statically imported from `entry` (dynamic `import()` is what keeps demos lazy: not followed). */
function staticImportGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files: [...files].map((f) => path.relative(repoRoot, f)), packages: [...packages] };
}

describe('demo catalog', () => {
  it("lists each available demo with exactly its declaration's metadata", async () => {
    const available = CATALOG.filter((e) => e.load);
    expect(available.map((e) => e.id)).toContain('demo1');
    for (const entry of available) {
      const demo = await entry.load!();
      const { id, slug, title, lesson, summary } = demo;
      expect({ id, slug, title, lesson, summary }).toEqual({
        id: entry.id,
        slug: entry.slug,
        title: entry.title,
        lesson: entry.lesson,
        summary: entry.summary,
      });
      expect(fs.existsSync(path.join(repoRoot, demo.readme)), demo.readme).toBe(true);
      expect(fs.existsSync(path.join(repoRoot, demo.diagramSvg)), demo.diagramSvg).toBe(true);
      expect(findDemo(demo.slug)).toBe(entry);
    }
  });

  it('loads no AWS SDK (nor any other package) when imported', () => {
    const graph = staticImportGraph(path.join(repoRoot, 'demos', 'catalog.ts'));
    expect(graph.files).toContain('demos/demo1-scheduler-lambda/meta.ts');
    expect(graph.packages).toEqual([]);
  });
});
