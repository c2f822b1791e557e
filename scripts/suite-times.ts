/**
 * `node --import tsx scripts/suite-times.ts <jest --json output> [--write]`: the suites of one jest
 * run ranked by wall-clock seconds, and how much of the run's end had only one suite running (a
 * worker idle while the last long suite finished). With --write it keeps the seconds in
 * test/support/suite-times.json, which test/support/sequencer.js reads to start the longest suites
 * first on a clone that has no timings of its own (docs/house.md, "Where the test time goes").
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const ROOT = path.resolve(__dirname, '..');
export const SUITE_TIMES_FILE = path.join(ROOT, 'test/support/suite-times.json');

const JestJson = z.object({
  startTime: z.number(),
  numTotalTests: z.number(),
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      startTime: z.number(),
      endTime: z.number(),
      assertionResults: z.array(z.unknown()),
    }),
  ),
});

export interface Suite {
  file: string;
  seconds: number;
  tests: number;
  status: string;
  startS: number;
  endS: number;
}

export function suites(json: unknown): { suites: Suite[]; wallS: number; tailS: number } {
  const run = JestJson.parse(json);
  const all = run.testResults
    .map((r) => ({
      file: path.relative(ROOT, r.name),
      seconds: (r.endTime - r.startTime) / 1000,
      tests: r.assertionResults.length,
      status: r.status,
      startS: (r.startTime - run.startTime) / 1000,
      endS: (r.endTime - run.startTime) / 1000,
    }))
    .sort((a, b) => b.seconds - a.seconds);
  const wallS = Math.max(...all.map((s) => s.endS));
  // The end of the run during which a single suite ran alone: after every other suite had ended.
  const ends = all.map((s) => s.endS).sort((a, b) => b - a);
  const last = all.find((s) => s.endS === ends[0]);
  const tailS = last && ends.length > 1 ? ends[0] - Math.max(ends[1], last.startS) : 0;
  return { suites: all, wallS, tailS };
}

/**
 * The wall clock of `workers` workers taking the suites in `order`, each suite its measured
 * seconds: an estimate of what an order costs (it ignores that suites slow each other down).
 */
export function makespan(order: Suite[], workers: number): number {
  const free = Array<number>(workers).fill(0);
  for (const s of order) {
    const w = free.indexOf(Math.min(...free));
    free[w] += s.seconds;
  }
  return Math.max(...free);
}

if (require.main === module) {
  const [input, flag] = process.argv.slice(2);
  if (!input) throw new Error('usage: scripts/suite-times.ts <jest --json output> [--write]');
  const { suites: ranked, wallS, tailS } = suites(JSON.parse(readFileSync(input, 'utf8')));
  console.log(
    `${ranked.length} suites, ${Math.round(wallS)} s wall clock, ${Math.round(tailS)} s with one suite alone at the end`,
  );
  console.log('| # | suite | seconds | tests | started at (s) |\n|---|---|---|---|---|');
  ranked.slice(0, 15).forEach((s, i) => {
    console.log(`| ${i + 1} | ${s.file} | ${Math.round(s.seconds)} | ${s.tests} | ${Math.round(s.startS)} |`);
  });
  // Jest's own order on a clone without timings is by file size; the sequencer's is longest first.
  const bySize = [...ranked].sort(
    (a, b) => statSync(path.join(ROOT, b.file)).size - statSync(path.join(ROOT, a.file)).size,
  );
  console.log(
    `2 workers, estimated: ${Math.round(makespan(bySize, 2))} s in file-size order, ${Math.round(makespan(ranked, 2))} s longest first`,
  );
  const failed = ranked.filter((s) => s.status !== 'passed');
  if (failed.length) console.log(`not passed: ${failed.map((s) => s.file).join(', ')}`);
  if (flag === '--write') {
    // A run of some suites updates theirs and keeps the others' figures.
    const kept = z
      .record(z.string(), z.number())
      .parse(existsSync(SUITE_TIMES_FILE) ? JSON.parse(readFileSync(SUITE_TIMES_FILE, 'utf8')) : {});
    const merged = { ...kept, ...Object.fromEntries(ranked.map((s) => [s.file, Math.round(s.seconds)])) };
    const times = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
    writeFileSync(SUITE_TIMES_FILE, `${JSON.stringify(times, null, 2)}\n`);
    console.log(`wrote ${path.relative(ROOT, SUITE_TIMES_FILE)}`);
  }
}
