import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { apiOverhead } from '../dev/bench/apiOverhead';
import { table, writeResults } from '../dev/bench/report';
import { openBench } from '../dev/bench/run';
import { scale, storm } from '../dev/bench/scale';
import { judgeTargets } from '../dev/bench/targets';
import { counts, peak, throughput } from '../dev/bench/throughput';
import { BENCH_POLICY, startWorld } from '../dev/stack/world';
import { ROOT } from '../dev/paths';

/**
 * `npm run bench`: our complaint lifecycle against a floor workflow, throughput, a peak hour
 * through the API, the API's overhead on an update, and the cost of many open cases, side by side
 * in one run on one stack (see dev/stack/world.ts). Prints tables and writes JSON to bench-results/.
 * Figures, not assertions: this machine is shared and noisy.
 *
 *   npm run bench -- [--levels 5,20,50] [--repeat 3] [--seconds 30] [--peak-rate 1.4] [--peak-seconds 60]
 *                    [--api-samples 400] [--scale 500,1000,2000] [--scale-floor all] [--scale-answer all] [--storm 2000]
 *                    [--only throughput,peak,api,scale,storm]   (storm runs only when named)
 *                    [--cpu-prof]
 */

const { values: flags } = parseArgs({
  options: {
    levels: { type: 'string', default: '5,20,50' },
    repeat: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '30' },
    'peak-rate': { type: 'string', default: '1.4' },
    'peak-seconds': { type: 'string', default: '60' },
    'api-samples': { type: 'string', default: '400' },
    scale: { type: 'string', default: '500,1000,2000' },
    storm: { type: 'string', default: '2000' },
    'scale-floor': { type: 'string', default: 'all' },
    'scale-answer': { type: 'string', default: 'all' },
    only: { type: 'string', default: 'throughput,peak,api,scale' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const numbers = (s: string) => s.split(',').map(Number);
/** A count, or `all` for no limit. */
const allOr = (s: string) => (s === 'all' ? Infinity : Number(s));
const sections = new Set(flags.only.split(','));
const RUN = Date.now().toString(36);

async function main(): Promise<void> {
  const profileDir = path.join(ROOT, 'bench-results', `profiles-${RUN}`);
  // Kept after the run: a server that fails in the second hour says why.
  const logDir = path.join(ROOT, 'bench-results', `logs-${RUN}`);
  // The open cases at scale and the storm's stay in the store for the run; the lifecycles add a few thousand.
  const cases =
    (sections.has('scale') ? Math.max(...numbers(flags.scale)) : 0) + (sections.has('storm') ? Number(flags.storm) : 0);
  const world = await startWorld({
    api: true,
    floor: true,
    cpuProfileDir: flags['cpu-prof'] ? profileDir : undefined,
    cases,
    logDir,
  });
  const results: Record<string, unknown> = {
    machine: { cores: cpus().length, node: process.version },
    policy: BENCH_POLICY,
    workers: 'child processes (workers/main.ts, dev/bench/floorWorker.ts)',
  };
  const bench = openBench(world, RUN, results);
  // A long run stopped by hand keeps what it measured so far.
  const stop = () => {
    console.log(`\ninterrupted; results so far: ${writeResults('bench-interrupted', results)}`);
    void world.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  try {
    console.log(`stack up in ${world.dir}; workers run as child processes; ${bench.cores} cores; logs in ${logDir}`);
    const plan = await counts(bench);
    if (sections.has('throughput'))
      await throughput(bench, plan, {
        levels: numbers(flags.levels),
        repeat: Number(flags.repeat),
        seconds: Number(flags.seconds),
      });
    if (sections.has('peak'))
      await peak(bench, { ratePerS: Number(flags['peak-rate']), seconds: Number(flags['peak-seconds']) });
    if (sections.has('api')) await apiOverhead(bench, plan, Number(flags['api-samples']));
    if (sections.has('scale'))
      await scale(bench, plan, {
        steps: numbers(flags.scale),
        floorMax: allOr(flags['scale-floor']),
        answer: allOr(flags['scale-answer']),
      });
    if (sections.has('storm')) await storm(bench, Number(flags.storm));
    table(
      'targets: ratios measured side by side in this run',
      judgeTargets(results) as unknown as Array<Record<string, unknown>>,
    );
  } finally {
    await world.close();
    console.log(`\nresults: ${writeResults('bench', results)}`);
    if (flags['cpu-prof']) console.log(`CPU profiles of the workers and the API: ${profileDir}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
