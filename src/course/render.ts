/**
 * How the runner lays out what a learner reads: the demo header, phase banners, step narration and
 * check lines. Text only, styled through the I/O channel's styler (plain when output is plain).
 */
import type { CheckResult, Demo, Narration, Phase, Step } from './model.js';
import type { CourseIO } from './io/types.js';

const WIDTH = 100;

/** Wrap a paragraph to the width, indenting continuation lines to line up under the first. */
export function wrap(text: string, indent: string, firstPrefix = indent, width = WIDTH): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = firstPrefix;
    let lineHasWord = false;
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (lineHasWord && line.length + 1 + word.length > width) {
        out.push(line);
        line = indent + word;
      } else {
        line += (lineHasWord ? ' ' : '') + word;
      }
      lineHasWord = true;
    }
    out.push(line);
    firstPrefix = indent;
  }
  return out;
}

export function renderDemoHeader(io: CourseIO, demo: Demo<unknown>, targetLabel: string): void {
  const s = io.style;
  io.print(s.bold(`${demo.id} · ${demo.title} — ${demo.lesson}`));
  io.print(s.dim(`Target: ${targetLabel}`));
  io.print();
  for (const l of demo.diagram.replace(/\n+$/, '').split('\n')) io.print(`  ${l}`);
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
    const lines = wrap(text, `${indent}      `, `${indent}${label}  `);
    lines[0] = lines[0]!.replace(label, s.accent(label));
    for (const l of lines) io.print(l);
  }
}

export function renderPhaseBanner(io: CourseIO, phase: Phase<unknown>, index: number, total: number): void {
  const s = io.style;
  const title = `━━ Phase ${index}/${total} · ${phase.title} `;
  io.print();
  io.print(s.bold(s.accent(title.padEnd(WIDTH, '━'))));
  renderNarration(io, phase.narration, '');
}

export function renderStepHeader(io: CourseIO, step: Step<unknown>, label: string): void {
  io.print();
  io.print(io.style.bold(`▶ Step ${label} · ${step.title}`));
  renderNarration(io, step.narration, '  ');
}

export function renderCheck(io: CourseIO, r: CheckResult): void {
  const s = io.style;
  const mark = r.passed ? s.ok('✔') : s.bad('✖');
  io.print(`  ${mark} ${r.label}`);
  io.print(s.dim(`      expected: ${r.expected}`));
  io.print((r.passed ? s.dim : s.bad)(`      actual:   ${r.actual}`));
}

export function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
