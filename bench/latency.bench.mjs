// Each demo's setup and teardown with 100 ms added to every call (a fault profile with only
// `latencyMs`), one `course-cli <demo> run --yes` per demo. From the CLI's own record of the calls
// it made (bench/callTrace.mjs), per phase: the wall time and the number of sequential round trips
// on the critical path (the longest chain of calls that do not overlap in time). Setup should take
// at most critical path × 100 ms + 25% (the rest is the CLI's and the sandbox's own work).
//
// The demos create their resources one step after another. STEP_NEEDS says, per setup step, which
// earlier steps it really needs (the state it reads with `need(ctx.state…)`, or a resource that must
// exist first); from the measured step times the bench computes what setup would take if every
// step started as soon as what it needs is done, and which steps would then run side by side.
//
// Alone: node bench/latency.bench.mjs [demo1 demo2 demo3]
import { traceDemoRun } from './callTrace.mjs';

const LATENCY_MS = 100;
const SLACK = 0.25;

/**
 * Per demo, per setup step (label → [title start, labels it needs]). The titles are checked against
 * the run, so a reordered or renamed step fails the bench instead of skewing it.
 */
const STEP_NEEDS = {
  demo1: {
    1.1: ['Create the data bucket', []],
    1.2: ['Create the least-privilege execution role', []],
    1.3: ["Create the function's log group", []],
    // The function's environment names the bucket; it runs as the role.
    1.4: ['Deploy the hourly-aggregate function', ['1.1', '1.2']],
    1.5: ['Let this rule (and only this rule) invoke', ['1.4']],
    1.6: ['Schedule it', ['1.4', '1.5']],
  },
  demo2: {
    1.1: ['Create the data bucket', []],
    1.2: ["Create the functions' least-privilege role", []],
    1.3: ['Create the log groups', []],
    1.4: ['Deploy the validate, transform and load functions', ['1.2']],
    // The state machine role's policy names the functions' ARNs.
    1.5: ["Create the state machine's role", ['1.4']],
    // Logs are delivered to a log group from 1.3.
    1.6: ['Validate and create the state machine', ['1.3', '1.5']],
    // Its policy is scoped by names derived from the run, not by anything created.
    1.7: ["Create EventBridge's role", []],
    1.8: ['Let EventBridge keep a copy of each event', ['1.3']],
    1.9: ['Create the rule', ['1.1', '1.3', '1.6', '1.7', '1.8']],
    '1.10': ['Alarm on failed executions', ['1.6']],
  },
  demo3: {
    1.1: ['Create the data bucket', []],
    1.2: ['Create one least-privilege role per function', []],
    1.3: ['Create the log groups', []],
    1.4: ['Deploy process-partition', ['1.1', '1.2']],
    1.5: ["Create the state machine's role", ['1.4']],
    1.6: ['Validate and create the reconcile-orders state machine', ['1.3', '1.5']],
    1.7: ["Create EventBridge's role", []],
    1.8: ['Events for freshness', ['1.1', '1.6', '1.7']],
    1.9: ['The schedule for completeness', ['1.1', '1.6', '1.7']],
    // The alarm's metric is named by the run, not by anything created.
    '1.10': ['An alarm on partitions still missing', []],
    1.11: ['The pager', ['1.10']],
  },
};

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** The most calls in a chain where each starts after the previous one ended (earliest end first). */
export function criticalPathCalls(calls) {
  let count = 0;
  let free = -Infinity;
  // Start times are whole milliseconds (Date.now()), ends are not: 1 ms of tolerance.
  for (const c of [...calls].sort((a, b) => a.end - b.end)) {
    if (c.start >= free - 1) {
      count++;
      free = c.end;
    }
  }
  return count;
}

/** The calls that started in [from, to). */
const callsIn = (calls, from, to) => calls.filter((c) => c.start >= from && c.start < to);

/**
 * A step that creates several roles, functions or log groups: the calls on each (with the waits
 * between two calls on the same one) form one chain per resource. Done one after another, the
 * chains add up; side by side, the step takes as long as the longest. Returns how many there are,
 * whether the step already ran them side by side (their chains overlapped in time), and what running
 * them side by side would still save: their measured span and round trips less the longest chain's.
 */
function withinStep(calls) {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const per = new Map();
  sorted.forEach((c) => {
    if (!c.resource) return;
    const r = per.get(c.resource);
    if (!r) per.set(c.resource, { start: c.start, end: c.end, calls: [c] });
    else per.set(c.resource, { start: r.start, end: Math.max(r.end, c.end), calls: [...r.calls, c] });
  });
  if (per.size < 2) return { resources: per.size, together: false, savedMs: 0, savedTrips: 0 };
  const chains = [...per.values()];
  const together = chains.some((a) => chains.some((b) => a !== b && a.start < b.end && b.start < a.end));
  const span = Math.max(...chains.map((r) => r.end)) - Math.min(...chains.map((r) => r.start));
  const longest = Math.max(...chains.map((r) => r.end - r.start));
  const trips = criticalPathCalls(chains.flatMap((r) => r.calls));
  const longestTrips = Math.max(...chains.map((r) => criticalPathCalls(r.calls)));
  return {
    resources: per.size,
    together,
    savedMs: Math.max(0, span - longest),
    savedTrips: Math.max(0, trips - longestTrips),
  };
}

/** Setup's steps with their measured span (banner to next banner) and critical-path calls. */
function setupSteps(trace, demo) {
  const [setup, next] = trace.phases;
  if (setup?.title !== 'Setup' || !next) throw new Error(`${demo}: no Setup phase followed by another`);
  const steps = trace.steps.filter((s) => s.at >= setup.at && s.at < next.at);
  const needs = STEP_NEEDS[demo];
  if (steps.length !== Object.keys(needs).length) {
    throw new Error(
      `${demo}: setup has ${steps.length} steps, STEP_NEEDS names ${Object.keys(needs).length}`,
    );
  }
  return steps.map((s, i) => {
    const declared = needs[s.label];
    if (!declared || !s.title.startsWith(declared[0])) {
      throw new Error(`${demo}: step ${s.label} is "${s.title}", STEP_NEEDS expects "${declared?.[0]}"`);
    }
    const end = steps[i + 1]?.at ?? next.at;
    const calls = callsIn(trace.calls, s.at, end);
    return {
      label: s.label,
      needs: declared[1],
      ms: end - s.at,
      roundTrips: criticalPathCalls(calls),
      within: withinStep(calls),
    };
  });
}

/**
 * Every step started as soon as what it needs is done: the longest path through the steps, by
 * `weight`, and the groups of steps that would start together (more than one = run concurrently).
 */
function asSoonAsPossible(steps, weight) {
  const finish = new Map();
  const level = new Map();
  for (const s of steps) {
    const start = Math.max(0, ...s.needs.map((n) => finish.get(n)));
    finish.set(s.label, start + weight(s));
    level.set(s.label, Math.max(-1, ...s.needs.map((n) => level.get(n))) + 1);
  }
  const groups = new Map();
  for (const s of steps) groups.set(level.get(s.label), [...(groups.get(level.get(s.label)) ?? []), s.label]);
  return {
    total: Math.max(...finish.values()),
    concurrent: [...groups.values()].filter((g) => g.length > 1),
  };
}

/**
 * Where a phase's time went: inside calls (their union), between them (the CLI's own work and its
 * waits), the longest gap and the slowest call, each with the step it happened in.
 */
function timeSpent(trace, calls, from, to) {
  const stepAt = (t) => trace.steps.filter((s) => s.at <= t).at(-1)?.label ?? '?';
  let inCalls = 0;
  let free = from;
  let gap = { ms: 0, before: '', step: '?' };
  for (const c of [...calls].sort((a, b) => a.start - b.start)) {
    if (c.start - free > gap.ms) gap = { ms: c.start - free, before: c.name, step: stepAt(c.start) };
    inCalls += Math.max(0, c.end - Math.max(free, c.start));
    free = Math.max(free, c.end);
  }
  const slowest = calls.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
  return {
    inCalls,
    between: to - from - inCalls,
    gap,
    slowest: { name: slowest.name, ms: slowest.end - slowest.start, step: stepAt(slowest.start) },
  };
}

export function analyse(demo, trace) {
  const [setup, execution] = trace.phases;
  const teardown = trace.phases.find((p) => p.title === 'Teardown');
  if (!teardown) throw new Error(`${demo}: the run has no Teardown phase`);
  const setupCalls = callsIn(trace.calls, setup.at, execution.at);
  const teardownCalls = callsIn(trace.calls, teardown.at, Infinity);
  const steps = setupSteps(trace, demo);
  const timeAsap = asSoonAsPossible(steps, (s) => s.ms);
  const tripsAsap = asSoonAsPossible(steps, (s) => s.roundTrips);
  const bothTime = asSoonAsPossible(steps, (s) => s.ms - s.within.savedMs);
  const bothTrips = asSoonAsPossible(steps, (s) => s.roundTrips - s.within.savedTrips);
  return {
    setup: {
      ms: execution.at - setup.at,
      calls: setupCalls.length,
      roundTrips: criticalPathCalls(setupCalls),
      spent: timeSpent(trace, setupCalls, setup.at, execution.at),
    },
    teardown: {
      ms: trace.endedAt - teardown.at,
      calls: teardownCalls.length,
      roundTrips: criticalPathCalls(teardownCalls),
    },
    steps,
    concurrent: timeAsap.concurrent,
    asapMs: timeAsap.total,
    asapRoundTrips: tripsAsap.total,
    bothMs: bothTime.total,
    bothRoundTrips: bothTrips.total,
  };
}

export function rowsFor(demo, a) {
  const budget = a.setup.roundTrips * LATENCY_MS * (1 + SLACK);
  const stepsMs = a.steps.reduce((sum, s) => sum + s.ms, 0);
  const stepTrips = a.steps.reduce((sum, s) => sum + s.roundTrips, 0);
  const at = `${demo} @${LATENCY_MS} ms/call`;
  return [
    {
      area: at,
      metric: 'setup wall time',
      target: `≤ ${a.setup.roundTrips} × ${LATENCY_MS} ms + ${SLACK * 100}% = ${seconds(budget)}`,
      measured: seconds(a.setup.ms),
      ok: a.setup.ms <= budget,
    },
    {
      area: at,
      metric: 'setup time in calls / between calls; longest gap; slowest call',
      target: 'report',
      measured:
        `${seconds(a.setup.spent.inCalls)} / ${seconds(a.setup.spent.between)}; ` +
        `${Math.round(a.setup.spent.gap.ms)} ms before ${a.setup.spent.gap.before} (${a.setup.spent.gap.step}); ` +
        `${a.setup.spent.slowest.name} ${Math.round(a.setup.spent.slowest.ms)} ms (${a.setup.spent.slowest.step})`,
      ok: null,
    },
    {
      area: at,
      metric: 'setup round trips on the critical path (of calls made)',
      target: 'report',
      measured: `${a.setup.roundTrips} of ${a.setup.calls}`,
      ok: null,
    },
    {
      area: at,
      metric: 'teardown wall time; round trips on the critical path (of calls made)',
      target: 'report',
      measured: `${seconds(a.teardown.ms)}; ${a.teardown.roundTrips} of ${a.teardown.calls}`,
      ok: null,
    },
    {
      area: at,
      metric: `setup steps run as soon as what they need is done (${a.concurrent.map((g) => g.join(' ∥ ')).join('; ')})`,
      target: 'report',
      measured:
        `saves ${seconds(stepsMs - a.asapMs)} (${seconds(stepsMs)} → ${seconds(a.asapMs)}), ` +
        `${stepTrips - a.asapRoundTrips} round trips (${stepTrips} → ${a.asapRoundTrips})`,
      ok: null,
    },
    {
      area: at,
      metric: `…and each step's several roles, functions or log groups side by side (${
        a.steps
          .filter((s) => s.within.resources > 1)
          .map(
            (s) =>
              `${s.label}: ${s.within.resources} ${s.within.together ? 'already at once' : 'one by one'}`,
          )
          .join(', ') || 'none'
      })`,
      target: 'report',
      measured:
        `saves ${seconds(stepsMs - a.bothMs)} (${seconds(stepsMs)} → ${seconds(a.bothMs)}), ` +
        `${stepTrips - a.bothRoundTrips} round trips (${stepTrips} → ${a.bothRoundTrips})`,
      ok: null,
    },
  ];
}

export async function run(demos = ['demo1', 'demo2', 'demo3']) {
  const rows = [];
  for (const demo of demos) rows.push(...rowsFor(demo, analyse(demo, traceDemoRun(demo, LATENCY_MS))));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const demos = process.argv.slice(2);
  for (const r of await run(demos.length ? demos : undefined)) {
    console.log(
      `${r.ok === null ? '   ' : r.ok ? 'ok ' : 'NO '} ${r.area} · ${r.metric}: ${r.measured} (${r.target})`,
    );
  }
}
