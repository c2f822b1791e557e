import { createServer } from 'node:net';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import execa, { type ExecaChildProcess } from 'execa';
import waitPort from 'wait-port';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../shared/searchAttributes';
import { MONGO_WIRE_DIR, ROOT, TEMPORAL_BIN } from '../paths';

/**
 * Launches the local servers the stack and the test suite run against: the Temporal dev server,
 * the MongoDB-wire server and our own node processes. Binaries come from `scripts/setup.sh`.
 */

/**
 * A running server. The subprocess sits inside a plain object on purpose: execa's subprocess is a
 * thenable, and returning it from an async function would wait for the process to exit.
 */
export interface Child {
  name: string;
  process: ExecaChildProcess;
}

export class PortTakenError extends Error {
  constructor(port: number, variable: string) {
    super(`port ${port} is already in use; stop whatever holds it or set ${variable} to another port`);
  }
}

export async function assertPortFree(port: number, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer()
      .once('error', () => reject(new PortTakenError(port, variable)))
      .once('listening', () => probe.close(() => resolve()))
      .listen(port, '127.0.0.1');
  });
}

/** A free loopback port, for test runs that must not collide with a running stack. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
  });
}

/** Resolves once `child` listens on `port`; rejects if it exits first or does not listen in time. */
export async function ready(child: ExecaChildProcess, port: number, name: string, timeoutMs: number): Promise<Child> {
  const exited = child.then(
    (r) => Promise.reject(new Error(`${name} exited (${r.exitCode}) before listening on ${port}`)),
    (e: Error) => Promise.reject(new Error(`${name} failed before listening on ${port}: ${e.message}`)),
  );
  const { open } = await Promise.race([
    waitPort({ host: '127.0.0.1', port, timeout: timeoutMs, output: 'silent' }),
    exited,
  ]);
  if (!open) {
    child.kill();
    throw new Error(`${name} did not listen on ${port} within ${timeoutMs} ms`);
  }
  return { name, process: child };
}

interface Launch {
  /** Where the child's output goes: the parent's terminal, or nowhere (tests). */
  stdio?: 'inherit' | 'ignore';
  /** Instead, a file its output is appended to (a process started again writes after its predecessor). */
  logFile?: string;
}

/** Where a child's output goes, and what to do once it has started (it holds the log file open; ours is not needed). */
function childOutput(opts: Launch): { stdio: 'inherit' | 'ignore' | ['ignore', number, number]; started: () => void } {
  if (!opts.logFile) return { stdio: opts.stdio ?? 'ignore', started: () => undefined };
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = openSync(opts.logFile, 'a');
  return { stdio: ['ignore', fd, fd], started: () => closeSync(fd) };
}

export async function startTemporal(opts: Launch & { port: number; uiPort?: number; dbFile?: string }): Promise<Child> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  args.push(...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']));
  if (opts.dbFile) {
    mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    // WAL with synchronous=NORMAL is ~10x the default pragmas' throughput on SQLite (docs/choices.md).
    args.push(
      '--db-filename',
      opts.dbFile,
      '--sqlite-pragma',
      'journal_mode=wal',
      '--sqlite-pragma',
      'synchronous=normal',
    );
  }
  for (const flag of SEARCH_ATTRIBUTE_FLAGS) args.push('--search-attribute', flag);
  // The case doctor finds stuck cases by TemporalReportedProblems (docs/operations.md). Its default of 5
  // failed tasks in a row costs minutes, since a worker reports a repeating failure once and each later
  // attempt ends at the task's timeout.
  args.push('--dynamic-config-value', 'system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute=2');
  const output = childOutput(opts);
  const child = execa(TEMPORAL_BIN, args, { stdio: output.stdio, cleanup: true, reject: false });
  output.started();
  return ready(child, opts.port, 'Temporal dev server', 60_000);
}

/**
 * The MongoDB-wire server's memory for a store of `cases` cases: half of it is H2's page cache,
 * which must hold the whole file, the rest the JVM's own; twice the file each, so the cache never
 * evicts what the next list reads. A case's file share is what the whole stack writes, not one
 * stored view (4.7 KB, `npm run bench:store`): its projection is rewritten as it opens, and H2 keeps
 * the old pages until it compacts, 25-36 KB per open case in the 2026-11-28 scale runs; the store
 * closed itself at 40 000 cases with memory for 4.7 KB each.
 */
export function mongoWireMemoryMb(cases: number): number {
  return Math.max(512, Math.ceil((cases * 4 * 36) / 1024));
}

export async function startMongoWire(
  opts: Launch & { port: number; file?: string; memoryMb?: number },
): Promise<Child> {
  if (opts.file) mkdirSync(path.dirname(opts.file), { recursive: true });
  const mw = MONGO_WIRE_DIR;
  const memoryMb = opts.memoryMb ?? 512;
  const output = childOutput(opts);
  const child = execa('java', [`-Xmx${memoryMb}m`, '-cp', `${mw}/classes:${mw}/lib/*`, 'MongoWire'], {
    env: {
      MONGO_WIRE_PORT: String(opts.port),
      MONGO_WIRE_FILE: opts.file ?? '',
      MONGO_WIRE_CACHE_MB: String(Math.floor(memoryMb / 2)),
    },
    stdio: output.stdio,
    cleanup: true,
    reject: false,
  });
  output.started();
  return ready(child, opts.port, 'MongoDB-wire server', 60_000);
}

/** Runs one of our TypeScript entry points (sandbox, worker, API) as its own process. */
export async function startNode(
  entry: string,
  opts: Launch & { env: Record<string, string>; port?: number; name: string },
): Promise<Child> {
  const output = childOutput(opts);
  const child = execa(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], {
    cwd: ROOT,
    env: opts.env,
    stdio: output.stdio,
    cleanup: true,
    reject: false,
  });
  output.started();
  return opts.port ? ready(child, opts.port, opts.name, 60_000) : { name: opts.name, process: child };
}

export async function stopAll(children: Child[]): Promise<void> {
  for (const { process: child } of [...children].reverse()) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await child;
    clearTimeout(timer);
  }
}

/** Every provider URL pointed at one sandbox (sandbox/), as the config's env variables. */
export function sandboxEnv(url: string) {
  return { PAYMENT_URL: url, SMS_URL: url, CARRIER_URL: url, MERCHANT_URL: url, ORDERS_URL: url };
}
