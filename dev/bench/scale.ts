import path from 'node:path';
import { signToken } from '../../api/auth';
import { SlaPolicy } from '../../shared/policy';
import { openStore } from '../../store/connection';
import { BENCH_POLICY } from '../stack/world';
import type { FloorPlan } from './floorWorkflow';
import { type BenchCase, newStats } from './lifecycle';
import { around } from './load';
import { percentile, round, rssMb, scrape } from './measure';
import { table } from './report';
import { type Bench, fileMb, inParallel, quiesce, waitFor } from './run';

/** The bench's open-case sections: many open cases asleep at once (scale), and all waking together (storm). */

/**
 * Open cases at scale sleep on their timers for the whole run: every window a fresh case
 * waits on lies weeks ahead. With the bench's own policy the first cases woke to escalate while
 * later ones were still opening, and each wake replayed its case past the cache (10 000 stalled).
 */
export const SCALE_POLICY = SlaPolicy.parse({
  ...BENCH_POLICY,
  firstResponse: 'P30D',
  offHoursFirstResponse: 'P30D',
  handling: { high: 'P30D', medium: 'P30D', low: 'P30D' },
  categoryTargets: { product: 'P60D', logistics: 'P60D' },
  progressUpdates: { after: 'P60D', everyWorkingDays: 1 },
});

export interface ScaleOptions {
  /** The numbers of open cases measured, in order. */
  steps: number[];
  /** The floor's open cases stop growing here (Infinity: as many as ours). */
  floorMax: number;
  /** How many of the open cases are read at the end (Infinity: all). */
  answer: number;
}

/**
 * N open cases sleeping on their deadline timers, and as many open floor cases beside them (up to
 * `floorMax`, so a 100 000-case run need not open the floor's 100 000 too): what memory,
 * storage and the list endpoint cost as N grows; the worker's memory sampled while ours open; and
 * at the end, whether the open cases still answer a read through the API (`answer` of
 * them, at random; each one the cache lost is replayed to answer).
 */
export async function scale(bench: Bench, plan: FloorPlan, options: ScaleOptions): Promise<void> {
  const { world } = bench;
  const db = await openStore(world.mongoUri);
  const desks = { worker: bench.ours(() => SCALE_POLICY), floor: bench.floor(plan) };
  const token = await signToken(world.env.JWT_SECRET, { sub: 'sup-1', role: 'supervisor' });
  const rows: Array<Record<string, unknown>> = [];
  const growth: Array<Record<string, unknown>> = [];
  Object.assign(bench.results, { scale: rows, scaleGrowth: growth });
  const oursOpen: string[] = [];
  const opened = { worker: 0, floor: 0 };
  const failed = { worker: 0, floor: 0 };
  const pid = (name: string) => world.procs.get(name)!.process.pid!;
  const cached = async (worker: string) =>
    (await scrape(world.metricsUrl.get(worker)!)).get('temporal_sticky_cache_size');
  const disk = () => ({
    temporalDbMb: round(fileMb(path.join(world.dir, 'temporal.db')) + fileMb(path.join(world.dir, 'temporal.db-wal'))),
    mongoFileMb: fileMb(path.join(world.dir, 'mongo.mv')),
  });
  const bearer = { headers: { authorization: `Bearer ${token}` } };
  const list = async (query: string) => {
    const ms: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const res = await fetch(`${world.apiUrl}/v1/complaints?${query}`, bearer);
      if (!res.ok) throw new Error(`list ${query}: ${res.status}`);
      await res.json();
      ms.push(performance.now() - t0);
    }
    return `${round(percentile(ms, 50), 0)}/${round(percentile(ms, 99), 0)}`;
  };
  // Opening keeps going past a case that fails to open (counted): one refusal in two hours must not lose the run.
  const openAll = async (worker: keyof typeof desks, batch: BenchCase[]) => {
    await inParallel(batch, 16, async (c) => {
      try {
        await desks[worker].open(c, newStats());
        opened[worker]++;
        if (worker === 'worker') oursOpen.push(c.id);
      } catch (err) {
        if (++failed[worker] <= 5) console.warn(`  opening ${c.id} failed: ${String(err)}`);
      }
    });
  };
  // Every minute while ours open: is the worker's memory flat once its cache is full?
  const sampleGrowth = () => {
    const t0 = Date.now();
    let last = { at: t0, opened: opened.worker };
    const timer = setInterval(() => {
      void cached('worker').then(
        (workerCached) => {
          const now = Date.now();
          growth.push({
            minute: round((now - t0) / 60_000, 1),
            oursOpen: opened.worker,
            opensPerS: round(((opened.worker - last.opened) * 1000) / (now - last.at)),
            workerRssMb: rssMb(pid('worker')),
            workerCached,
            temporalRssMb: rssMb(pid('temporal')),
            mongoRssMb: rssMb(pid('mongo')),
            ...disk(),
          });
          last = { at: now, opened: opened.worker };
          console.log(`  while opening: ${JSON.stringify(growth.at(-1))}`);
        },
        (err: unknown) => console.warn(`  while opening: no sample this minute (${String(err)})`),
      );
    }, 60_000);
    return () => clearInterval(timer);
  };
  try {
    const already = await db.cases.countDocuments({ status: 'acknowledged' });
    let before = { cases: 0, ...disk() };
    for (const target of options.steps) {
      const opening: Record<string, { perS: number; cpuMsPerCase: number } | undefined> = {};
      for (const worker of ['worker', 'floor'] as const) {
        const want = worker === 'floor' ? Math.min(target, options.floorMax) : target;
        const batch = Array.from({ length: Math.max(0, want - opened[worker] - failed[worker]) }, () =>
          bench.nextCase(`s${worker[0]}`),
        );
        if (!batch.length) continue;
        const stopSampling = worker === 'worker' ? sampleGrowth() : () => undefined;
        const t = Date.now();
        const r = await around(world, { worker, cores: bench.cores }, async () => {
          await openAll(worker, batch);
          return batch.length;
        }).finally(stopSampling);
        opening[worker] = { perS: round(batch.length / ((Date.now() - t) / 1000)), cpuMsPerCase: r.cpuMsPerCase.total };
        console.log(
          `  opening ${batch.length} of ${worker === 'worker' ? 'ours' : 'the floor'}: CPU ms per case by process ${JSON.stringify(r.cpuMsPerCase)}`,
        );
      }
      // Every intake's projection write landed: the list shows what a supervisor would see.
      await waitFor(
        async () => (await db.cases.countDocuments({ status: 'acknowledged' })) >= already + opened.worker,
        600_000,
      );
      await quiesce(world);
      const now = { cases: opened.worker + opened.floor, ...disk() };
      const kbPerCase = (mb: number, mbBefore: number) =>
        round(((mb - mbBefore) * 1024) / Math.max(1, now.cases - before.cases), 2);
      rows.push({
        openCases: opened.worker,
        failedOpens: failed.worker,
        opensPerS: opening.worker?.perS,
        cpuMsPerOpen: opening.worker?.cpuMsPerCase,
        floorOpenCases: opened.floor,
        floorOpensPerS: opening.floor?.perS,
        floorCpuMsPerOpen: opening.floor?.cpuMsPerCase,
        workerRssMb: rssMb(pid('worker')),
        workerCached: await cached('worker'),
        floorRssMb: rssMb(pid('floor')),
        floorCached: await cached('floor'),
        temporalRssMb: rssMb(pid('temporal')),
        ...now,
        temporalKbPerCase: kbPerCase(now.temporalDbMb, before.temporalDbMb),
        mongoKbPerCase: kbPerCase(now.mongoFileMb, before.mongoFileMb),
        mongoRssMb: rssMb(pid('mongo')),
        'list p50/p99 ms: newest': await list('limit=20'),
        'by status': await list('status=acknowledged&limit=20'),
        'by merchant': await list('merchantId=m-7&limit=20'),
      });
      before = now;
      console.log(
        `  ${opened.worker} open cases of ours, ${opened.floor} of the floor: ${JSON.stringify(rows.at(-1))}`,
      );
    }
    bench.results.scaleAnswers = await answers(bench, oursOpen, bearer, options.answer);
  } finally {
    await db.connection.close();
  }
  table('the worker while ours opened, sampled each minute', growth);
  table(
    "open cases sleeping on timers (ours, and the floor's up to --scale-floor); cached = workflows in the sticky cache; KB per case = disk growth since the row before, per case opened",
    rows,
  );
  const last = rows.at(-1);
  if (last) {
    const toMillion = (mb: number, kb: number) =>
      round((mb + (kb * (1_000_000 - Number(last.cases))) / 1024) / 1024, 1);
    const million = {
      temporalDbGb: toMillion(Number(last.temporalDbMb), Number(last.temporalKbPerCase)),
      mongoFileGb: toMillion(Number(last.mongoFileMb), Number(last.mongoKbPerCase)),
    };
    console.log(
      `disk at 1 000 000 open cases, extrapolated from the last step's growth per case: Temporal ${million.temporalDbGb} GB, Mongo ${million.mongoFileGb} GB`,
    );
    bench.results.scaleMillion = million;
  }
  table('do the open cases still answer? GET /v1/complaints/:id as a supervisor, at random', [
    bench.results.scaleAnswers as Record<string, unknown>,
  ]);
}

/** Reads `asked` of the open cases through the API, in random order; counts Running ones in visibility too. */
async function answers(bench: Bench, ids: string[], bearer: { headers: Record<string, string> }, asked: number) {
  const { world } = bench;
  const n = Math.min(ids.length, asked);
  const sample = [...ids];
  for (let i = sample.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [sample[i], sample[j]] = [sample[j], sample[i]];
  }
  sample.length = n;
  const ms: number[] = [];
  const failures = new Map<string, number>();
  const t0 = Date.now();
  const r = await around(world, { worker: 'worker', cores: bench.cores }, async () => {
    await inParallel(sample, 16, async (id) => {
      const t = performance.now();
      let status: string;
      try {
        const res = await fetch(`${world.apiUrl}/v1/complaints/${encodeURIComponent(id)}`, bearer);
        await res.json();
        if (res.ok) {
          ms.push(performance.now() - t);
          return;
        }
        status = String(res.status);
      } catch (err) {
        status = String(err);
      }
      failures.set(status, (failures.get(status) ?? 0) + 1);
    });
    return sample.length;
  });
  const running = await world.client.workflow
    .count(`WorkflowType = 'complaintWorkflow' AND ExecutionStatus = 'Running'`)
    .then(
      (c) => c.count,
      (err: unknown) => `count failed: ${String(err)}`,
    );
  return {
    asked: n,
    of: ids.length,
    answered: ms.length,
    failures: JSON.stringify(Object.fromEntries(failures)),
    seconds: round((Date.now() - t0) / 1000),
    'p50/p99 ms': `${round(percentile(ms, 50), 0)}/${round(percentile(ms, 99), 0)}`,
    workerCpuMsPerRead: r.cpuMsPerCase.worker,
    runningInVisibility: running,
  };
}

/**
 * The wake-up storm (docs/benchmarks.md): `n` cases whose first response falls due in the same minute, as
 * off-hours cases all come due 1 h after service resumes on a Monday. They are opened asleep, then
 * wake together; the figures are how long until every one's breach was recorded (target: the last
 * within 10 minutes), the worker's queue (workflow task schedule-to-start) and the replay cost
 * (sticky cache misses) while it drains.
 */
export async function storm(bench: Bench, n: number): Promise<void> {
  const { world } = bench;
  const db = await openStore(world.mongoUri);
  const tag = 'w';
  const sleepers = (due: number) =>
    bench.ours(() => ({ ...SCALE_POLICY, firstResponse: `PT${Math.max(1, Math.ceil((due - Date.now()) / 1000))}S` }));
  try {
    // The opening rate, measured on a first tenth, sets the minute everyone falls due: after the last opens.
    const probe = Array.from({ length: Math.max(10, Math.ceil(n / 10)) }, () => bench.nextCase(tag));
    const t0 = Date.now();
    await inParallel(probe, 16, (c) => sleepers(Date.now() + 30 * 86_400_000).open(c, newStats()));
    const perS = probe.length / ((Date.now() - t0) / 1000);
    const dueAt = Math.ceil((Date.now() + (n / perS) * 1.5 * 1000 + 60_000) / 60_000) * 60_000;
    const batch = Array.from({ length: n }, () => bench.nextCase(tag));
    await inParallel(batch, 16, (c) => sleepers(dueAt).open(c, newStats()));
    const lateOpens = Math.max(0, Date.now() - dueAt);
    console.log(
      `  storm: ${n} cases opened at ${round(perS)}/s, all due at ${new Date(dueAt).toISOString()}${lateOpens ? ` (the last opened ${lateOpens} ms after it)` : ''}`,
    );
    await new Promise((r) => setTimeout(r, Math.max(0, dueAt - Date.now())));
    const ids = new Set(batch.map((c) => c.id));
    const breached = () =>
      db.slaEvents
        .find(
          { kind: 'first_response', event: 'breached', at: { $gte: new Date(dueAt - 60_000) } },
          { complaintId: 1, at: 1 },
        )
        .lean();
    let seen: Array<{ complaintId: string; at: Date }> = [];
    const reading = await around(world, { worker: 'worker', cores: bench.cores }, async () => {
      const end = dueAt + 20 * 60_000;
      for (;;) {
        seen = (await breached()).filter((e) => ids.has(e.complaintId));
        if (seen.length >= n || Date.now() > end) return seen.length;
        await new Promise((r) => setTimeout(r, 2_000));
      }
    });
    const lagS = seen.map((e) => (e.at.getTime() - dueAt) / 1000);
    const row = {
      cases: n,
      escalated: seen.length,
      'last after due, s': round(Math.max(...lagS, 0)),
      'p50 / p99 after due, s': `${round(percentile(lagS, 50))} / ${round(percentile(lagS, 99))}`,
      'target: last ≤ 600 s': seen.length === n && Math.max(...lagS) <= 600 ? 'met' : 'missed',
      'wft schedule-to-start mean ms': reading.sdk.wftScheduleToStart,
      'wft execution mean ms': reading.sdk.wftExecution,
      'replays (sticky cache misses)': reading.sdk.stickyMisses,
      'CPU ms per case': reading.cpuMsPerCase.total,
      othersCpuBusy: reading.othersBusy,
    };
    table(`wake-up storm: ${n} cases due in the same minute`, [row]);
    bench.results.storm = row;
  } finally {
    await db.connection.close();
  }
}
