import { cpuSeconds, machineCpuSeconds, meanBetween, percentile, round, scrape } from './measure';
import type { World } from './stack';

/**
 * Load shapes and what is read around them. Closed loop: `concurrency` cases in flight, each
 * replaced when it closes (throughput). Open loop: cases arrive at a fixed rate whatever happens
 * to earlier ones (a day's peak hour).
 */

/** CPU seconds per process and the SDK's metrics of one worker, at one instant. */
interface Snapshot {
  at: number;
  cpu: Record<string, number>;
  metrics: Map<string, number>;
}

async function snapshot(world: World, worker: string): Promise<Snapshot> {
  const cpu: Record<string, number> = {};
  for (const [name, child] of world.procs) if (child.process.pid) cpu[name] = cpuSeconds(child.process.pid);
  const self = process.cpuUsage();
  cpu.driver = (self.user + self.system) / 1e6;
  cpu.machine = machineCpuSeconds();
  return { at: Date.now(), cpu, metrics: await scrape(world.metricsUrl.get(worker)!) };
}

export interface Reading {
  seconds: number;
  /** CPU milliseconds per completed lifecycle, per process. */
  cpuMsPerCase: Record<string, number>;
  /** Share of the machine's cores our processes kept busy over the window. */
  cpuBusy: number;
  /** Share of the machine's cores other people's processes kept busy (this machine is shared). */
  othersBusy: number;
  /** From the worker's SDK metrics over the window: means in ms, and counts. */
  sdk: {
    wftScheduleToStart: number; wftExecution: number; activityScheduleToStart: number; activityExecution: number; rpc: number;
    /** Workflow tasks for a case not in the sticky cache (history replayed), workflow tasks failed, activity attempts failed. */
    stickyMisses: number; wftFailed: number; activitiesFailed: number;
  };
}

function reading(before: Snapshot, after: Snapshot, completed: number, cores: number): Reading {
  const seconds = (after.at - before.at) / 1000;
  const cpuMsPerCase: Record<string, number> = {};
  const used = (name: string) => after.cpu[name] - (before.cpu[name] ?? after.cpu[name]);
  let total = 0;
  for (const name of Object.keys(after.cpu)) {
    if (name === 'machine') continue;
    total += used(name);
    cpuMsPerCase[name] = round((used(name) * 1000) / Math.max(1, completed), 0);
  }
  cpuMsPerCase.total = round((total * 1000) / Math.max(1, completed), 0);
  const mean = (h: string) => round(meanBetween(before.metrics, after.metrics, h));
  const count = (c: string) => (after.metrics.get(c) ?? 0) - (before.metrics.get(c) ?? 0);
  return {
    seconds,
    cpuMsPerCase,
    cpuBusy: round(total / seconds / cores, 2),
    othersBusy: round(Math.max(0, used('machine') - total) / seconds / cores, 2),
    sdk: {
      wftScheduleToStart: mean('temporal_workflow_task_schedule_to_start_latency'),
      wftExecution: mean('temporal_workflow_task_execution_latency'),
      activityScheduleToStart: mean('temporal_activity_schedule_to_start_latency'),
      activityExecution: mean('temporal_activity_execution_latency'),
      rpc: mean('temporal_request_latency'),
      stickyMisses: count('temporal_sticky_cache_miss'),
      wftFailed: count('temporal_workflow_task_execution_failed'),
      activitiesFailed: count('temporal_activity_execution_failed'),
    },
  };
}

/** Reads CPU and SDK metrics around `run`, which returns how many units of work it did. */
export async function around(world: World, opts: { worker: string; cores: number }, run: () => Promise<number>): Promise<Reading> {
  const before = await snapshot(world, opts.worker);
  const done = await run();
  return reading(before, await snapshot(world, opts.worker), done, opts.cores);
}

export interface ClosedLoopResult extends Reading {
  concurrency: number;
  completed: number;
  failed: number;
  perSecond: number;
  latencyMs: { p50: number; p99: number };
  firstError?: string;
}

/**
 * Keeps `concurrency` lifecycles in flight. The window opens once the first `concurrency` have
 * closed (a full generation, so it sees the steady state however long a lifecycle takes, up to
 * `warmupMaxS`), counts the lifecycles that close within `windowS`, then no new ones start and
 * those in flight finish, so runs never overlap.
 */
export async function closedLoop(
  world: World,
  opts: { worker: string; concurrency: number; warmupMaxS: number; windowS: number; cores: number },
  lifecycle: () => Promise<void>,
): Promise<ClosedLoopResult> {
  let windowStart = Infinity;
  let windowEnd = Infinity;
  let closed = 0;
  let failed = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  let openWindow = () => undefined as void;
  const warm = new Promise<void>((resolve) => (openWindow = resolve));

  const lane = async () => {
    while (Date.now() < windowEnd) {
      const started = Date.now();
      try {
        await lifecycle();
        const ended = Date.now();
        if (ended >= windowStart && ended < windowEnd) latencies.push(ended - started);
        if (++closed === opts.concurrency) openWindow();
      } catch (err) {
        failed++;
        firstError ??= (err as Error).message;
        // A lane that fails at once must not spin.
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  const lanes = Promise.all(Array.from({ length: opts.concurrency }, lane));
  let cap: NodeJS.Timeout | undefined;
  await Promise.race([warm, new Promise((r) => (cap = setTimeout(r, opts.warmupMaxS * 1000)))]);
  clearTimeout(cap);
  const before = await snapshot(world, opts.worker);
  windowStart = before.at;
  windowEnd = windowStart + opts.windowS * 1000;
  await new Promise((r) => setTimeout(r, opts.windowS * 1000));
  const after = await snapshot(world, opts.worker);
  await lanes;
  const r = reading(before, after, latencies.length, opts.cores);
  return {
    concurrency: opts.concurrency,
    completed: latencies.length,
    failed,
    perSecond: round(latencies.length / r.seconds, 1),
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    ...r,
    ...(firstError ? { firstError } : {}),
  };
}

export interface OpenLoopResult extends Reading {
  arrivals: number;
  completed: number;
  failed: number;
  /** From the request to the opened case's view, as the customer waits for it. */
  openLatencyMs: { p50: number; p99: number; max: number };
  lifecycleMs: { p50: number; p99: number };
  /** How long after the last arrival the last case closed. */
  drainS: number;
  firstError?: string;
}

/** Cases arrive every `1 / ratePerS` seconds for `seconds`; each is opened, then driven to its close. */
export async function openLoop(
  world: World,
  opts: { worker: string; ratePerS: number; seconds: number; cores: number },
  open: (n: number) => Promise<void>,
  finish: (n: number) => Promise<void>,
): Promise<OpenLoopResult> {
  const arrivals = Math.round(opts.ratePerS * opts.seconds);
  const openMs: number[] = [];
  const lifecycleMs: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const before = await snapshot(world, opts.worker);
  const t0 = Date.now();
  const cases: Array<Promise<void>> = [];
  for (let n = 0; n < arrivals; n++) {
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + (n * 1000) / opts.ratePerS - Date.now())));
    cases.push((async () => {
      const started = Date.now();
      try {
        await open(n);
        openMs.push(Date.now() - started);
        await finish(n);
        lifecycleMs.push(Date.now() - started);
      } catch (err) {
        failed++;
        firstError ??= (err as Error).message;
      }
    })());
  }
  const lastArrival = Date.now();
  await Promise.all(cases);
  const after = await snapshot(world, opts.worker);
  return {
    arrivals,
    completed: lifecycleMs.length,
    failed,
    openLatencyMs: { p50: percentile(openMs, 50), p99: percentile(openMs, 99), max: Math.max(...openMs) },
    lifecycleMs: { p50: percentile(lifecycleMs, 50), p99: percentile(lifecycleMs, 99) },
    drainS: round((Date.now() - lastArrival) / 1000),
    ...reading(before, after, lifecycleMs.length, opts.cores),
    ...(firstError ? { firstError } : {}),
  };
}
