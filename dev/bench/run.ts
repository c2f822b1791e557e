import { statSync } from 'node:fs';
import { cpus } from 'node:os';
import type { SlaPolicy } from '../../shared/policy';
import type { World } from '../stack/world';
import type { FloorPlan } from './floorWorkflow';
import { type BenchCase, type Desk, bareDesk, benchCase, workflowInput } from './lifecycle';
import { round, scrape } from './measure';

/** One bench run on one stack: what every section (throughput.ts, apiOverhead.ts, scale.ts) shares. */
export interface Bench {
  world: World;
  cores: number;
  /** What the sections measured, written to bench-results/ at the end. */
  results: Record<string, unknown>;
  /** A fresh case, its id unique in the run; `tag` says which section opened it. */
  nextCase(tag: string): BenchCase;
  /** Our workflow through a bare client; `policy`, asked as each case opens, replaces the bench's own. */
  ours(policy?: () => SlaPolicy): Desk;
  floor(plan: FloorPlan): Desk;
}

export function openBench(world: World, run: string, results: Record<string, unknown>): Bench {
  let seq = 0;
  return {
    world,
    cores: cpus().length,
    results,
    nextCase: (tag) => benchCase(`${run}${tag}`, seq++),
    ours: (policy) =>
      bareDesk(world.client, {
        workflowType: 'complaintWorkflow',
        taskQueue: world.taskQueue,
        input: (c) => (policy ? { ...workflowInput(c), policy: policy() } : workflowInput(c)),
      }),
    floor: (plan) =>
      bareDesk(world.client, { workflowType: 'floorWorkflow', taskQueue: world.floorTaskQueue!, input: () => plan }),
  };
}

export function fileMb(file: string): number {
  try {
    return round(statSync(file).size / 2 ** 20);
  } catch {
    return 0;
  }
}

export async function inParallel<T>(items: T[], width: number, each: (item: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (i < items.length) await each(items[i++]);
    }),
  );
}

export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits until the worker has no task in hand, so one measurement's tail does not load the next. */
export async function quiesce(world: World): Promise<void> {
  const busy = async () => {
    const m = await scrape(world.metricsUrl.get('worker')!);
    return (m.get('temporal_worker_task_slots_used') ?? 0) > 0;
  };
  const end = Date.now() + 60_000;
  while ((await busy()) && Date.now() < end) await new Promise((r) => setTimeout(r, 500));
}
