import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { bareDesk, benchCase, drive, newStats, putOrder, workflowInput } from '../dev/bench/lifecycle';
import { type ClosedLoopResult, closedLoop } from '../dev/bench/load';
import { round } from '../dev/bench/measure';
import { table, writeResults } from '../dev/bench/report';
import { startWorld, type World } from '../dev/stack/world';
import { startClusterWorld } from '../dev/stack/clusterWorld';

/**
 * Throughput and CPU per lifecycle of our complaint workflow on three shapes, one after the other
 * in one run so they share the machine's mood: the dev server of `npm start` (one process, SQLite),
 * then the cluster of `npm run cluster` (PostgreSQL, four Temporal service processes) with one
 * worker process, then with two. The same closed loop as `npm run bench` (dev/bench/load.ts), through
 * a bare Temporal client; CPU is read per process, so the table says where the cluster's cost goes.
 *
 *   npm run bench:cluster -- [--concurrency 20] [--seconds 45] [--only dev,cluster-1,cluster-2]
 */

const { values: flags } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '45' },
    only: { type: 'string', default: 'dev,cluster-1,cluster-2' },
  },
});
const CORES = cpus().length;
const RUN = Date.now().toString(36);

interface Shape {
  name: string;
  start: () => Promise<World>;
  /** The worker whose SDK metrics the loop reads. */
  worker: string;
}

const SHAPES: Shape[] = [
  { name: 'dev', start: () => startWorld(), worker: 'worker' },
  { name: 'cluster-1', start: () => startClusterWorld({ workers: 1 }), worker: 'worker-1' },
  { name: 'cluster-2', start: () => startClusterWorld({ workers: 2 }), worker: 'worker-1' },
];

/** Processes summed into the columns of the cost table: Temporal's services together, each worker together. */
function group(cpuMsPerCase: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, ms] of Object.entries(cpuMsPerCase)) {
    if (name === 'total') continue;
    const key =
      name === 'temporal'
        ? 'temporal (dev server)'
        : name.startsWith('worker')
          ? 'workers'
          : name.startsWith('api')
            ? 'api'
            : name;
    out[key] = (out[key] ?? 0) + ms;
  }
  out.total = cpuMsPerCase.total;
  return out;
}

/**
 * CPU seconds of PostgreSQL: the postmaster, the children it has reaped, and every live child
 * (one backend per connection, the checkpointer, the WAL writer…). dev/bench/load.ts reads one
 * process per entry of `procs`, which for PostgreSQL is only the postmaster.
 */
function postgresCpuSeconds(postmaster: number): number {
  const stat = (pid: string) => {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text
      .slice(text.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
  };
  const root = stat(String(postmaster));
  let ticks = root[11] + root[12] + root[13] + root[14];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const f = stat(pid);
      if (f[1] === postmaster) ticks += f[11] + f[12];
    } catch {
      // A backend that exited between the listing and the read: its time is in the postmaster's reaped-children total.
    }
  }
  return ticks / 100;
}

/** The shape being measured, for Ctrl-C: the cluster's processes run in groups of their own and would outlive this one. */
let running: World | undefined;

async function measure(shape: Shape): Promise<ClosedLoopResult & { startS: number }> {
  const t0 = Date.now();
  const world = await shape.start();
  running = world;
  const startS = round((Date.now() - t0) / 1000, 1);
  try {
    const desk = bareDesk(world.client, {
      workflowType: 'complaintWorkflow',
      taskQueue: world.taskQueue,
      input: workflowInput,
    });
    let seq = 0;
    const lifecycle = async () => {
      const c = benchCase(`${RUN}${shape.name}`, seq++);
      const stats = newStats();
      await putOrder(world.sandboxUrl, c);
      await desk.open(c, stats);
      await drive(desk, c, stats);
    };
    // Warm-up: the workers' first tasks load the bundle and the server's first calls fill its caches.
    for (let i = 0; i < 3; i++) await lifecycle();
    const concurrency = Number(flags.concurrency);
    const postmaster = world.procs.get('postgres')?.process.pid;
    const pgBefore = postmaster ? postgresCpuSeconds(postmaster) : 0;
    const r = await closedLoop(
      world,
      { worker: shape.worker, concurrency, windowS: Number(flags.seconds), maxS: 300, cores: CORES },
      lifecycle,
    );
    if (postmaster) {
      // Over the whole loop (its window is inside it): the ratio per lifecycle is what matters.
      const pgMs = ((postgresCpuSeconds(postmaster) - pgBefore) * 1000) / Math.max(1, seq - 3);
      r.cpuMsPerCase = {
        ...r.cpuMsPerCase,
        postgres: round(pgMs, 0),
        total: round(r.cpuMsPerCase.total - (r.cpuMsPerCase.postgres ?? 0) + pgMs, 0),
      };
    }
    return { ...r, startS };
  } finally {
    running = undefined;
    await world.close();
  }
}

async function main(): Promise<void> {
  // `on`, not `once`: execa's exit hook may raise the signal again, and that one must not end the process.
  let stopping = false;
  process.on('SIGINT', () => {
    if (stopping) return;
    stopping = true;
    void (running?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  });
  const only = new Set(flags.only.split(','));
  const runs: Array<{ shape: string } & ClosedLoopResult & { startS: number }> = [];
  for (const shape of SHAPES.filter((s) => only.has(s.name))) {
    console.log(`cluster bench: ${shape.name}`);
    runs.push({ shape: shape.name, ...(await measure(shape)) });
  }
  table(
    `throughput: lifecycles per second = concurrency / mean latency (${CORES} cores)`,
    runs.map((r) => ({
      shape: r.shape,
      startS: r.startS,
      concurrency: r.concurrency,
      perSecond: r.perSecond,
      closedInWindow: r.closedInWindow,
      meanMs: r.latencyMs.mean,
      p50ms: r.latencyMs.p50,
      p99ms: r.latencyMs.p99,
      failed: r.failed,
      ourCpuBusy: r.cpuBusy,
      othersCpuBusy: r.othersBusy,
      ...(r.firstError ? { error: r.firstError } : {}),
    })),
  );
  table(
    "CPU milliseconds per lifecycle, by process (temporal-* are the cluster's four services)",
    runs.map((r) => ({ shape: r.shape, ...group(r.cpuMsPerCase) })),
  );
  table(
    "worker-1's SDK metrics over the window, means in ms (wft = workflow task)",
    runs.map((r) => ({ shape: r.shape, ...r.sdk })),
  );
  console.log(
    `\nresults: ${writeResults('cluster-bench', { machine: { cores: CORES, node: process.version }, runs })}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
