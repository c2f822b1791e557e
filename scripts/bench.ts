import { statSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { signToken } from '../api/auth';
import { addEvidenceUpdate, assignUpdate, firstResponseUpdate, merchantReplyUpdate } from '../shared/messages';
import { durationMs } from '../shared/calendar';
import { SlaPolicy } from '../shared/policy';
import { openStore } from '../store/connection';
import type { FloorPlan } from '../dev/bench/floorWorkflow';
import { countHistory, floorPlan } from '../dev/bench/history';
import {
  AGENT,
  type BenchCase,
  apiDesk,
  bareDesk,
  benchCase,
  drive,
  newStats,
  openRequest,
  putOrder,
  workflowInput,
} from '../dev/bench/lifecycle';
import { type LatencyRow, judgeTargets } from '../dev/bench/targets';
import { type ClosedLoopResult, around, closedLoop, openLoop } from '../dev/bench/load';
import { percentile, round, rssMb, scrape } from '../dev/bench/measure';
import { table, writeResults } from '../dev/bench/report';
import { BENCH_POLICY, startWorld, type World } from '../dev/stack/world';
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
const sections = new Set(flags.only.split(','));
const CORES = cpus().length;
const RUN = Date.now().toString(36);
/**
 * Open cases at scale sleep on their timers for the whole run: every window a fresh case
 * waits on lies weeks ahead. With the bench's own policy the first cases woke to escalate while
 * later ones were still opening, and each wake replayed its case past the cache (10 000 stalled).
 */
const SCALE_POLICY = SlaPolicy.parse({
  ...BENCH_POLICY,
  firstResponse: 'P30D',
  offHoursFirstResponse: 'P30D',
  handling: { high: 'P30D', medium: 'P30D', low: 'P30D' },
  categoryTargets: { product: 'P60D', logistics: 'P60D' },
  progressUpdates: { after: 'P60D', everyWorkingDays: 1 },
});
/** How long the floor's fired timer runs: our satisfaction callback's wait. */
const CALLBACK_MS = durationMs(BENCH_POLICY.satisfaction.callbackAfter.medium);

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
    machine: { cores: CORES, node: process.version },
    policy: BENCH_POLICY,
    workers: 'child processes (workers/main.ts, dev/bench/floorWorker.ts)',
  };
  // A long run stopped by hand keeps what it measured so far.
  const stop = () => {
    console.log(`\ninterrupted; results so far: ${writeResults('bench-interrupted', results)}`);
    void world.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  try {
    console.log(`stack up in ${world.dir}; workers run as child processes; ${CORES} cores; logs in ${logDir}`);
    const plan = await counts(world, results);
    if (sections.has('throughput')) await throughput(world, plan, results);
    if (sections.has('peak')) await peak(world, results);
    if (sections.has('api')) await apiOverhead(world, plan, results);
    if (sections.has('scale')) await scale(world, plan, results);
    if (sections.has('storm')) await storm(world, results);
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

let seq = 0;
const nextCase = (tag: string) => benchCase(`${RUN}${tag}`, seq++);
/** Our workflow through a bare client; `policy`, asked as each case opens, replaces the bench's own. */
const ours = (world: World, policy?: () => SlaPolicy) =>
  bareDesk(world.client, {
    workflowType: 'complaintWorkflow',
    taskQueue: world.taskQueue,
    input: (c) => (policy ? { ...workflowInput(c), policy: policy() } : workflowInput(c)),
  });
const floorDesk = (world: World, plan: FloorPlan) =>
  bareDesk(world.client, { workflowType: 'floorWorkflow', taskQueue: world.floorTaskQueue!, input: () => plan });

/** One real lifecycle's history gives the counts the floor repeats; a few first warm both workers up. */
async function counts(world: World, results: Record<string, unknown>) {
  const stats = newStats();
  let c: BenchCase | undefined;
  for (let i = 0; i < 3; i++) {
    c = nextCase('w');
    await putOrder(world.sandboxUrl, c);
    await ours(world).open(c, stats);
    await drive(ours(world), c, stats);
  }
  const history = await world.client.workflow.getHandle(c!.id).fetchHistory();
  const plan = floorPlan(history, CALLBACK_MS);
  const floor = floorDesk(world, plan);
  for (let i = 0; i < 3; i++) {
    c = nextCase('f');
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
  results.counts = { rows, plan };
  return plan;
}

/** Lifecycles per second at each concurrency, floor and ours interleaved so drift hits both alike. */
async function throughput(world: World, plan: FloorPlan, results: Record<string, unknown>) {
  const floor = floorDesk(world, plan);
  const seconds = Number(flags.seconds);
  const runs: Array<
    { workflow: string; repeat: number; viewReadsPerCase: number; retries: number } & ClosedLoopResult
  > = [];
  const ratios: Array<Record<string, unknown>> = [];
  const levels = numbers(flags.levels).flatMap((concurrency) =>
    Array.from({ length: Number(flags.repeat) }, (_, repeat) => ({ concurrency, repeat })),
  );
  for (const [i, { concurrency, repeat }] of levels.entries()) {
    const targets = [
      { workflow: 'floor', worker: 'floor', desk: floor },
      { workflow: 'ours', worker: 'worker', desk: ours(world) },
    ];
    if (i % 2) targets.reverse();
    const level: Record<string, ClosedLoopResult> = {};
    for (const { workflow, worker, desk } of targets) {
      let n = 0;
      const stats = newStats();
      level[workflow] = await closedLoop(
        world,
        { worker, concurrency, windowS: seconds, maxS: 240, cores: CORES },
        async () => {
          n++;
          const c = nextCase(`t${concurrency}`);
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
  table(`median [min–max] over ${flags.repeat} runs`, spread(runs));
  results.throughput = { runs, ratios };
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
async function peak(world: World, results: Record<string, unknown>) {
  const rate = Number(flags['peak-rate']);
  const seconds = Number(flags['peak-seconds']);
  const api = apiDesk(world.apiUrl!, world.env.JWT_SECRET);
  const batch = Array.from({ length: Math.ceil(rate * seconds) }, () => nextCase('p'));
  await inParallel(batch, 16, (c) => putOrder(world.sandboxUrl, c));
  const stats = newStats();
  const r = await openLoop(
    world,
    { worker: 'worker', ratePerS: rate, seconds, cores: CORES },
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
  results.peak = r;
  await quiesce(world);
}

/** A caller's update, sent through the API or as a bare client sends it. */
interface UpdatePath {
  caller: 'staff' | 'customer' | 'merchant';
  /** The cases it is sent to; a one-time update (the merchant's reply) needs a fresh case per sample. */
  cases: BenchCase[];
  api: (c: BenchCase) => Promise<unknown>;
  bare: (c: BenchCase) => Promise<unknown>;
}

/**
 * An update through the API against the same update from a bare client, for each kind of
 * caller (staff; a customer and a merchant, whose case the API must first find to be theirs), and
 * opening a case through the API against opening the floor's with a bare client. Alternating, one
 * at a time, after a warm-up.
 */
async function apiOverhead(world: World, plan: FloorPlan, results: Record<string, unknown>) {
  const samples = Number(flags['api-samples']);
  // Tokens are signed before the clock starts: a client signs in once, not per request.
  const tokens = new Map<string, string>();
  const bearer = async (claims: Parameters<typeof signToken>[1]) => {
    const key = JSON.stringify(claims);
    if (!tokens.has(key)) tokens.set(key, await signToken(world.env.JWT_SECRET, claims));
    return tokens.get(key)!;
  };
  const post = async (path: string, claims: Parameters<typeof signToken>[1], body: unknown) => {
    const token = await bearer(claims);
    const res = await fetch(`${world.apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const handle = (c: BenchCase) => world.client.workflow.getHandle(c.id);
  const evidence = { items: [{ kind: 'photo' as const, url: 'https://img.example/kettle.jpg', note: '' }] };
  const reply = { message: '同意退货退款', accepts: true };
  const merchantOf = (c: BenchCase) => ({
    sub: `${c.order.merchantId}-staff`,
    role: 'merchant' as const,
    merchantId: c.order.merchantId,
  });

  const reusable = Array.from({ length: 20 }, () => nextCase('a'));
  const warmup = 20;
  // The merchant answers once per case: a case at the investigation per sample and per path.
  const investigating = Array.from({ length: 2 * (warmup + Math.ceil(samples / 4)) }, () => nextCase('m'));
  await inParallel([...reusable, ...investigating], 8, async (c) => {
    await putOrder(world.sandboxUrl, c);
    await ours(world).open(c, newStats());
  });
  await inParallel(investigating, 8, async (c) => {
    await handle(c).executeUpdate(assignUpdate, { args: [{ agentId: AGENT.sub, actor: AGENT }] });
    await handle(c).executeUpdate(firstResponseUpdate, {
      args: [{ message: 'We are checking the kettle.', requestEvidence: false, actor: AGENT }],
    });
  });
  const paths: UpdatePath[] = [
    {
      caller: 'staff',
      cases: reusable,
      api: (c) => post(`/v1/complaints/${c.id}/assign`, { sub: AGENT.sub, role: 'agent' }, { agentId: AGENT.sub }),
      bare: (c) => handle(c).executeUpdate(assignUpdate, { args: [{ agentId: AGENT.sub, actor: AGENT }] }),
    },
    {
      caller: 'customer',
      cases: reusable,
      api: (c) =>
        post(
          `/v1/complaints/${c.id}/evidence`,
          { sub: c.customer.sub, role: 'customer', customerId: c.order.customerId },
          evidence,
        ),
      bare: (c) => handle(c).executeUpdate(addEvidenceUpdate, { args: [{ ...evidence, actor: c.customer }] }),
    },
    {
      caller: 'merchant',
      cases: investigating,
      api: (c) => post(`/v1/complaints/${c.id}/merchant-reply`, merchantOf(c), reply),
      bare: (c) =>
        handle(c).executeUpdate(merchantReplyUpdate, {
          args: [{ ...reply, actor: { sub: merchantOf(c).sub, role: 'merchant', merchantId: c.order.merchantId } }],
        }),
    },
  ];
  const figures: Record<string, { api: LatencyRow; bare: LatencyRow }> = {};
  const rows: Array<Record<string, unknown>> = [];
  for (const path of paths) {
    const n = path.caller === 'merchant' ? Math.ceil(samples / 4) : samples;
    const timings = await alternate(warmup + n, warmup, (i, which) => {
      // Reusable cases in turn, so an update never waits behind the projection write of the one before on that case.
      const c = path.cases === reusable ? reusable[i % reusable.length] : path.cases[2 * i + (which === 'api' ? 0 : 1)];
      return path[which](c);
    });
    figures[path.caller] = pair(timings);
    rows.push(...overheadRows(`${path.caller} update`, timings));
  }
  const opening = Array.from({ length: warmup + samples / 4 }, () => [nextCase('o'), nextCase('o')] as const);
  await inParallel(opening.flat(), 8, (c) => putOrder(world.sandboxUrl, c));
  const floor = floorDesk(world, plan);
  const openTimings = await alternate(opening.length, warmup, (i, which) =>
    which === 'api'
      ? post(
          '/v1/complaints',
          { sub: opening[i][0].customer.sub, role: 'customer', customerId: opening[i][0].order.customerId },
          openRequest(opening[i][0]),
        )
      : floor.open(opening[i][1], newStats()),
  );
  figures.open = pair(openTimings);
  rows.push(...overheadRows("open (API) vs the floor's open (bare)", openTimings));
  table(
    'through the API vs a bare Temporal client, alternating, one at a time; target ≤ 1.25 × bare at p50 and p99',
    rows,
  );
  results.api = figures;
}

type Timings = { api: number[]; bare: number[] };

async function alternate(
  rounds: number,
  warmup: number,
  send: (i: number, which: 'api' | 'bare') => Promise<unknown>,
): Promise<Timings> {
  const timings: Timings = { api: [], bare: [] };
  for (let i = 0; i < rounds; i++) {
    for (const which of i % 2 ? (['api', 'bare'] as const) : (['bare', 'api'] as const)) {
      const t = performance.now();
      await send(i, which);
      if (i >= warmup) timings[which].push(performance.now() - t);
    }
  }
  return timings;
}

const latency = (path: string, xs: number[]): LatencyRow => ({
  path,
  p50ms: round(percentile(xs, 50)),
  p99ms: round(percentile(xs, 99)),
});
const pair = (t: Timings) => ({ api: latency('API', t.api), bare: latency('bare client', t.bare) });

function overheadRows(what: string, t: Timings): Array<Record<string, unknown>> {
  const { api, bare } = pair(t);
  return [
    { what, path: bare.path, samples: t.bare.length, p50ms: bare.p50ms, p99ms: bare.p99ms },
    { what, path: api.path, samples: t.api.length, p50ms: api.p50ms, p99ms: api.p99ms },
    {
      what,
      path: 'ratio API/bare',
      samples: '',
      p50ms: round(api.p50ms / bare.p50ms, 2),
      p99ms: round(api.p99ms / bare.p99ms, 2),
    },
  ];
}

/**
 * N open cases sleeping on their deadline timers, and as many open floor cases beside them (up to
 * `--scale-floor`, so a 100 000-case run need not open the floor's 100 000 too): what memory,
 * storage and the list endpoint cost as N grows; the worker's memory sampled while ours open; and
 * at the end, whether the open cases still answer a read through the API (`--scale-answer` of
 * them, at random; each one the cache lost is replayed to answer).
 */
async function scale(world: World, plan: FloorPlan, results: Record<string, unknown>) {
  const db = await openStore(world.mongoUri);
  const desks = { worker: ours(world, () => SCALE_POLICY), floor: floorDesk(world, plan) };
  const floorMax = flags['scale-floor'] === 'all' ? Infinity : Number(flags['scale-floor']);
  const token = await signToken(world.env.JWT_SECRET, { sub: 'sup-1', role: 'supervisor' });
  const rows: Array<Record<string, unknown>> = [];
  const growth: Array<Record<string, unknown>> = [];
  Object.assign(results, { scale: rows, scaleGrowth: growth });
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
    for (const target of numbers(flags.scale)) {
      const opening: Record<string, { perS: number; cpuMsPerCase: number } | undefined> = {};
      for (const worker of ['worker', 'floor'] as const) {
        const want = worker === 'floor' ? Math.min(target, floorMax) : target;
        const batch = Array.from({ length: Math.max(0, want - opened[worker] - failed[worker]) }, () =>
          nextCase(`s${worker[0]}`),
        );
        if (!batch.length) continue;
        const stopSampling = worker === 'worker' ? sampleGrowth() : () => undefined;
        const t = Date.now();
        const r = await around(world, { worker, cores: CORES }, async () => {
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
    results.scaleAnswers = await answers(world, oursOpen, bearer);
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
    results.scaleMillion = million;
  }
  table('do the open cases still answer? GET /v1/complaints/:id as a supervisor, at random', [
    results.scaleAnswers as Record<string, unknown>,
  ]);
}

/** Reads `--scale-answer` of the open cases (all, by default) through the API, in random order; counts Running ones in visibility too. */
async function answers(world: World, ids: string[], bearer: { headers: Record<string, string> }) {
  const n = flags['scale-answer'] === 'all' ? ids.length : Math.min(ids.length, Number(flags['scale-answer']));
  const sample = [...ids];
  for (let i = sample.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [sample[i], sample[j]] = [sample[j], sample[i]];
  }
  sample.length = n;
  const ms: number[] = [];
  const failures = new Map<string, number>();
  const t0 = Date.now();
  const r = await around(world, { worker: 'worker', cores: CORES }, async () => {
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
 * The wake-up storm (docs/benchmarks.md): `--storm` cases whose first response falls due in the same minute, as
 * off-hours cases all come due 1 h after service resumes on a Monday. They are opened asleep, then
 * wake together; the figures are how long until every one's breach was recorded (target: the last
 * within 10 minutes), the worker's queue (workflow task schedule-to-start) and the replay cost
 * (sticky cache misses) while it drains.
 */
async function storm(world: World, results: Record<string, unknown>) {
  const n = Number(flags.storm);
  const db = await openStore(world.mongoUri);
  const tag = 'w';
  const sleepers = (due: number) =>
    ours(world, () => ({ ...SCALE_POLICY, firstResponse: `PT${Math.max(1, Math.ceil((due - Date.now()) / 1000))}S` }));
  try {
    // The opening rate, measured on a first tenth, sets the minute everyone falls due: after the last opens.
    const probe = Array.from({ length: Math.max(10, Math.ceil(n / 10)) }, () => nextCase(tag));
    const t0 = Date.now();
    await inParallel(probe, 16, (c) => sleepers(Date.now() + 30 * 86_400_000).open(c, newStats()));
    const perS = probe.length / ((Date.now() - t0) / 1000);
    const dueAt = Math.ceil((Date.now() + (n / perS) * 1.5 * 1000 + 60_000) / 60_000) * 60_000;
    const batch = Array.from({ length: n }, () => nextCase(tag));
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
    const reading = await around(world, { worker: 'worker', cores: CORES }, async () => {
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
    results.storm = row;
  } finally {
    await db.connection.close();
  }
}

function fileMb(file: string): number {
  try {
    return round(statSync(file).size / 2 ** 20);
  } catch {
    return 0;
  }
}

async function inParallel<T>(items: T[], width: number, each: (item: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (i < items.length) await each(items[i++]);
    }),
  );
}

async function waitFor(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits until the worker has no task in hand, so one measurement's tail does not load the next. */
async function quiesce(world: World): Promise<void> {
  const busy = async () => {
    const m = await scrape(world.metricsUrl.get('worker')!);
    return (m.get('temporal_worker_task_slots_used') ?? 0) > 0;
  };
  const end = Date.now() + 60_000;
  while ((await busy()) && Date.now() < end) await new Promise((r) => setTimeout(r, 500));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
