import { cpuSeconds, machineCpuSeconds, meanBetween, percentile, round, scrape } from './measure';
import type { World } from '../stack/world';

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
    wftScheduleToStart: number;
    wftExecution: number;
    activityScheduleToStart: number;
    activityExecution: number;
    rpc: number;
    /** Workflow tasks for a case not in the sticky cache (history replayed), workflow tasks failed, activity attempts failed. */
    stickyMisses: number;
    wftFailed: number;
    activitiesFailed: number;
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
export async function around(
  world: World,
  opts: { worker: string; cores: number },
  run: () => Promise<number>,
): Promise<Reading> {
  const before = await snapshot(world, opts.worker);
  const done = await run();
  return reading(before, await snapshot(world, opts.worker), done, opts.cores);
}

export interface ClosedLoopResult extends Reading {
  concurrency: number;
  /** Lifecycles that closed within the window. */
  closedInWindow: number;
  failed: number;
  /** Concurrency / mean latency (Little's law); see closedLoop. */
  perSecond: number;
  latencyMs: { mean: number; p50: number; p99: number };
  firstError?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A bound raced against the event it waits for; unref'd, so it never keeps the process alive after. */
const atMost = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Keeps `concurrency` lifecycles in flight. The window opens once the first `concurrency` have
 * closed (a full generation, so it sees the steady state however long a lifecycle takes) and
 * lasts `windowS`, or longer until another full generation closed in it (at most `maxS` in all).
 * Lanes that start together close in bursts, so counting closes in a fixed window is lumpy when
 * a lifecycle takes about as long as the window; with every lane always busy, Little's law gives
 * the rate from the mean latency instead. Then no new lifecycles start and those in flight
 * finish, so runs never overlap.
 */
export async function closedLoop(
  world: World,
  opts: { worker: string; concurrency: number; windowS: number; maxS: number; cores: number },
  lifecycle: () => Promise<void>,
): Promise<ClosedLoopResult> {
  const t0 = Date.now();
  let windowStart = Infinity;
  let closing = false;
  let closed = 0;
  let failed = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  let generation = () => undefined as void;
  const firstGeneration = new Promise<void>((resolve) => (generation = resolve));
  let windowGeneration = () => undefined as void;
  const fullWindow = new Promise<void>((resolve) => (windowGeneration = resolve));

  const lane = async () => {
    while (!closing) {
      const started = Date.now();
      try {
        await lifecycle();
        const ended = Date.now();
        if (++closed === opts.concurrency) generation();
        if (ended >= windowStart && !closing) {
          latencies.push(ended - started);
          if (latencies.length === opts.concurrency) windowGeneration();
        }
      } catch (err) {
        failed++;
        firstError ??= (err as Error).message;
        // A lane that fails at once must not spin.
        await sleep(1000);
      }
    }
  };
  const lanes = Promise.all(Array.from({ length: opts.concurrency }, lane));
  await Promise.race([firstGeneration, atMost(opts.maxS * 1000)]);
  const before = await snapshot(world, opts.worker);
  windowStart = before.at;
  const left = Math.max(opts.windowS, opts.maxS - (windowStart - t0) / 1000);
  await Promise.race([Promise.all([sleep(opts.windowS * 1000), fullWindow]), atMost(left * 1000)]);
  closing = true;
  const after = await snapshot(world, opts.worker);
  await lanes;
  const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
  const perSecond = opts.concurrency / (mean / 1000);
  const r = reading(before, after, perSecond * ((after.at - before.at) / 1000), opts.cores);
  return {
    concurrency: opts.concurrency,
    closedInWindow: latencies.length,
    failed,
    perSecond: round(perSecond, 2),
    latencyMs: { mean: round(mean, 0), p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
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
    cases.push(
      (async () => {
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
      })(),
    );
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
