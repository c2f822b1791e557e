import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import execa from 'execa';
import waitPort from 'wait-port';
import { bundleComplaintWorkflows } from '../../workers/bundle';
import {
  type Child,
  freePort,
  mongoWireMemoryMb,
  startMongoWire,
  startNode,
  startTemporal,
  sandboxEnv,
  stopAll,
} from './processes';
import { ROOT } from '../paths';

/**
 * The stack a bench or reliability run drives: the Temporal dev server (SQLite with WAL, as
 * `npm start`), the MongoDB-wire server on an H2 file, the provider sandbox, the real worker
 * process (`workers/main.ts`) and, on demand, the API and the floor worker. Everything listens on
 * free loopback ports and keeps its data in a temp dir, so a developer's `npm start` is untouched.
 */

/**
 * Windows short enough that a case goes from intake to close in seconds: the satisfaction callback
 * goes out 1 s after the customer accepts, then the customer rates. Nothing waits out the
 * objection window (the customer accepts at once) or the answer window (the rating comes at once),
 * so they are long enough that a loaded machine cannot make the customer late: at PT1S the
 * acceptance raced the window under load and lost (409 wrong_stage). The calendar is open around
 * the clock, so the figures do not depend on the hour the bench runs at (off hours add a message);
 * the group rule's threshold is out of reach, because the bench's cases share merchants and
 * products and a flagged group would signal every open case.
 */
export const BENCH_POLICY = {
  version: 'bench',
  calendar: {
    timeZone: 'UTC',
    serviceHours: { start: '00:00', end: '23:59' },
    workingWeekdays: [1, 2, 3, 4, 5, 6, 7],
    holidays: [],
    makeUpWorkdays: [],
  },
  objectionWindow: 'PT60S',
  satisfaction: { callbackAfter: { high: 'PT1S', medium: 'PT1S', low: 'PT1S' }, answerWithin: 'PT60S' },
  groupRule: { threshold: 1_000_000, window: 'PT1H' },
};

export interface World {
  dir: string;
  /** The workflow bundle every worker of this stack runs. */
  bundlePath: string;
  client: Client;
  taskQueue: string;
  sandboxUrl: string;
  mongoUri: string;
  /** What our processes are started with. */
  env: Record<string, string>;
  procs: Map<string, Child>;
  /** Prometheus endpoint per worker, for the SDK's metrics. */
  metricsUrl: Map<string, string>;
  apiUrl?: string;
  floorTaskQueue?: string;
  /**
   * Starts the worker process (again, after a kill), on the same metrics port; or, given a name,
   * another worker beside it with its own metrics port and extra environment.
   */
  startWorker(extra?: { name: string; env: Record<string, string> }): Promise<Child>;
  /**
   * Stops a server (the MongoDB-wire server or the Temporal dev server), by SIGTERM or, `hard`, by
   * SIGKILL, runs `whileDown` and waits out `downMs`, then starts it again on the same port and
   * data file; answers what `whileDown` found.
   */
  outage<T>(server: 'mongo' | 'temporal', downMs: number, whileDown: () => Promise<T>, hard?: boolean): Promise<T>;
  close(): Promise<void>;
}

export interface WorldOptions {
  api?: boolean;
  floor?: boolean;
  /** Where the worker and API processes write V8 CPU profiles (one per thread, at exit); none without it. */
  cpuProfileDir?: string;
  /** Where each process's log goes (`<name>.log`: the workers' with the SDK's warnings, Temporal's, the MongoDB stand-in's); nowhere without it. */
  logDir?: string;
  /** How many cases the store will hold at most: sizes the MongoDB-wire server's memory (`mongoWireMemoryMb`). */
  cases?: number;
  /** What the API's intake puts in each case (COMPLAINT_POLICY_FILE); BENCH_POLICY without it. */
  policy?: object;
  /** Added to the worker process's environment only (scripts/bench-memory.ts: a small cache, the inspector). */
  workerEnv?: Record<string, string>;
}

/**
 * `startNode` with `--cpu-prof`, which Node refuses in NODE_OPTIONS. The profile covers the
 * workflow thread too, and is written when the worker exits on SIGTERM.
 */
async function startProfiled(
  entry: string,
  opts: { name: string; port: number; env: Record<string, string>; dir: string },
): Promise<Child> {
  const child = execa(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${opts.dir}`, '--import', 'tsx', path.join(ROOT, entry)],
    {
      cwd: ROOT,
      env: opts.env,
      stdio: 'ignore',
      cleanup: true,
      reject: false,
    },
  );
  const { open } = await waitPort({ host: '127.0.0.1', port: opts.port, timeout: 60_000, output: 'silent' });
  if (!open) throw new Error(`${opts.name} did not listen on ${opts.port}`);
  return { name: opts.name, process: child };
}

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const dir = mkdtempSync(path.join(tmpdir(), 'complaint-bench-'));
  const policyFile = path.join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(opts.policy ?? BENCH_POLICY));
  const [temporalPort, mongoPort, sandboxPort, apiPort, workerMetrics, floorMetrics] = await Promise.all(
    Array.from({ length: 6 }, freePort),
  );
  const procs = new Map<string, Child>();
  const metricsUrl = new Map<string, string>();
  const taskQueue = 'bench-complaints';
  const mongoUri = `mongodb://127.0.0.1:${mongoPort}/complaints`;
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const mongoFile = path.join(dir, 'mongo.mv');
  const temporalFile = path.join(dir, 'temporal.db');
  const memoryMb = mongoWireMemoryMb(opts.cases ?? 0);
  const logFile = (name: string) => opts.logDir && path.join(opts.logDir, `${name.replace(/\W+/g, '-')}.log`);
  const startServer = {
    temporal: () => startTemporal({ port: temporalPort, dbFile: temporalFile, logFile: logFile('temporal') }),
    mongo: () => startMongoWire({ port: mongoPort, file: mongoFile, memoryMb, logFile: logFile('mongo') }),
  };

  // Bundled once: every worker start (and restart) then skips the few seconds of bundling.
  const [temporal, mongo, sandbox, bundle] = await Promise.all([
    startServer.temporal(),
    startServer.mongo(),
    startNode('dev/bench/sandbox.ts', {
      name: 'sandbox',
      port: sandboxPort,
      env: { SANDBOX_PORT: String(sandboxPort) },
    }),
    bundleComplaintWorkflows(quiet),
  ]);
  procs.set('temporal', temporal).set('mongo', mongo).set('sandbox', sandbox);
  const bundlePath = path.join(dir, 'workflows.js');
  writeFileSync(bundlePath, bundle);

  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    DATA_DIR: dir,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_TASK_QUEUE: taskQueue,
    MONGODB_URI: mongoUri,
    ...sandboxEnv(sandboxUrl),
    COMPLAINT_POLICY_FILE: policyFile,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    API_PORT: String(apiPort),
    JWT_SECRET: 'bench-only-secret-0123456789',
    // One machine, loopback only: the dev carrier secret the bench sandbox signs with is accepted.
    COMPLAINT_DEV_MODE: '1',
    // The bench is one caller from one address sending thousands of requests a minute, the fuzz
    // among them thousands of bad tokens; the limits are not under test here (test/api/rateLimit.test.ts).
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    API_RATE_LIMIT_PER_ADDRESS: '1000000',
    API_AUTH_FAILURES_PER_ADDRESS: '1000000',
    API_READYZ_PER_ADDRESS: '1000000',
    API_DEV_TOKENS_PER_ADDRESS: '1000000',
    // A case the SDK leaves stuck is mended within seconds, inside a run's minutes.
    CASE_DOCTOR_EVERY_S: '5',
  };
  const launch = (entry: string, o: { name: string; port: number; env: Record<string, string>; logFile?: string }) =>
    opts.cpuProfileDir ? startProfiled(entry, { ...o, dir: opts.cpuProfileDir }) : startNode(entry, o);

  const startWorker = async (extra?: { name: string; env: Record<string, string> }) => {
    const port = extra ? await freePort() : workerMetrics;
    const name = extra?.name ?? 'worker';
    const worker = await launch('workers/main.ts', {
      name,
      port,
      env: { ...env, ...(extra ? extra.env : opts.workerEnv), WORKER_METRICS_PORT: String(port) },
      logFile: logFile(name),
    });
    procs.set(name, worker);
    return worker;
  };
  metricsUrl.set('worker', `http://127.0.0.1:${workerMetrics}/metrics`);

  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  const client = new Client({ connection });
  const world: World = {
    dir,
    bundlePath,
    client,
    taskQueue,
    sandboxUrl,
    mongoUri,
    env,
    procs,
    metricsUrl,
    startWorker,
    async outage(server, downMs, whileDown, hard = false) {
      const running = procs.get(server)!;
      if (hard) {
        running.process.kill('SIGKILL');
        await running.process;
      } else await stopAll([running]);
      const [found] = await Promise.all([whileDown(), new Promise((r) => setTimeout(r, downMs))]);
      procs.set(server, await startServer[server]());
      return found;
    },
    async close() {
      await connection.close();
      await stopAll([...procs.values()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await startWorker();
    if (opts.api) {
      procs.set('api', await launch('api/main.ts', { name: 'api', port: apiPort, env }));
      world.apiUrl = `http://127.0.0.1:${apiPort}`;
    }
    if (opts.floor) {
      world.floorTaskQueue = 'bench-floor';
      procs.set(
        'floor',
        await launch('dev/bench/floorWorker.ts', {
          name: 'floor worker',
          port: floorMetrics,
          env: { ...env, TEMPORAL_TASK_QUEUE: world.floorTaskQueue, WORKER_METRICS_PORT: String(floorMetrics) },
        }),
      );
      metricsUrl.set('floor', `http://127.0.0.1:${floorMetrics}/metrics`);
    }
  } catch (err) {
    await world.close();
    throw err;
  }
  return world;
}

const noop = () => undefined;
const quiet = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
