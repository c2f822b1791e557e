import { durationMs } from '../../shared/calendar';
import { BENCH_POLICY } from '../stack/world';
import type { FloorPlan } from './floorWorkflow';
import { countHistory, floorPlan } from './history';
import { type BenchCase, apiDesk, drive, newStats, putOrder } from './lifecycle';
import { type ClosedLoopResult, closedLoop, openLoop } from './load';
import { percentile, round } from './measure';
import { table } from './report';
import { type Bench, inParallel, quiesce } from './run';

/** The bench's lifecycle sections: one lifecycle counted, throughput against the floor, the peak hour. */

/** How long the floor's fired timer runs: our satisfaction callback's wait. */
const CALLBACK_MS = durationMs(BENCH_POLICY.satisfaction.callbackAfter.medium);

export interface ThroughputOptions {
  /** Cases in flight at once, one closed loop each. */
  levels: number[];
  /** Runs at each level. */
  repeat: number;
  /** Each run's window. */
  seconds: number;
}

export interface PeakOptions {
  ratePerS: number;
  seconds: number;
}

/** One real lifecycle's history gives the counts the floor repeats; a few first warm both workers up. */
export async function counts(bench: Bench): Promise<FloorPlan> {
  const { world } = bench;
  const stats = newStats();
  let c: BenchCase | undefined;
  for (let i = 0; i < 3; i++) {
    c = bench.nextCase('w');
    await putOrder(world.sandboxUrl, c);
    await bench.ours().open(c, stats);
    await drive(bench.ours(), c, stats);
  }
  const history = await world.client.workflow.getHandle(c!.id).fetchHistory();
  const plan = floorPlan(history, CALLBACK_MS);
  const floor = bench.floor(plan);
  for (let i = 0; i < 3; i++) {
    c = bench.nextCase('f');
    await floor.open(c, stats);
    await drive(floor, c, stats);
  }
  const floorHistory = await world.client.workflow.getHandle(c!.id).fetchHistory();
  const rows = [
    { workflow: 'ours', ...countHistory(history) },
    { workflow: 'floor', ...countHistory(floorHistory) },
  ];
  table('one lifecycle, from its history (the floor repeats the updates, activities and timers)', rows);
  console.log(
    `floor plan per update (activities per workflow task a, timers cancelled t / fired f): ${plan.updates.map((u, i) => `${u} ${plan.stages[i].batches.join('+') || 0}a/${plan.stages[i].cancelledTimers}t/${plan.stages[i].firedTimers}f`).join(', ')}`,
  );
  bench.results.counts = { rows, plan };
  return plan;
}

/** Lifecycles per second at each concurrency, floor and ours interleaved so drift hits both alike. */
export async function throughput(bench: Bench, plan: FloorPlan, options: ThroughputOptions): Promise<void> {
  const { world } = bench;
  const floor = bench.floor(plan);
  const { seconds } = options;
  const runs: Array<
    { workflow: string; repeat: number; viewReadsPerCase: number; retries: number } & ClosedLoopResult
  > = [];
  const ratios: Array<Record<string, unknown>> = [];
  const levels = options.levels.flatMap((concurrency) =>
    Array.from({ length: options.repeat }, (_, repeat) => ({ concurrency, repeat })),
  );
  for (const [i, { concurrency, repeat }] of levels.entries()) {
    const targets = [
      { workflow: 'floor', worker: 'floor', desk: floor },
      { workflow: 'ours', worker: 'worker', desk: bench.ours() },
    ];
    if (i % 2) targets.reverse();
    const level: Record<string, ClosedLoopResult> = {};
    for (const { workflow, worker, desk } of targets) {
      let n = 0;
      const stats = newStats();
      level[workflow] = await closedLoop(
        world,
        { worker, concurrency, windowS: seconds, maxS: 240, cores: bench.cores },
        async () => {
          n++;
          const c = bench.nextCase(`t${concurrency}`);
          // Our refund is checked against the order at the gateway; the floor pays nothing. A few ms.
          if (workflow === 'ours') await putOrder(world.sandboxUrl, c);
          await desk.open(c, stats);
          await drive(desk, c, stats);
        },
      );
      runs.push({
        workflow,
        repeat,
        ...level[workflow],
        viewReadsPerCase: round(stats.reads / n),
        retries: stats.retries,
      });
      await quiesce(world);
    }
    ratios.push({
      concurrency,
      repeat,
      perSecond: round(level.ours.perSecond / level.floor.perSecond, 2),
      cpuMsPerCase: round(level.ours.cpuMsPerCase.total / level.floor.cpuMsPerCase.total, 2),
    });
  }
  table(
    `throughput: lifecycles per second = concurrency / mean latency, over a window of ≥ ${seconds} s and ≥ one generation; target ours ≥ 20/s and ≥ 0.9 × floor`,
    runs.map((r) => ({
      workflow: r.workflow,
      concurrency: r.concurrency,
      repeat: r.repeat,
      perSecond: r.perSecond,
      windowS: round(r.seconds, 0),
      closedInWindow: r.closedInWindow,
      meanMs: r.latencyMs.mean,
      p50ms: r.latencyMs.p50,
      p99ms: r.latencyMs.p99,
      failed: r.failed,
      retries: r.retries,
      viewReads: r.viewReadsPerCase,
      ourCpuBusy: r.cpuBusy,
      othersCpuBusy: r.othersBusy,
      ...(r.firstError ? { error: r.firstError } : {}),
    })),
  );
  table(
    'CPU milliseconds per lifecycle, by process',
    runs.map((r) => ({ workflow: r.workflow, concurrency: r.concurrency, ...r.cpuMsPerCase })),
  );
  table(
    "the worker's SDK metrics over the window, means in ms (wft = workflow task)",
    runs.map((r) => ({ workflow: r.workflow, concurrency: r.concurrency, ...r.sdk })),
  );
  table('ours / floor', ratios);
  table(`median [min–max] over ${options.repeat} runs`, spread(runs));
  bench.results.throughput = { runs, ratios };
}

/** Each figure's median and range over the repeated runs of one workflow at one concurrency. */
function spread(runs: Array<{ workflow: string } & ClosedLoopResult>): Array<Record<string, unknown>> {
  const groups = new Map<string, typeof runs>();
  for (const r of runs)
    groups.set(`${r.workflow} ${r.concurrency}`, [...(groups.get(`${r.workflow} ${r.concurrency}`) ?? []), r]);
  const span = (xs: number[]) => `${round(percentile(xs, 50))} [${round(Math.min(...xs))}–${round(Math.max(...xs))}]`;
  return [...groups.values()].map((g) => ({
    workflow: g[0].workflow,
    concurrency: g[0].concurrency,
    perSecond: span(g.map((r) => r.perSecond)),
    p50ms: span(g.map((r) => r.latencyMs.p50)),
    p99ms: span(g.map((r) => r.latencyMs.p99)),
    cpuMsPerCase: span(g.map((r) => r.cpuMsPerCase.total)),
    failed: g.reduce((n, r) => n + r.failed, 0),
  }));
}

/** The platform's peak (docs/domain.md §11.2): 5 000 complaints in one hour (≈1.4/s) opened through the API, each driven to its close through the API. */
export async function peak(bench: Bench, options: PeakOptions): Promise<void> {
  const { world } = bench;
  const { ratePerS: rate, seconds } = options;
  const api = apiDesk(world.apiUrl!, world.env.JWT_SECRET);
  const batch = Array.from({ length: Math.ceil(rate * seconds) }, () => bench.nextCase('p'));
  await inParallel(batch, 16, (c) => putOrder(world.sandboxUrl, c));
  const stats = newStats();
  const r = await openLoop(
    world,
    { worker: 'worker', ratePerS: rate, seconds, cores: bench.cores },
    (n) => api.open(batch[n], stats),
    (n) => drive(api, batch[n], stats),
  );
  table(`peak hour through the API: ${rate} complaints/s for ${seconds} s, each driven to its close`, [
    {
      arrivals: r.arrivals,
      closed: r.completed,
      failed: r.failed,
      openP50ms: r.openLatencyMs.p50,
      openP99ms: r.openLatencyMs.p99,
      openMaxMs: r.openLatencyMs.max,
      lifecycleP50ms: r.lifecycleMs.p50,
      lifecycleP99ms: r.lifecycleMs.p99,
      drainS: r.drainS,
      cpuBusy: r.cpuBusy,
      othersBusy: r.othersBusy,
      ...(r.firstError ? { error: r.firstError } : {}),
    },
  ]);
  bench.results.peak = r;
  await quiesce(world);
}
