import {
  chownSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  type WriteStream,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import path from 'node:path';
import execa, { type ExecaChildProcess } from 'execa';
import { bundleComplaintWorkflows } from '../../workers/bundle';
import { HAPROXY_BIN, haproxyConfig } from './haproxy';
import { type Child, ready, sandboxEnv, startMongoWire } from './processes';
import { ROOT, TEMPORAL_BIN, TOOLS } from '../paths';

/**
 * The production-shaped cluster on one machine, from native binaries: PostgreSQL (Debian's
 * package), the Temporal server built from its Go module with frontend, history, matching and
 * worker as four processes (deploy/temporal/server.yaml), its Web UI server, the MongoDB-wire
 * server, the provider sandbox, N worker processes and N API processes behind HAProxy.
 * Binaries come from scripts/cluster-setup.sh. `npm run cluster` runs it in the
 * foreground; `npm run test:cluster` and the cluster bench drive it and kill parts of it.
 */

export const TEMPORAL_SERVER_VERSION = 'v1.32.0';
export const TEMPORAL_UI_VERSION = 'v2.55.0';
const SERVER_DIR = path.join(TOOLS, `temporal-server-${TEMPORAL_SERVER_VERSION}`);
const SERVER_BIN = path.join(SERVER_DIR, 'temporal-server');
const UI_BIN = path.join(TOOLS, `temporal-ui-${TEMPORAL_UI_VERSION}`, 'temporal-ui-server');
const DEPLOY = path.join(ROOT, 'deploy', 'temporal');
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

/** Every port the cluster listens on (all on 127.0.0.1). */
export interface ClusterPorts {
  postgres: number;
  /** gRPC and membership port of each Temporal service, and its Prometheus endpoint. */
  temporal: Record<TemporalService, { grpc: number; membership: number; metrics: number }>;
  frontendHttp: number;
  ui: number;
  mongo: number;
  sandbox: number;
  /** HAProxy in front of the API processes: the one address clients use. */
  api: number;
  apiProcesses: number[];
  workerMetrics: number[];
}

export interface ClusterOptions {
  /** PostgreSQL's data, its password, the H2 file and the sandbox's records. Kept across starts. */
  dataDir: string;
  ports: ClusterPorts;
  /** Our processes' environment over the defaults here (policy file, bundle, task queue, JWT secret…). */
  env?: Record<string, string>;
  /** Our worker processes; each gets its own metrics port from `ports.workerMetrics`. */
  workers: number;
  /** Where everyone's output goes: the terminal with a name before each Temporal line, or nowhere. */
  output: 'terminal' | 'quiet';
  /** The provider sandbox's entry point; the bench's one answers at once. */
  sandboxEntry?: string;
  /** The Web UI server (not needed by tests). */
  ui?: boolean;
  /** Temporal's own log level. */
  temporalLogLevel?: string;
}

export interface Cluster {
  ports: ClusterPorts;
  temporalAddress: string;
  mongoUri: string;
  sandboxUrl: string;
  apiUrl: string;
  /** What our worker and API processes run with. */
  env: Record<string, string>;
  /** Running processes by name: postgres, temporal-<service>, ui, mongo, sandbox, worker-<n>, api-<n>, balancer. */
  procs: Map<string, Child>;
  /** Starts a process of the cluster again (after a kill), on the same ports and data. */
  restart(name: string): Promise<Child>;
  /** SIGKILLs one process and waits until it is gone. */
  kill(name: string): Promise<void>;
  close(): Promise<void>;
}

/** The settings both shapes of the cluster share (deploy/temporal/cluster.env): plain KEY=value lines. */
export function clusterSettings(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path.join(DEPLOY, 'cluster.env'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** The ports of `npm run cluster`: the ones `npm start` uses for what both have, the others next to them. */
export function defaultPorts(base: {
  temporal: number;
  api: number;
  ui: number;
  mongo: number;
  sandbox: number;
  workerMetrics: number;
  postgres: number;
}): ClusterPorts {
  const t = base.temporal;
  return {
    postgres: base.postgres,
    // The server's own defaults (7233-7239, 6933-6939) shifted with the frontend's port.
    temporal: {
      frontend: { grpc: t, membership: t - 300, metrics: t + 20 },
      history: { grpc: t + 1, membership: t - 299, metrics: t + 21 },
      matching: { grpc: t + 2, membership: t - 298, metrics: t + 22 },
      worker: { grpc: t + 6, membership: t - 294, metrics: t + 26 },
    },
    frontendHttp: t + 10,
    ui: base.ui,
    mongo: base.mongo,
    sandbox: base.sandbox,
    api: base.api,
    apiProcesses: [base.api + 1, base.api + 2],
    workerMetrics: [base.workerMetrics, base.workerMetrics + 1],
  };
}

/** Every port of `ports`, with the variable that moves it: checked free before a start. */
export function portList(ports: ClusterPorts): Array<[number, string]> {
  const temporal = "TEMPORAL_ADDRESS (every Temporal port follows the frontend's)";
  return [
    [ports.postgres, 'CLUSTER_POSTGRES_PORT'],
    ...TEMPORAL_SERVICES.flatMap((s): Array<[number, string]> => [
      [ports.temporal[s].grpc, temporal],
      [ports.temporal[s].membership, temporal],
      [ports.temporal[s].metrics, temporal],
    ]),
    [ports.frontendHttp, temporal],
    [ports.ui, 'TEMPORAL_UI_PORT'],
    [ports.mongo, 'MONGODB_URI'],
    [ports.sandbox, 'SANDBOX_PORT'],
    [ports.api, 'API_PORT'],
    ...ports.apiProcesses.map((p): [number, string] => [
      p,
      'API_PORT (the API processes listen on the next two ports)',
    ]),
    ...ports.workerMetrics.map((p): [number, string] => [
      p,
      'WORKER_METRICS_PORT (the second worker takes the next port)',
    ]),
  ];
}

const isRoot = process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user the Debian package creates. */
function asPostgres(bin: string, args: string[]): [string, string[]] {
  return isRoot
    ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', bin, ...args]]
    : [bin, args];
}

function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  // The newest major version installed.
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const dir = versions.map((v) => path.join(base, v, 'bin')).find((d) => existsSync(path.join(d, 'postgres')));
  if (!dir) throw new Error(`no PostgreSQL server under ${base}; run bash scripts/cluster-setup.sh`);
  return dir;
}

/**
 * As root, PostgreSQL runs as the `postgres` user, who must be able to enter every folder above its
 * data; a repository under a folder only root may enter (root's home, `mktemp -d`: mode 0700) makes
 * initdb fail without saying why. Returns that reason and its fix in one line, or
 * undefined when the user can reach `dataDir` (or its nearest existing folder, before it is made).
 */
export function postgresCannotReach(dataDir: string): string | undefined {
  if (!isRoot || execa.sync('id', ['-u', 'postgres'], { reject: false }).exitCode !== 0) return undefined;
  const enters = (dir: string) =>
    execa.sync('setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', 'test', '-x', dir], {
      reject: false,
    }).exitCode === 0;
  let dir = path.resolve(dataDir);
  while (!existsSync(dir)) dir = path.dirname(dir);
  if (enters(dir)) return undefined;
  const above: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    above.unshift(d);
    if (d === path.dirname(d)) break;
  }
  const blocked = above.find((d) => !enters(d)) ?? dir;
  const mode = (statSync(blocked).mode & 0o777).toString(8).padStart(4, '0');
  return (
    `PostgreSQL runs as the postgres user when started by root, and that user cannot enter ${blocked} (mode ${mode}) to reach ${path.resolve(dataDir)}; ` +
    `keep the cluster's data elsewhere (CLUSTER_DATA_DIR=/var/tmp/complaint-cluster npm run cluster) or let it through (chmod o+x ${blocked})`
  );
}

/**
 * PostgreSQL's data directory under `dataDir`, initialised once with a password of its own kept
 * beside it; refused before anything is written there when its user cannot reach it. Returns the
 * data directory and the password.
 */
export async function preparePostgres(dataDir: string, quiet: boolean): Promise<{ pgData: string; password: string }> {
  const unreachable = postgresCannotReach(dataDir);
  if (unreachable) throw new Error(unreachable);
  mkdirSync(dataDir, { recursive: true });
  // A umask of 077 makes the folders just created as closed as a 0700 parent.
  const closed = postgresCannotReach(dataDir);
  if (closed) throw new Error(closed);
  const pgBin = postgresBinDir();
  const pgData = path.join(dataDir, 'postgres');
  const passwordFile = path.join(dataDir, 'postgres-password');
  if (!existsSync(path.join(pgData, 'PG_VERSION'))) {
    mkdirSync(pgData, { recursive: true, mode: 0o700 });
    writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
    const pwTmp = path.join(pgData, '..', '.initdb-password');
    writeFileSync(pwTmp, readFileSync(passwordFile));
    if (isRoot) {
      const { uid, gid } = postgresUser();
      chownSync(pgData, uid, gid);
      chownSync(pwTmp, uid, gid);
    }
    const [cmd, args] = asPostgres(path.join(pgBin, 'initdb'), [
      '-D',
      pgData,
      '-U',
      'temporal',
      '-E',
      'UTF8',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      `--pwfile=${pwTmp}`,
    ]);
    try {
      // In a folder its user can enter: from the repository's, initdb warns it cannot change back.
      await execa(cmd, args, { cwd: dataDir, stdio: quiet ? 'ignore' : 'inherit' });
    } catch (err) {
      rmSync(pgData, { recursive: true, force: true });
      throw new Error(`initdb ${pgData} failed: ${(err as Error).message}`, { cause: err });
    } finally {
      rmSync(pwTmp, { force: true });
    }
  }
  return { pgData, password: readFileSync(passwordFile, 'utf8').trim() };
}

/** Pipes a child's lines to `out` with its name in front, so four Temporal services stay readable. */
function prefixed(child: ExecaChildProcess, name: string, out: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => out(`${name.padEnd(18)}| ${line}\n`));
  }
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  for (const bin of [
    SERVER_BIN,
    path.join(SERVER_DIR, 'temporal-sql-tool'),
    TEMPORAL_BIN,
    HAPROXY_BIN,
    ...(opts.ui ? [UI_BIN] : []),
  ]) {
    if (!existsSync(bin))
      throw new Error(`${bin} is missing; run bash scripts/cluster-setup.sh (npm run cluster runs it)`);
  }
  const { ports } = opts;
  const dataDir = path.resolve(opts.dataDir);
  const settings = clusterSettings();
  const procs = new Map<string, Child>();
  const quiet = opts.output === 'quiet';
  const pgBin = postgresBinDir();
  const { pgData, password } = await preparePostgres(dataDir, quiet);
  // Four Temporal services hold up to 30 connections each (server.yaml), the schema tool a few more.
  const postgresArgs = [
    '-D',
    pgData,
    '-h',
    '127.0.0.1',
    '-p',
    String(ports.postgres),
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=300',
    '-c',
    'shared_buffers=256MB',
  ];

  // Quiet runs (tests, bench) keep each server's output in a file, for whoever reads a failure; a
  // terminal run does so too once it is stopping, when the services only complain about each
  // other's absence.
  const logDir = path.join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  let closing = false;
  const stopLogs = new Map<string, WriteStream>();
  const toTerminal = (name: string) => (line: string) => {
    if (!closing) return void process.stdout.write(line);
    if (!stopLogs.has(name)) stopLogs.set(name, createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' }));
    stopLogs.get(name)!.write(line);
  };
  // Each process in a group of its own: a Ctrl-C in the terminal reaches only the parent, which
  // stops them in order (`close`); all at once, each Temporal service logs the others' absence.
  const spawn = (
    name: string,
    cmd: string,
    args: string[],
    env: Record<string, string>,
    cwd = ROOT,
  ): ExecaChildProcess => {
    const child = execa(cmd, args, { cwd, env, stdio: 'pipe', detached: true, reject: false });
    if (quiet) {
      const file = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
      child.stdout?.pipe(file);
      child.stderr?.pipe(file);
    } else {
      prefixed(child, name, toTerminal(name));
    }
    return child;
  };
  // Detached processes outlive a parent that ends without `close` (an uncaught error, process.exit).
  const killLeftovers = () => {
    for (const { process: child } of procs.values()) {
      if (child.pid && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL'); // not a group of its own (the MongoDB-wire server's launcher)
        }
      }
    }
  };
  process.once('exit', killLeftovers);
  /** `ready`, with the end of the server's log in the error when it does not come up. */
  const readyOrLog = async (name: string, child: ExecaChildProcess, port: number, what: string, timeoutMs: number) => {
    try {
      return await ready(child, port, what, timeoutMs);
    } catch (err) {
      const file = path.join(logDir, `${name}.log`);
      const tail = quiet && existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
      throw new Error(`${(err as Error).message}${tail ? `; last lines of ${file}:\n${tail}` : ''}`, { cause: err });
    }
  };

  const temporalEnv = (service: TemporalService): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: opts.temporalLogLevel ?? 'warn',
    NUM_HISTORY_SHARDS: settings.NUM_HISTORY_SHARDS,
    POSTGRES_SEEDS: '127.0.0.1',
    DB_PORT: String(ports.postgres),
    POSTGRES_USER: 'temporal',
    POSTGRES_PWD: password,
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(ports.temporal.frontend.grpc),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.temporal.frontend.membership),
    HISTORY_GRPC_PORT: String(ports.temporal.history.grpc),
    HISTORY_MEMBERSHIP_PORT: String(ports.temporal.history.membership),
    MATCHING_GRPC_PORT: String(ports.temporal.matching.grpc),
    MATCHING_MEMBERSHIP_PORT: String(ports.temporal.matching.membership),
    WORKER_GRPC_PORT: String(ports.temporal.worker.grpc),
    WORKER_MEMBERSHIP_PORT: String(ports.temporal.worker.membership),
    PROMETHEUS_ENDPOINT: `127.0.0.1:${ports.temporal[service].metrics}`,
    DYNAMIC_CONFIG_FILE_PATH: path.join(DEPLOY, 'dynamicconfig', 'production-sql.yaml'),
  });

  const temporalAddress = `127.0.0.1:${ports.temporal.frontend.grpc}`;
  const mongoUri = `mongodb://127.0.0.1:${ports.mongo}/complaints`;
  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: settings.TEMPORAL_NAMESPACE,
    MONGODB_URI: mongoUri,
    ...sandboxEnv(sandboxUrl),
    SANDBOX_PORT: String(ports.sandbox),
    SANDBOX_DATA_FILE: path.join(dataDir, 'sandbox.json'),
    DATA_DIR: dataDir,
    // The cluster runs on one machine behind a loopback balancer, with the dev secrets.
    COMPLAINT_DEV_MODE: '1',
    ...opts.env,
  };

  /** How each process is started, by name: used at the first start and by `restart`. */
  const starters = new Map<string, () => Promise<Child>>();
  starters.set('postgres', () => {
    const [cmd, args] = asPostgres(path.join(pgBin, 'postgres'), postgresArgs);
    // From its data folder, which its user can enter (the repository's may be closed to it).
    return readyOrLog(
      'postgres',
      spawn('postgres', cmd, args, { PATH: process.env.PATH ?? '' }, dataDir),
      ports.postgres,
      'PostgreSQL',
      60_000,
    );
  });
  for (const service of TEMPORAL_SERVICES) {
    starters.set(`temporal-${service}`, () => {
      const args = [
        '--config-file',
        path.join(DEPLOY, 'server.yaml'),
        '--allow-no-auth',
        'start',
        '--service',
        service,
      ];
      return readyOrLog(
        `temporal-${service}`,
        spawn(`temporal-${service}`, SERVER_BIN, args, temporalEnv(service)),
        ports.temporal[service].grpc,
        `Temporal ${service}`,
        120_000,
      );
    });
  }
  starters.set('ui', () =>
    readyOrLog(
      'ui',
      spawn('ui', UI_BIN, ['--root', DEPLOY, '--config', 'ui', '--env', 'cluster', 'start'], {
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_UI_PORT: String(ports.ui),
        TEMPORAL_DEFAULT_NAMESPACE: settings.TEMPORAL_NAMESPACE,
      }),
      ports.ui,
      'Temporal Web UI',
      60_000,
    ),
  );
  starters.set('mongo', () =>
    startMongoWire({ port: ports.mongo, file: path.join(dataDir, 'mongo.mv'), stdio: quiet ? 'ignore' : 'inherit' }),
  );
  /** One of our TypeScript entry points as its own process, logged like the servers. */
  const node = (name: string, entry: string, port: number, childEnv: Record<string, string>) =>
    readyOrLog(
      name,
      spawn(name, process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], childEnv),
      port,
      name,
      60_000,
    );
  starters.set('sandbox', () => node('sandbox', opts.sandboxEntry ?? 'sandbox/main.ts', ports.sandbox, env));
  for (let i = 0; i < opts.workers; i++) {
    const metrics = ports.workerMetrics[i];
    starters.set(`worker-${i + 1}`, () =>
      node(`worker-${i + 1}`, 'workers/main.ts', metrics, { ...env, WORKER_METRICS_PORT: String(metrics) }),
    );
  }
  ports.apiProcesses.forEach((port, i) => {
    starters.set(`api-${i + 1}`, () => node(`api-${i + 1}`, 'api/main.ts', port, { ...env, API_PORT: String(port) }));
  });
  starters.set('balancer', () => {
    const config = path.join(dataDir, 'haproxy.cfg');
    writeFileSync(config, haproxyConfig({ port: ports.api, apiPorts: ports.apiProcesses }));
    // -db: in the foreground, as every process of the cluster, stopped by `close`.
    return readyOrLog(
      'balancer',
      spawn('balancer', HAPROXY_BIN, ['-db', '-f', config], { PATH: process.env.PATH ?? '' }),
      ports.api,
      'HAProxy',
      30_000,
    );
  });

  const start = async (name: string) => {
    const child = await starters.get(name)!();
    procs.set(name, child);
    return child;
  };
  const cluster: Cluster = {
    ports,
    temporalAddress,
    mongoUri,
    sandboxUrl,
    apiUrl: `http://127.0.0.1:${ports.api}`,
    env,
    procs,
    restart: async (name) => {
      if (!starters.has(name)) throw new Error(`no process named ${name} in the cluster`);
      return start(name);
    },
    kill: async (name) => {
      const child = procs.get(name);
      if (!child) throw new Error(`no running process named ${name}`);
      child.process.kill('SIGKILL');
      await child.process;
      procs.delete(name);
    },
    close: async () => {
      closing = true;
      // Each step waits for the one before: first the balancer, so no request reaches a process on
      // its way down; then whatever calls Temporal (our processes, the Web
      // UI, Temporal's own system workers), then its front door, then history and matching, which
      // call each other, together; PostgreSQL last, on SIGINT (fast shutdown: SIGTERM would wait
      // for every client to disconnect).
      const later = [
        'balancer',
        'mongo',
        'temporal-worker',
        'temporal-frontend',
        'temporal-history',
        'temporal-matching',
        'postgres',
      ];
      const steps = [
        ['balancer'],
        [...procs.keys()].filter((n) => !later.includes(n)),
        ['mongo', 'temporal-worker'],
        ['temporal-frontend'],
        ['temporal-history', 'temporal-matching'],
        ['postgres'],
      ];
      for (const step of steps) {
        await Promise.all(
          step.map(async (name) => {
            const child = procs.get(name)?.process;
            if (!child) return;
            child.kill(name === 'postgres' ? 'SIGINT' : 'SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            await child;
            clearTimeout(timer);
            procs.delete(name);
          }),
        );
      }
      process.removeListener('exit', killLeftovers);
      await Promise.all([...stopLogs.values()].map((file) => new Promise((resolve) => file.end(resolve))));
    },
  };

  try {
    await start('postgres');
    await setupSchema(ports.postgres, password, quiet);
    // The first service to start writes the cluster's metadata; several at once on a new database
    // race for that row and the losers exit (duplicate key). History first, then the rest together:
    // they find each other through PostgreSQL (cluster_membership).
    await start('temporal-history');
    await Promise.all(TEMPORAL_SERVICES.filter((s) => s !== 'history').map((s) => start(`temporal-${s}`)));
    await initNamespace(temporalAddress, settings, quiet);
    await Promise.all([...(opts.ui ? [start('ui')] : []), start('mongo'), start('sandbox')]);
    if (!env.WORKFLOW_BUNDLE_PATH) {
      // Bundled once here rather than by each worker at its start (seconds each, on 2 cores).
      env.WORKFLOW_BUNDLE_PATH = path.join(dataDir, 'workflows.js');
      writeFileSync(env.WORKFLOW_BUNDLE_PATH, await bundleComplaintWorkflows(quietBundler));
    }
    await Promise.all([
      ...Array.from({ length: opts.workers }, (_, i) => start(`worker-${i + 1}`)),
      ...ports.apiProcesses.map((_, i) => start(`api-${i + 1}`)),
    ]);
    await start('balancer');
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}

/** The `postgres` user of the Debian package, who owns the data directory when we run as root. */
function postgresUser(): { uid: number; gid: number } {
  return {
    uid: Number(execa.sync('id', ['-u', 'postgres']).stdout),
    gid: Number(execa.sync('id', ['-g', 'postgres']).stdout),
  };
}

/** deploy/temporal/setup-schema.sh, the compose one-shot's script, with the tool and schema files of scripts/cluster-setup.sh. */
async function setupSchema(port: number, password: string, quiet: boolean): Promise<void> {
  await execa('sh', [path.join(DEPLOY, 'setup-schema.sh')], {
    env: {
      PATH: `${SERVER_DIR}:${process.env.PATH ?? ''}`,
      POSTGRES_SEEDS: '127.0.0.1',
      DB_PORT: String(port),
      POSTGRES_USER: 'temporal',
      SQL_PASSWORD: password,
      SCHEMA_DIR: path.join(SERVER_DIR, 'schema', 'postgresql', 'v12'),
    },
    stdio: quiet ? 'ignore' : 'inherit',
  }).catch((err: Error) => {
    throw new Error(`applying Temporal's schema to PostgreSQL on port ${port} failed: ${err.message}`, { cause: err });
  });
}

/** deploy/temporal/init-namespace.sh, the compose one-shot's script, with the `temporal` CLI of scripts/setup.sh. */
async function initNamespace(address: string, settings: Record<string, string>, quiet: boolean): Promise<void> {
  await execa('sh', [path.join(DEPLOY, 'init-namespace.sh')], {
    env: { PATH: `${path.dirname(TEMPORAL_BIN)}:${process.env.PATH ?? ''}`, TEMPORAL_ADDRESS: address, ...settings },
    stdio: quiet ? 'ignore' : 'inherit',
  }).catch((err: Error) => {
    throw new Error(`registering the namespace and search attributes at ${address} failed: ${err.message}`, {
      cause: err,
    });
  });
}

const noop = () => undefined;
/** The bundler's progress lines are noise at start; its warnings and errors are not. */
const quietBundler = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
