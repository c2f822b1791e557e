import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { bundleComplaintWorkflows } from '../workers/bundle';
import { freePort, startMongoWire, stopAll } from '../dev/stack/processes';
import { INVARIANTS } from '../dev/simulation/invariants';
import { simulate } from '../dev/simulation/run';
import { type CaseScript, PARTY_STEPS, generateScript } from '../dev/simulation/script';

/**
 * `npm run simulate -- --cases N --seed S [--lanes L] [--only 3,17] [--save-max 20] [--results f.json]`: drives N
 * random cases (dev/simulation/script.ts) through the real worker, activities and sandbox on
 * time-skipping test servers, checks each against the reference model and the invariants
 * (dev/simulation/invariants.ts), saves the history and script of violating cases under
 * test/histories/simulated/, prints a summary and exits 1 on any violation.
 *
 * What jest's globalSetup does for the suite, done here: a MongoDB-wire server on a free port and
 * the workflow bundle written to a temp file. Each lane then starts its own harness.
 */

const { values: flags } = parseArgs({
  options: {
    cases: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    lanes: { type: 'string', default: '2' },
    only: { type: 'string' },
    'save-max': { type: 'string', default: '20' },
    results: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
  const seed = Number(flags.seed);
  const mongoPort = await freePort();
  const noop = () => undefined;
  // A bundle already built (npm test's globalSetup hands its own down) saves bundling again.
  const prebuilt =
    process.env.WORKFLOW_BUNDLE_PATH && existsSync(process.env.WORKFLOW_BUNDLE_PATH)
      ? process.env.WORKFLOW_BUNDLE_PATH
      : undefined;
  const [mongo, bundle] = await Promise.all([
    startMongoWire({ port: mongoPort }),
    prebuilt
      ? undefined
      : bundleComplaintWorkflows({
          trace: noop,
          debug: noop,
          info: noop,
          warn: console.warn,
          error: console.error,
          log: noop,
        }),
  ]);
  const bundlePath = prebuilt ?? path.join(tmpdir(), `complaint-workflows-sim-${process.pid}.js`);
  if (bundle !== undefined) writeFileSync(bundlePath, bundle);
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;
  process.env.MONGODB_URI = `mongodb://127.0.0.1:${mongoPort}/simulation`;
  try {
    const summary = await simulate({
      cases: Number(flags.cases),
      seed,
      lanes: Number(flags.lanes),
      only: flags.only ? flags.only.split(',').map(Number) : undefined,
      saveMax: Number(flags['save-max']),
    });
    console.log(
      `\nsimulation: seed ${seed}, ${summary.cases} cases, ${summary.violatingCases} with violations, ${summary.stalled} not judged (test server stalled), ${(summary.ms / 1000).toFixed(1)} s (${summary.msPerCase} ms per case, ${flags.lanes} lanes)`,
    );
    console.log(worldLine(summary.results.map((r) => generateScript(seed, r.n))));
    console.log(exercisedLine(summary.results));
    const phaseTotals: Record<string, number> = {};
    for (const r of summary.results)
      for (const [k, ms] of Object.entries(r.phases)) phaseTotals[k] = (phaseTotals[k] ?? 0) + ms;
    console.log(
      `mean real ms per case by phase: ${Object.entries(phaseTotals)
        .map(([k, ms]) => `${k} ${Math.round(ms / Math.max(1, summary.cases))}`)
        .join(', ')}`,
    );
    const rows = (['driver_error', ...INVARIANTS] as const).map((inv) => {
      const e = summary.byInvariant[inv];
      return `  ${inv.padEnd(40)} ${String(e?.cases ?? 0).padStart(5)}${e ? `   e.g. ${e.example.slice(0, 160)}` : ''}`;
    });
    console.log(`violations by invariant (cases):\n${rows.join('\n')}`);
    // Each case's verdict, to compare two runs of a seed (a change that must not change what is judged).
    if (flags.results)
      writeFileSync(
        flags.results,
        `${JSON.stringify(
          summary.results.map((r) => ({
            n: r.n,
            stalledBy: r.stalledBy ?? null,
            violations: r.violations.map((v) => v.invariant),
            exercised: r.exercised ?? [],
          })),
          null,
          1,
        )}\n`,
      );
    if (summary.saved.length)
      console.log(`saved ${summary.saved.length} histories (+ .script) under test/histories/simulated/`);
    process.exitCode = summary.violatingCases ? 1 : 0;
  } finally {
    await stopAll([mongo]);
    if (!prebuilt) rmSync(bundlePath, { force: true });
  }
}

/** How unkind the world of these cases was (test/simulation/simulation.test.ts reads this line). */
function worldLine(scripts: CaseScript[]): string {
  const DAY = 24 * 3_600_000;
  const silent = (s: CaseScript) => {
    const acts = {
      evidence: s.firstResponse.requestEvidence ? s.evidence : null,
      merchant_reply: s.merchantReply,
      approval: s.proposals[0].approval.act,
      return_shipment: s.returnShipment,
      return_received: s.returnReceived,
      repair: s.repair,
      customer_response: s.customerResponse,
      satisfaction: s.satisfaction,
    };
    return PARTY_STEPS.some((p) => acts[p]?.timing === 'never');
  };
  const count = (f: (s: CaseScript) => boolean) => scripts.filter(f).length;
  const crisis = (s: CaseScript) => s.crisis !== null;
  const night = (s: CaseScript) => crisis(s) && (s.arrival.hour >= 21 || s.arrival.hour < 9);
  return `world: ${count(silent)} with a party silent at some step, ${count((s) => s.faults.some((f) => (f.durationMs ?? 0) >= DAY))} with an outage of a day or more, ${count((s) => s.faults.some((f) => f.durationMs !== undefined && f.durationMs < DAY))} with a shorter outage, ${count((s) => s.longTexts)} with texts at their maximum, ${count((s) => s.overrides.length > 0)} with staff overrides, ${count(crisis)} crisis (${count(night)} at night)`;
}

/** How many judged cases reached each part of the newer world (choices, goodwill solutions, joint testing, suggestions). */
function exercisedLine(results: Array<{ exercised?: string[] }>): string {
  const counts = new Map<string, number>();
  for (const r of results) for (const tag of r.exercised ?? []) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return `exercised: ${[...counts].map(([tag, n]) => `${n} ${tag}`).join(', ') || 'none'}`;
}

main().then(
  // Clients of closed servers may still hold retry timers: leave at once.
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
