import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { heapSnapshot, inspect, memoryUsage } from '../dev/bench/inspector';
import { newStats } from '../dev/bench/lifecycle';
import { round, rssMb, scrape } from '../dev/bench/measure';
import { table } from '../dev/bench/report';
import { inParallel, openBench, quiesce } from '../dev/bench/run';
import { SCALE_POLICY } from '../dev/bench/scale';
import { freePort } from '../dev/stack/processes';
import { startWorld } from '../dev/stack/world';
import { ROOT } from '../dev/paths';

/**
 * `npm run bench:memory`: what the worker keeps per case it has seen once its sticky cache is full.
 * Opens cases as the scale bench does (update-with-start through a bare client, sleeping on timers
 * weeks ahead) into a worker with a small cache and the inspector on, and at each step, with the
 * worker idle, records RSS and `process.memoryUsage()` of its main and workflow threads and writes
 * a heap snapshot of each (compare two with `npm run bench:heap-diff -- <a> <b>`).
 *
 * Between the steps a row of figures (no snapshot) every `--sample-every` cases. A snapshot leaves
 * the process's RSS higher (the allocator keeps what writing it took), so RSS is compared between
 * rows after the same snapshot.
 *
 *   npm run bench:memory -- [--steps 1000,4000] [--sample-every 200] [--cache 200] [--out bench-results/memory-<run>] [--no-snapshots]
 */

const { values: flags } = parseArgs({
  options: {
    steps: { type: 'string', default: '1000,4000' },
    'sample-every': { type: 'string', default: '200' },
    cache: { type: 'string', default: '200' },
    out: { type: 'string' },
    'no-snapshots': { type: 'boolean', default: false },
  },
});
const RUN = Date.now().toString(36);
const mb = (bytes: number) => round(bytes / 2 ** 20);

async function main(): Promise<void> {
  const snapshotAt = new Set(flags.steps.split(',').map(Number));
  const every = Number(flags['sample-every']);
  const last = Math.max(...snapshotAt);
  const steps = [
    ...new Set([...snapshotAt, ...Array.from({ length: Math.floor(last / every) }, (_, i) => (i + 1) * every)]),
  ].sort((a, b) => a - b);
  const out = path.resolve(flags.out ?? path.join(ROOT, 'bench-results', `memory-${RUN}`));
  mkdirSync(out, { recursive: true });
  const inspectPort = await freePort();
  const world = await startWorld({
    cases: Math.max(...steps),
    workerEnv: {
      WORKER_CACHED_WORKFLOWS: flags.cache,
      NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}`,
    },
  });
  const bench = openBench(world, RUN, {});
  const desk = bench.ours(() => SCALE_POLICY);
  const inspected = await inspect(inspectPort);
  const pid = () => world.procs.get('worker')!.process.pid!;
  const rows: Array<Record<string, unknown>> = [];
  let opened = 0;
  let failed = 0;
  try {
    console.log(`stack up in ${world.dir}; threads inspected: ${inspected.targets.map((t) => t.name).join(', ')}`);
    for (const target of steps) {
      const t0 = Date.now();
      const batch = Array.from({ length: Math.max(0, target - opened - failed) }, () => bench.nextCase('m'));
      await inParallel(batch, 16, async (c) => {
        try {
          await desk.open(c, newStats());
          opened++;
        } catch (err) {
          if (++failed <= 5) console.warn(`  opening ${c.id} failed: ${String(err)}`);
        }
      });
      await quiesce(world);
      const row: Record<string, unknown> = {
        opened,
        failed,
        opensPerS: round(batch.length / ((Date.now() - t0) / 1000)),
        cached: (await scrape(world.metricsUrl.get('worker')!)).get('temporal_sticky_cache_size'),
      };
      // `main`, `worker-1`…: the SDK's workflow thread is one of the workers (tsx's module loader another).
      const tag = (thread: { name: string }) => thread.name.replace(/\W+/g, ' ').trim().replace(' ', '-');
      // As the process runs (the garbage V8 has not yet collected included), then after a full GC of each thread.
      row.rssMb = rssMb(pid());
      for (const thread of inspected.targets)
        row[`${tag(thread)}HeapTotalMb`] = mb((await memoryUsage(thread, false)).heapTotal);
      for (const thread of inspected.targets) {
        const use = await memoryUsage(thread, true);
        Object.assign(row, {
          [`${tag(thread)}HeapUsedGcMb`]: mb(use.heapUsed),
          [`${tag(thread)}ExternalGcMb`]: mb(use.external),
        });
      }
      // Before the snapshots, which take memory of their own to write.
      row.rssGcMb = rssMb(pid());
      if (!flags['no-snapshots'] && snapshotAt.has(target))
        for (const thread of inspected.targets) {
          const file = path.join(out, `${tag(thread)}-${opened}.heapsnapshot`);
          await heapSnapshot(thread, file);
          console.log(`  ${thread.name}: ${file}`);
        }
      rows.push(row);
      console.log(`  ${JSON.stringify(row)}`);
    }
  } finally {
    inspected.close();
    await world.close();
  }
  table(`the worker (cache ${flags.cache}) as cases open; heap figures after a full GC; snapshots in ${out}`, rows);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
