import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleComplaintWorkflows } from '../../workers/bundle';
import { type Cluster, type ClusterPorts, startCluster, TEMPORAL_SERVICES, type TemporalService } from './cluster';
import { freePort } from './processes';
import { BENCH_POLICY, type World } from './world';

/**
 * The cluster of `npm run cluster` (dev/stack/cluster.ts) as a bench/reliability World: on free
 * loopback ports, with its data in a temp dir, the bench's policy and in-memory sandbox, and the
 * workflow bundle built once. Its processes are all in `procs` (postgres, temporal-<service>,
 * mongo, sandbox, worker-<n>, api-<n>), so CPU per lifecycle comes out per process.
 */

export interface ClusterWorld extends World {
  cluster: Cluster;
}

/**
 * A free port below 32768: Temporal's SQL schema keeps membership ports in a smallint, and the
 * kernel's ephemeral ports (what `freePort` gets) lie above it.
 */
async function freeMembershipPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
        .once('error', () => resolve(false))
        .listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

async function freePorts(workers: number): Promise<ClusterPorts> {
  const temporal = {} as ClusterPorts['temporal'];
  for (const s of TEMPORAL_SERVICES as readonly TemporalService[])
    temporal[s] = { grpc: await freePort(), membership: await freeMembershipPort(), metrics: await freePort() };
  return {
    postgres: await freePort(),
    temporal,
    frontendHttp: await freePort(),
    ui: await freePort(),
    mongo: await freePort(),
    sandbox: await freePort(),
    api: await freePort(),
    apiProcesses: [await freePort(), await freePort()],
    workerMetrics: await Promise.all(Array.from({ length: workers }, freePort)),
  };
}

/** `policy`: what the API's intake puts in each case (COMPLAINT_POLICY_FILE); the bench's by default. */
export async function startClusterWorld(opts: { workers: number; policy?: object }): Promise<ClusterWorld> {
  const dir = mkdtempSync(path.join(tmpdir(), 'complaint-cluster-'));
  // PostgreSQL runs as its own user when we are root (dev/stack/cluster.ts): it must reach its data inside.
  chmodSync(dir, 0o755);
  const policyFile = path.join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(opts.policy ?? BENCH_POLICY));
  const bundlePath = path.join(dir, 'workflows.js');
  writeFileSync(bundlePath, await bundleComplaintWorkflows(quiet));
  const taskQueue = 'bench-complaints';
  const ports = await freePorts(opts.workers);
  const env = {
    LOG_LEVEL: 'warn',
    TEMPORAL_TASK_QUEUE: taskQueue,
    COMPLAINT_POLICY_FILE: policyFile,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    JWT_SECRET: 'bench-only-secret-0123456789',
    // One machine, loopback only: the dev carrier secret the bench sandbox signs with is accepted.
    COMPLAINT_DEV_MODE: '1',
    // The bench and the trials are one caller sending thousands of requests a minute.
    API_RATE_LIMIT_PER_MINUTE: '1000000',
  };
  let cluster: Cluster;
  try {
    cluster = await startCluster({
      dataDir: path.join(dir, 'cluster'),
      ports,
      env,
      workers: opts.workers,
      output: 'quiet',
      sandboxEntry: 'dev/bench/sandbox.ts',
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  const client = new Client({ connection, namespace: cluster.env.TEMPORAL_NAMESPACE });
  const metricsUrl = new Map(ports.workerMetrics.map((p, i) => [`worker-${i + 1}`, `http://127.0.0.1:${p}/metrics`]));
  return {
    cluster,
    dir,
    bundlePath,
    client,
    taskQueue,
    sandboxUrl: cluster.sandboxUrl,
    mongoUri: cluster.mongoUri,
    env: cluster.env,
    procs: cluster.procs,
    metricsUrl,
    apiUrl: cluster.apiUrl,
    startWorker: () => cluster.restart('worker-1'),
    async outage(server, downMs, whileDown) {
      // Temporal's state is in its history service: that is the part that goes down here.
      const name = server === 'mongo' ? 'mongo' : 'temporal-history';
      await cluster.kill(name);
      const [found] = await Promise.all([whileDown(), new Promise((r) => setTimeout(r, downMs))]);
      await cluster.restart(name);
      return found;
    },
    async close() {
      await connection.close();
      await cluster.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const noop = () => undefined;
const quiet = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
