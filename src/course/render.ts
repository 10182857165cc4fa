/**
 * How the runner lays out what a learner reads: the demo header, phase banners, step narration and
 * check lines. Text only, wrapped to the I/O channel's width and styled through its styler (plain
 * when output is plain).
 */
import type { CheckResult, Demo, Narration, Phase, Step } from './model.js';
import type { CourseIO } from './io/types.js';
import { visibleWidth } from './layout/width.js';
import { wrapIndented } from './layout/wrap.js';

/** Lines of a demo's terminal diagram, without the blank lines around it. */
function diagramLines(diagram: string): string[] {
  return diagram.replace(/^\n+|\s+$/g, '').split('\n');
}

/**
 * The header: title, target and the architecture diagram — drawn only when the terminal is wide
 * enough for it (a wrapped drawing is unreadable); otherwise say where the picture is.
 */
export function renderDemoHeader(
  io: CourseIO,
  demo: Demo<unknown>,
  targetLabel: string,
  diagramFile: string,
): void {
  const s = io.style;
  for (const l of wrapIndented(`${demo.id} · ${demo.title} — ${demo.lesson}`, io.width, { indent: '' })) {
    io.print(s.bold(l));
  }
  for (const l of wrapIndented(`Target: ${targetLabel}`, io.width, { indent: '  ' })) io.print(s.dim(l));
  io.print();
  const lines = diagramLines(demo.diagram);
  const needed = Math.max(...lines.map(visibleWidth)) + 2;
  if (needed <= io.width) {
    for (const l of lines) io.print(`  ${l}`.trimEnd());
  } else {
    const text =
      `The architecture diagram needs ${needed} columns and this terminal has ${io.width}: ` +
      `open ${diagramFile} to see it, or widen the terminal.`;
    for (const l of wrapIndented(text, io.width, { indent: '' })) io.print(s.dim(l));
  }
  io.print();
}

function renderNarration(io: CourseIO, n: Narration, indent: string): void {
  const s = io.style;
  const parts: Array<[string, string]> = [
    ['WHY ', n.why],
    ['WHAT', n.what],
    ['HOW ', n.how],
  ];
  for (const [label, text] of parts) {
    if (!text.trim()) continue;
    const lines = wrapIndented(text, io.width, { first: `${indent}${label}  `, indent: `${indent}      ` });
    lines[0] = lines[0]!.replace(label, s.accent(label));
    for (const l of lines) io.print(l);
  }
}

export function renderPhaseBanner(io: CourseIO, phase: Phase<unknown>, index: number, total: number): void {
  const s = io.style;
  const title = `━━ Phase ${index}/${total} · ${phase.title} `;
  io.print();
  if (visibleWidth(title) < io.width) io.print(s.bold(s.accent(title.padEnd(io.width, '━'))));
  else {
    // A title wider than the terminal wraps under itself rather than being left to the terminal.
    for (const l of wrapIndented(title.trimEnd(), io.width, { first: '', indent: '   ' }))
      io.print(s.bold(s.accent(l)));
  }
  renderNarration(io, phase.narration, '');
}

export function renderStepHeader(io: CourseIO, step: Step<unknown>, label: string): void {
  io.print();
  for (const l of wrapIndented(`▶ Step ${label} · ${step.title}`, io.width, { first: '', indent: '    ' })) {
    io.print(io.style.bold(l));
  }
  renderNarration(io, step.narration, '  ');
}

export function renderCheck(io: CourseIO, r: CheckResult): void {
  const s = io.style;
  const mark = r.passed ? s.ok('✔') : s.bad('✖');
  const label = wrapIndented(r.label, io.width, { first: '  ✔ ', indent: '    ' });
  label[0] = label[0]!.replace('✔', mark);
  for (const l of label) io.print(l);
  for (const l of wrapIndented(r.expected, io.width, {
    first: '      expected: ',
    indent: '                ',
  })) {
    io.print(s.dim(l));
  }
  for (const l of wrapIndented(r.actual, io.width, {
    first: '      actual:   ',
    indent: '                ',
  })) {
    io.print((r.passed ? s.dim : s.bad)(l));
  }
}

export function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
