import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import mongoose, { type Connection } from 'mongoose';
import pino from 'pino';
import { createActivities } from '../../activities';
import { type Config, loadConfig } from '../../config';
import type { Faults } from '../../sandbox/faults';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { sandboxEnv } from './processes';
import { TEST_SERVER_BIN } from '../paths';
import { SA } from '../../shared/searchAttributes';

/**
 * A workflow suite's world: its own time-skipping test server (time skipping is global to a
 * server), the provider sandbox on a free port, its own database on the suite's MongoDB-wire
 * server, and a worker on its own task queue running the real activities.
 */
export interface Harness {
  env: TestWorkflowEnvironment;
  sandbox: RunningSandbox;
  config: Config;
  mongo: Connection;
  taskQueue: string;
  /** Workflows this suite started, with the test that started each (see recordHistories). */
  started: Array<{ workflowId: string; test: string }>;
  close(): Promise<void>;
  /** Closes a harness whose server stalled, without waiting on the server's answers for long. */
  discard(): Promise<void>;
}

export const HISTORIES_DIR = path.resolve(__dirname, '../../test/histories');

/**
 * `GENERATION=<n-name> npm run record-histories` runs the workflow suites with RECORD_HISTORIES set
 * to that name: each suite then saves the history of every case it drove into
 * test/histories/<n-name>/, so the replay suite covers every tested path. Earlier generations stay:
 * they stand for cases started by older code that may still be running.
 */
async function recordHistories(h: Harness, suite: string, generation: string): Promise<void> {
  const dir = path.join(HISTORIES_DIR, generation);
  mkdirSync(dir, { recursive: true });
  const seen = new Map<string, number>();
  for (const { workflowId, test } of h.started) {
    const slug = `${suite}--${test}`
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 120);
    const n = (seen.get(slug) ?? 0) + 1;
    seen.set(slug, n);
    const name = `${slug}${n > 1 ? `-${n}` : ''}`;
    // Every run, not only the last: a run that continued as new is where continue-as-new decides.
    const runs = await chainOf(h.env.client, workflowId);
    runs.forEach((history, i) => {
      // Minified: a generation is tens of megabytes, and nobody reads these by eye.
      writeFileSync(
        path.join(dir, `${name}${i < runs.length - 1 ? `.run-${i + 1}` : ''}.json`),
        JSON.stringify(JSON.parse(historyToJSON(history))),
      );
    });
  }
}

function continuedFrom(history: temporal.api.history.v1.IHistory): string | undefined {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
}

/** Every run of a workflow's continue-as-new chain, oldest first, ending with `last` (fetched when not given). */
export async function chainOf(
  client: Client,
  workflowId: string,
  last?: temporal.api.history.v1.IHistory,
): Promise<temporal.api.history.v1.IHistory[]> {
  const runs = [last ?? (await client.workflow.getHandle(workflowId).fetchHistory())];
  for (let prev = continuedFrom(runs[0]); prev; prev = continuedFrom(runs[0]))
    runs.unshift(await client.workflow.getHandle(workflowId, prev).fetchHistory());
  return runs;
}

/** The dev server gets them from `start-dev --search-attribute`; the test server through the operator API. */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const { IndexedValueType } = temporal.api.enums.v1;
  const types = {
    KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
    BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  };
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.values(SA).map((k) => [k.name, types[k.type]])),
  });
}

/**
 * The customer's dedicated agent is recorded in the case store (MongoDB), which no provider fault
 * reaches: here its write fails while the sandbox's `customers` fault is armed, so a test or the
 * simulation makes the record fail (docs/domain.md §7.1) as it makes a provider fail.
 */
function withCustomerRecordFaults<A extends ReturnType<typeof createActivities>>(activities: A, faults: Faults): A {
  return {
    ...activities,
    async grantDedicatedAgent(grant) {
      const fault = faults.take('customers');
      if (fault) throw new Error(`the customer record is unavailable (sandbox fault: ${fault})`);
      return activities.grantDedicatedAgent(grant);
    },
  };
}

export async function startHarness(suite: string): Promise<Harness> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TEST_SERVER_BIN } },
  });
  await registerSearchAttributes(env);
  const sandbox = await startSandbox({ port: 0, apiKey: 'sandbox-key', logger: pino({ level: 'silent' }) });
  const taskQueue = `${suite}-${randomUUID().slice(0, 8)}`;
  const db = `${suite.replace(/[^a-z0-9]/gi, '')}${randomUUID().slice(0, 6)}`;
  const config = loadConfig({
    ...process.env,
    MONGODB_URI: (process.env.MONGODB_URI ?? '').replace(/\/[^/]*$/, `/${db}`),
    TEMPORAL_TASK_QUEUE: taskQueue,
    COMPLAINT_DEV_MODE: '1',
    ...sandboxEnv(sandbox.url),
  });
  const mongo = await mongoose.createConnection(config.MONGODB_URI).asPromise();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH ?? '' },
    activities: withCustomerRecordFaults(
      createActivities({ config, temporal: env.client, mongo, logger: pino({ level: 'silent' }) }),
      sandbox.faults,
    ),
  });
  const running = worker.run();
  const harness: Harness = {
    env,
    sandbox,
    config,
    mongo,
    taskQueue,
    started: [],
    async close() {
      if (process.env.RECORD_HISTORIES) await recordHistories(harness, suite, process.env.RECORD_HISTORIES);
      worker.shutdown();
      await running;
      await mongo.close();
      await sandbox.close();
      await env.teardown();
    },
    async discard() {
      worker.shutdown();
      // A worker whose server stopped answering may not finish shutting down until the server is gone.
      await Promise.race([running, new Promise((r) => setTimeout(r, 5_000).unref())]);
      await env.teardown();
      await running;
      await mongo.close();
      await sandbox.close();
    },
  };
  return harness;
}
