import { INVARIANTS } from './invariants';
import { simulate } from './run';

/**
 * The fixed-seed simulation inside `npm test` (issue 12): a handful of random cases through the
 * real worker, activities and sandbox on time-skipping servers, each checked against the
 * independent reference model (model.ts) and the invariants (invariants.ts). A violating case's
 * history and script are saved under test/histories/simulated/ as a regression case.
 *
 * SKIPPED unless SIMULATION=1: today's workflow still has the defects issue 12 lists, so this
 * test fails by design until the workflow fixes land; then drop the skip (and keep the run time
 * under 60 s: ~20 cases on 2 lanes). `npm run simulate -- --cases 2000 --seed S` is the long run.
 */
const run = process.env.SIMULATION === '1' ? describe : describe.skip;

const SEED = 20261127;
const CASES = Number(process.env.SIMULATION_CASES ?? 16);

run('simulation (fixed seed)', () => {
  it(`${CASES} random cases keep every invariant`, async () => {
    const lines: string[] = [];
    const summary = await simulate({ cases: CASES, seed: SEED, lanes: 2, saveMax: 5, caseTimeoutMs: 40_000, log: (l) => lines.push(l) });
    const report = Object.entries(summary.byInvariant).map(([inv, e]) => `${inv}: ${e.cases} case(s), e.g. ${e.example}`);
    // The names are part of the report: every invariant ran (a renamed check would hide here).
    expect(INVARIANTS.length).toBeGreaterThanOrEqual(14);
    expect({ seed: SEED, violations: report, cases: lines }).toEqual({ seed: SEED, violations: [], cases: [] });
  }, 120_000);
});
