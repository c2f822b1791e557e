import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { type Harness, HISTORIES_DIR, startHarness } from '../stack/harness';
import { type CaseRun, TimeSkippingStalled, clearFaults, drive, finish, openCase, quiesce, recordFix } from './driver';
import { type Invariant, INVARIANTS, type Violation, checkCase, exercised, observe } from './invariants';
import { Replayer } from './replayer';
import { type CaseScript, generateScript } from './script';

/**
 * The simulation loop shared by `npm run simulate` and the jest test: `lanes` harnesses (each its
 * own time-skipping test server, sandbox, database and worker; time skipping is global to a
 * server, so a lane drives one case at a time) take case numbers 0..cases-1 from one counter.
 * Every case is generated from (seed, n) alone, so any case can be replayed by number.
 */

export interface SimOptions {
  cases: number;
  seed: number;
  lanes?: number;
  /** Only these case numbers (re-running a saved failure). */
  only?: number[];
  saveDir?: string;
  /** Histories saved at most (a bad seed on broken code would write thousands). */
  saveMax?: number;
  /** Real-time bound for one case, whatever happens. */
  caseTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface CaseResult {
  n: number;
  complaintId: string;
  ms: number;
  /** Set when the test server failed the case, and why: the case is not judged (not a finding about the workflow). */
  stalledBy?: string;
  /** Real ms per phase: open, drive, finish (run out the deadlines), check. */
  phases: Record<string, number>;
  violations: Violation[];
  /** What of the newer world (choices, goodwill solutions, joint testing, suggestions) the case reached. */
  exercised?: string[];
}

export interface SimSummary {
  seed: number;
  cases: number;
  violatingCases: number;
  byInvariant: Partial<Record<Invariant, { cases: number; example: string }>>;
  ms: number;
  msPerCase: number;
  saved: string[];
  results: CaseResult[];
  /** Cases not judged because the test server stopped skipping time. */
  stalled: number;
}

export const SIMULATED_DIR = path.join(HISTORIES_DIR, 'simulated');

export async function simulate(opts: SimOptions): Promise<SimSummary> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  if (!bundlePath) throw new Error('WORKFLOW_BUNDLE_PATH is not set (jest globalSetup or scripts/simulate.ts set it)');
  const saveDir = opts.saveDir ?? SIMULATED_DIR;
  const saveMax = opts.saveMax ?? 20;
  const numbers = opts.only ?? Array.from({ length: opts.cases }, (_, i) => i);
  const lanes = Math.max(1, Math.min(opts.lanes ?? 2, numbers.length));
  const results: CaseResult[] = [];
  const saved: string[] = [];
  const started = Date.now();
  let next = 0;

  const lane = async (i: number) => {
    let h = await startHarness(`sim${i}`);
    try {
      while (next < numbers.length) {
        const n = numbers[next++];
        const result = await oneCase(h, opts.seed, n, replayer, opts.caseTimeoutMs ?? 180_000, saveDir, saved, saveMax);
        results.push(result);
        if (result.stalledBy) {
          // The server stopped skipping time: a fresh harness for the next case.
          log(`  (lane ${i}: ${result.stalledBy} in case ${n}; new test server)`);
          await bounded(h.discard(), 30_000, 'closing a stalled harness').catch(() => undefined);
          h = await startHarness(`sim${i}`);
        }
        if (result.violations.length) {
          const first = result.violations[0];
          log(
            `✗ seed ${opts.seed} case ${n} (${result.complaintId}, ${result.ms} ms): ${first.invariant}: ${first.detail}${result.violations.length > 1 ? ` (+${result.violations.length - 1} more)` : ''}`,
          );
        }
        if (results.length % 25 === 0)
          log(
            `… ${results.length}/${numbers.length} cases, ${results.filter((r) => r.violations.length).length} with violations, ${Math.round((Date.now() - started) / 1000)} s`,
          );
      }
    } finally {
      await h.close();
    }
  };
  // A sleep abandoned on a stalled server retries on its closed channel: that error is expected.
  const ignoreClosedChannel = (err: Error) => {
    if (/Channel has been shut down/.test(err?.message ?? '')) return;
    throw err;
  };
  process.on('uncaughtException', ignoreClosedChannel);
  const replayer = new Replayer(bundlePath);
  try {
    await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)));
  } finally {
    process.off('uncaughtException', ignoreClosedChannel);
    await replayer.close();
  }

  const byInvariant: SimSummary['byInvariant'] = {};
  for (const r of results) {
    const seen = new Set<Invariant>();
    for (const x of r.violations) {
      if (seen.has(x.invariant)) continue;
      seen.add(x.invariant);
      const entry = (byInvariant[x.invariant] ??= { cases: 0, example: `case ${r.n}: ${x.detail}` });
      entry.cases++;
    }
  }
  const ms = Date.now() - started;
  results.sort((a, b) => a.n - b.n);
  return {
    seed: opts.seed,
    cases: results.length,
    violatingCases: results.filter((r) => r.violations.length).length,
    byInvariant,
    ms,
    msPerCase: Math.round(ms / Math.max(1, results.length)),
    saved,
    results,
    stalled: results.filter((r) => r.stalledBy).length,
  };
}

function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no progress within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function oneCase(
  h: Harness,
  seed: number,
  n: number,
  replayer: Replayer,
  timeoutMs: number,
  saveDir: string,
  saved: string[],
  saveMax: number,
): Promise<CaseResult> {
  const script = generateScript(seed, n);
  const t0 = Date.now();
  const violations: Violation[] = [];
  let run: CaseRun | null = null;
  let reached: string[] | undefined;
  const phases: Record<string, number> = {};
  let mark = Date.now();
  const phase = (name: string) => {
    phases[name] = Date.now() - mark;
    mark = Date.now();
  };
  try {
    run = await bounded(openCase(h, script), 60_000, 'opening the case');
    phase('open');
    const r = run;
    await bounded(drive(h, r), timeoutMs, 'driving the case');
    phase('drive');
    await bounded(finish(h, r), 120_000, 'running out the case');
    phase('finish');
    if (r.script.fix) {
      await bounded(recordFix(h, r), 90_000, 'telling of a fix');
      phase('fix');
    }
  } catch (err) {
    if (err instanceof TimeSkippingStalled) {
      // The test server's fault, not the workflow's: the case is not judged.
      await run?.handle.terminate('simulation: test server stalled').catch(() => undefined);
      return {
        n,
        complaintId: run?.complaintId ?? '?',
        ms: Date.now() - t0,
        phases,
        violations: [],
        stalledBy: err.message || 'the test server stalled',
      };
    }
    violations.push({ invariant: 'driver_error', detail: (err as Error).message.slice(0, 300) });
    if (run) {
      await quiesce(run, 10_000).catch(() => undefined);
      run.endedAt = await h.env.currentTimeMs();
    }
  }
  if (run) {
    try {
      const o = await bounded(observe(h, run), 30_000, 'observing the case');
      phase('observe');
      violations.push(...(await checkCase(h, run, o, replayer)));
      reached = exercised(run, o);
      phase('check');
      violations.sort((a, b) => order(a.invariant) - order(b.invariant));
      if (violations.length && saved.length < saveMax) {
        const observed = { view: o.view, timeline: o.timeline, sla: o.sla, sms: o.sms };
        saved.push(
          saveCase(path.join(saveDir, `${seed}-${n}`), o.history, o.earlierRuns, { script, run, violations, observed }),
        );
      }
    } catch (err) {
      violations.push({ invariant: 'driver_error', detail: `checking: ${(err as Error).message.slice(0, 300)}` });
      // A case whose workflow task fails cannot be observed by query; its history is the evidence (a
      // history that does not replay is kept as a fixture: docs/determinism.md).
      const history = await run.handle.fetchHistory().catch(() => null);
      if (history && saved.length < saveMax)
        saved.push(
          saveCase(path.join(saveDir, `${seed}-${n}`), history, [], { script, run, violations, observed: null }),
        );
    }
    // A case left waiting would keep firing timers (progress updates) as later cases skip time.
    await run.handle.terminate('simulation: case checked').catch(() => undefined);
  }
  await clearFaults(h).catch(() => undefined);
  return { n, complaintId: run?.complaintId ?? '?', ms: Date.now() - t0, phases, violations, exercised: reached };
}

/** Writes a violating case's history, its script and what the driver saw; answers the history's path. */
function saveCase(
  base: string,
  history: temporal.api.history.v1.IHistory,
  earlierRuns: temporal.api.history.v1.IHistory[],
  what: { script: CaseScript; run: CaseRun; violations: Violation[]; observed: unknown },
): string {
  mkdirSync(path.dirname(base), { recursive: true });
  writeFileSync(`${base}.json`, historyToJSON(history));
  const { script, run, violations, observed } = what;
  // Not `.json`: the replay suite replays every *.json under test/histories.
  writeFileSync(
    `${base}.script`,
    `${JSON.stringify({ script, driver: run.log, firstViolation: violations[0], violations, observed }, null, 2)}\n`,
  );
  // The runs before the last (continue-as-new), oldest first: what the last run carried came from them.
  if (earlierRuns.length) writeFileSync(`${base}.earlier-runs`, `[${earlierRuns.map(historyToJSON).join(',\n')}]\n`);
  return `${base}.json`;
}

const order = (i: Invariant) => (i === 'driver_error' ? -1 : INVARIANTS.indexOf(i));
