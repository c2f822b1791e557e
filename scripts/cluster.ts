import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../config';
import {
  type Cluster,
  defaultPorts,
  portList,
  postgresCannotReach,
  startCluster,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_UI_VERSION,
} from '../dev/stack/cluster';
import { assertPortFree } from '../dev/stack/processes';

/**
 * `npm run cluster`: the production shape on this machine, in the foreground (dev/stack/cluster.ts):
 * PostgreSQL, Temporal's four services as separate processes, its Web UI, the MongoDB-wire server,
 * the provider sandbox, two workers and two API processes behind one address. Data lives under
 * CLUSTER_DATA_DIR (.data/cluster), so a second start finds every case. Ctrl-C stops it all.
 */
const log = pino({ name: 'cluster' });

function portOf(address: string, fallback: number): number {
  const port = Number(new URL(address.includes('://') ? address : `tcp://${address}`).port);
  return Number.isInteger(port) && port > 0 ? port : fallback;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const config = loadConfig();
  const ports = defaultPorts({
    temporal: portOf(config.TEMPORAL_ADDRESS, 7233),
    api: config.API_PORT,
    ui: config.TEMPORAL_UI_PORT,
    mongo: portOf(config.MONGODB_URI, 27017),
    sandbox: config.SANDBOX_PORT,
    workerMetrics: config.WORKER_METRICS_PORT,
    postgres: Number(process.env.CLUSTER_POSTGRES_PORT ?? 5433),
  });
  const dataDir = path.resolve(process.env.CLUSTER_DATA_DIR ?? path.join(config.DATA_DIR, 'cluster'));
  // Refused before anything starts, in one line a person reads (not a log record).
  const unreachable = postgresCannotReach(dataDir);
  if (unreachable) {
    process.stderr.write(`cluster: ${unreachable}\n`);
    process.exit(1);
  }
  for (const [port, variable] of portList(ports)) await assertPortFree(port, variable);

  let cluster: Cluster | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const t = Date.now();
    log.info(`stopping the cluster; what its services say while stopping goes to ${path.join(dataDir, 'logs')}`);
    await cluster?.close();
    log.info({ seconds: Math.round((Date.now() - t) / 100) / 10 }, 'stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    cluster = await startCluster({
      dataDir,
      ports,
      workers: 2,
      output: 'terminal',
      ui: true,
      temporalLogLevel: process.env.CLUSTER_TEMPORAL_LOG_LEVEL ?? 'warn',
    });
  } catch (err) {
    log.error({ err: (err as Error).message }, 'the cluster did not start');
    await stop(1);
    return;
  }
  for (const [name, child] of cluster.procs) {
    child.process.then(
      (r) => {
        if (!stopping) {
          log.error(
            { service: name, exitCode: r.exitCode, signal: r.signal },
            'a process of the cluster stopped unexpectedly; stopping the rest',
          );
          void stop(1);
        }
      },
      () => undefined,
    );
  }
  log.info(
    {
      api: cluster.apiUrl,
      apiProcesses: ports.apiProcesses.map((p) => `http://127.0.0.1:${p}`),
      temporalWebUi: `http://localhost:${ports.ui}`,
      temporal: cluster.temporalAddress,
      temporalServices: Object.fromEntries(
        Object.entries(ports.temporal).map(([s, p]) => [
          s,
          { grpc: p.grpc, metrics: `http://127.0.0.1:${p.metrics}/metrics` },
        ]),
      ),
      postgres: `127.0.0.1:${ports.postgres} (user temporal, password in ${path.join(dataDir, 'postgres-password')})`,
      mongodb: cluster.mongoUri,
      providerSandbox: cluster.sandboxUrl,
      workerMetrics: ports.workerMetrics.map((p) => `http://127.0.0.1:${p}/metrics`),
      versions: { temporalServer: TEMPORAL_SERVER_VERSION, temporalUi: TEMPORAL_UI_VERSION },
      data: dataDir,
      startSeconds: Math.round((Date.now() - t0) / 100) / 10,
    },
    'cluster is up; Ctrl-C stops it. Try: npm run token -- --role customer --sub c-1',
  );
}

main().catch((err: unknown) => {
  log.error({ err: (err as Error).message }, 'the cluster did not start');
  process.exit(1);
});
