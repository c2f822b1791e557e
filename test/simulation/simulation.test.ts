import execa from 'execa';
import { INVARIANTS } from './invariants';

/**
 * The fixed-seed simulation inside `npm test` (issue 12): a handful of random cases through the
 * real worker, activities and sandbox on time-skipping servers, each checked against the
 * independent reference model (model.ts) and the invariants (invariants.ts). A violating case's
 * history and script are saved under test/histories/simulated/ as a regression case.
 *
 * It runs `npm run simulate` in its own process: a time-skipping server that stalls is replaced,
 * and the client's retry timers on the old one end in errors only that process may ignore.
 * Eight cases on 2 lanes keep it near a minute on the CI machine; SIMULATION_CASES runs more.
 */
const SEED = 20261127;
const CASES = Number(process.env.SIMULATION_CASES ?? 8);

it(`the fixed-seed simulation: ${CASES} random cases keep every invariant`, async () => {
  const run = await execa('node', ['--import', 'tsx', 'scripts/simulate.ts', '--cases', String(CASES), '--seed', String(SEED), '--lanes', '2', '--save-max', '5'], {
    reject: false,
    all: true,
    env: { LOG_LEVEL: 'silent' },
  });
  const out = run.all ?? '';
  const summary = /simulation: seed \d+, (\d+) cases, (\d+) with violations, (\d+) not judged/.exec(out);
  if (!summary) throw new Error(`the simulation printed no summary (exit ${run.exitCode}):\n${out.slice(-3000)}`);
  const [, cases, violating, stalled] = summary.map(Number);
  // The run's own account (lanes replaced, time per phase): what a slow CI run is read from.
  console.log(out.split('\n').filter((l) => /^\s*\(lane|^simulation:|^mean real/.test(l)).join('\n'));
  const violations = out.split('\n').filter((l) => l.startsWith('✗'));
  expect({ seed: SEED, violating, violations, exitCode: run.exitCode }).toEqual({ seed: SEED, violating: 0, violations: [], exitCode: 0 });
  expect(cases).toBe(CASES);
  // Every invariant is in the report (a renamed check would hide here).
  for (const inv of INVARIANTS) expect(out).toContain(inv);
  // A stalled time-skipping server leaves its case unjudged (the lane goes on on a new server): most must be judged.
  expect(stalled).toBeLessThanOrEqual(Math.floor(CASES / 4));
}, 300_000);
