import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../config';
import { assertPortFree, type Child, startMongoWire, startNode, startTemporal, stopAll } from '../dev/stack/processes';

/**
 * `npm start`: the whole stack on one machine with embedded defaults, in the foreground. Data
 * lives under DATA_DIR, so a second start finds every case the first one had. Ctrl-C stops it all.
 */
const log = pino({ name: 'stack' });

function portOf(address: string, fallback: number): number {
  const port = Number(new URL(address.includes('://') ? address : `tcp://${address}`).port);
  return Number.isInteger(port) && port > 0 ? port : fallback;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const dataDir = path.resolve(config.DATA_DIR);
  const temporalPort = portOf(config.TEMPORAL_ADDRESS, 7233);
  const mongoPort = portOf(config.MONGODB_URI, 27017);

  const ports: Array<[number, string]> = [
    [temporalPort, 'TEMPORAL_ADDRESS'],
    [config.TEMPORAL_UI_PORT, 'TEMPORAL_UI_PORT'],
    [mongoPort, 'MONGODB_URI'],
    [config.SANDBOX_PORT, 'SANDBOX_PORT'],
    [config.WORKER_METRICS_PORT, 'WORKER_METRICS_PORT'],
    [config.API_PORT, 'API_PORT'],
  ];
  for (const [port, variable] of ports) await assertPortFree(port, variable);

  const children: Child[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping the stack');
    await stopAll(children);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  // npm start is a developer's machine: the dev secrets and sign-in, the API on loopback.
  const env = { ...process.env, COMPLAINT_DEV_MODE: '1' } as Record<string, string>;
  const launch = async (pending: Promise<Child>) => {
    const child = await pending;
    children.push(child);
    child.process.then(
      (r) => {
        if (!stopping) {
          log.error(
            { service: child.name, exitCode: r.exitCode, signal: r.signal },
            'a service stopped unexpectedly; stopping the rest',
          );
          void stop(1);
        }
      },
      () => undefined,
    );
  };

  try {
    await Promise.all([
      launch(
        startTemporal({
          port: temporalPort,
          uiPort: config.TEMPORAL_UI_PORT,
          dbFile: path.join(dataDir, 'temporal.db'),
          stdio: 'inherit',
        }),
      ),
      launch(startMongoWire({ port: mongoPort, file: path.join(dataDir, 'mongo.mv'), stdio: 'inherit' })),
      launch(
        startNode('sandbox/main.ts', {
          name: 'provider sandbox',
          port: config.SANDBOX_PORT,
          env: { ...env, SANDBOX_DATA_FILE: config.SANDBOX_DATA_FILE ?? path.join(dataDir, 'sandbox.json') },
          stdio: 'inherit',
        }),
      ),
    ]);
    await launch(
      startNode('workers/main.ts', { name: 'worker', port: config.WORKER_METRICS_PORT, env, stdio: 'inherit' }),
    );
    await launch(startNode('api/main.ts', { name: 'API', port: config.API_PORT, env, stdio: 'inherit' }));
  } catch (err) {
    log.error({ err: (err as Error).message }, 'the stack did not start');
    await stop(1);
    return;
  }

  const api = `http://localhost:${config.API_PORT}`;
  const where = {
    console: `${api}/console`,
    api,
    apiDocs: `${api}/docs`,
    temporalWebUi: `http://localhost:${config.TEMPORAL_UI_PORT}`,
    temporal: `127.0.0.1:${temporalPort}`,
    mongodb: config.MONGODB_URI,
    providerSandbox: `http://localhost:${config.SANDBOX_PORT}`,
    workerMetrics: `http://localhost:${config.WORKER_METRICS_PORT}/metrics`,
    data: dataDir,
  };
  // A person at a terminal reads lines; a file or a pipe keeps the JSON log line.
  if (!process.stdout.isTTY) {
    log.info(where, 'stack is up; Ctrl-C stops it. Try: npm run demo, then open the console');
    return;
  }
  const rows = (pairs: Array<[string, string]>) => pairs.map(([a, b]) => `  ${a.padEnd(48)}${b}`).join('\n');
  console.log(`
The complaint platform is up. Ctrl-C stops it.

${rows([
  ['console (agents, supervisors, ops)', where.console],
  ['API', `${where.api}   (contract: ${where.apiDocs})`],
  ['Temporal Web UI', where.temporalWebUi],
  ['Temporal frontend (gRPC)', where.temporal],
  ['MongoDB-wire server', where.mongodb],
  ['provider sandbox', where.providerSandbox],
  ['worker metrics', where.workerMetrics],
  ['data', where.data],
])}

Try next:
${rows([
  ['npm run demo', 'a realistic day of cases through the API (in another terminal)'],
  [`open ${where.console}`, 'sign in as agent-7, sup-1 (supervisor) or ops-1 (ops_manager)'],
  ['npm run -s token -- --role agent --sub agent-7', 'a bearer token for curl (README, "For an agent")'],
])}
`);
}

main().catch((err: unknown) => {
  log.error({ err: (err as Error).message }, 'the stack did not start');
  process.exit(1);
});
