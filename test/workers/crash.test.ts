import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import execa from 'execa';
import pino from 'pino';
import { queryRunAheadRefused } from '../../api/errors';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { sandboxEnv } from '../../dev/stack/processes';
import { ROOT } from '../../dev/paths';
import {
  assignUpdate,
  briefUpdate,
  caseViewQuery,
  firstResponseUpdate,
  proposeResolutionUpdate,
} from '../../shared/messages';
import { agent, type CaseWorld, openCase, type OpenedCase } from '../support/cases';

/**
 * Money is never moved twice, even when the worker dies: the worker process is SIGKILLed while
 * 20 refunds are in flight (the gateway has paid, its answers are held), a new worker takes over,
 * and the gateway holds exactly 20 refunds, one per case.
 */

const CASES = 20;
let sandbox: RunningSandbox;
let connection: Connection;
let world: CaseWorld;

function startWorker(taskQueue: string): execa.ExecaChildProcess {
  return execa(process.execPath, ['--import', 'tsx', path.join(ROOT, 'workers/main.ts')], {
    cwd: ROOT,
    env: {
      TEMPORAL_TASK_QUEUE: taskQueue,
      ...sandboxEnv(sandbox.url),
      WORKER_METRICS_PORT: '0',
      LOG_LEVEL: 'info',
    },
    reject: false,
  });
}

async function started(worker: execa.ExecaChildProcess): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    worker.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('worker started')) resolve();
    });
    void worker.then((r) => reject(new Error(`worker exited early: ${r.stderr}`)));
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function refunds(): Promise<Array<{ complaintId: string; idempotencyKey: string }>> {
  return (await (await fetch(`${sandbox.url}/payments/refunds`)).json()) as Array<{
    complaintId: string;
    idempotencyKey: string;
  }>;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, apiKey: 'sandbox-key', logger: pino({ level: 'silent' }) });
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  world = {
    env: { client: new Client({ connection }), currentTimeMs: () => Promise.resolve(Date.now()) },
    sandbox,
    taskQueue: `crash-${randomUUID().slice(0, 8)}`,
  };
});

afterAll(async () => {
  await connection?.close();
  await sandbox?.close();
});

it('pays each of 20 refunds exactly once across a SIGKILLed worker', async () => {
  const first = startWorker(world.taskQueue);
  await started(first);

  const cases: OpenedCase[] = [];
  for (let i = 0; i < CASES; i++) cases.push(await openCase(world));
  // Every refund is recorded by the gateway, then its answer is held: the worker is mid-activity.
  await fetch(`${sandbox.url}/_faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'payments', mode: 'timeout', rate: 1 }),
  });
  await Promise.all(
    cases.map(async ({ handle }) => {
      await handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
      await handle.executeUpdate(firstResponseUpdate, {
        args: [{ message: 'Checking now.', requestEvidence: false, actor: agent }],
      });
      await handle.executeUpdate(briefUpdate, {
        args: [{ responsibility: 'merchant', findings: 'Defect confirmed', actor: agent }],
      });
      await handle.executeUpdate(proposeResolutionUpdate, {
        args: [{ type: 'refund', amountFen: 12_900, note: 'Full refund', actor: agent }],
      });
    }),
  );
  await until('20 refunds in flight', async () => ((await refunds()).length >= CASES ? true : undefined));

  first.kill('SIGKILL');
  await first;
  await fetch(`${sandbox.url}/_faults`, { method: 'DELETE' });
  const second = startWorker(world.taskQueue);
  try {
    await started(second);
    await until('every case past its refund', async () => {
      // A case whose refund's result the new worker has not written yet refuses the query (docs/determinism.md): not yet.
      const views = await Promise.all(
        cases.map(({ handle }) =>
          handle.query(caseViewQuery).catch((err: unknown) => {
            if (queryRunAheadRefused(err)) return undefined;
            throw err;
          }),
        ),
      );
      return views.every((v) => v?.status === 'awaiting_customer') ? views : undefined;
    });
  } finally {
    second.kill('SIGTERM');
    await second;
  }

  const paid = await refunds();
  expect(paid).toHaveLength(CASES);
  expect(new Set(paid.map((r) => r.idempotencyKey)).size).toBe(CASES);
  expect(new Set(paid.map((r) => r.complaintId))).toEqual(new Set(cases.map((c) => c.input.complaintId)));
});
