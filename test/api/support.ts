import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import pino, { type Logger } from 'pino';
import request, { type Response } from 'supertest';
import { createOrdersClient } from '../../clients/orders';
import { createApp } from '../../api/app';
import { createPolicyBook, seedPolicy, type PolicyBook } from '../../api/policyBook';
import { signToken, type Claims } from '../../api/auth';
import { ErrorBody } from '../../api/errors';
import { createPaymentLedger } from '../../api/refunds';
import { CaseListV1, Health } from '../../api/schemas';
import { loadConfig, type Config } from '../../config';
import { sandboxEnv } from '../../dev/stack/processes';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { CaseViewV1 } from '../../shared/caseView';
import type { InvestigationBriefV1 } from '../../shared/commands';
import type { PaymentMethod, Role } from '../../shared/domain';
import { complaintWorkflowId } from '../../shared/identity';
import { openStore, type Store } from '../../store/connection';
import { dropStore, freshDbUri } from '../store/fixtures';
import { agent, compliance, customerOf, merchantOf, orderDetails, supervisor } from '../support/cases';
import { lateBound } from '../support/lateBound';
import { eventually } from '../support/poll';
import { createComplaintWorker } from '../../workers/worker';

/** An API on the suite's real servers: its own database, task queue and provider sandbox. */

export const silent = pino({ level: 'silent' });

export interface ApiHarness {
  app: Express;
  config: Config;
  db: Store;
  temporal: Client;
  /** The API's policy book: the newest published version, version 1 seeded from `config.policy`. */
  policies: PolicyBook;
  sandbox: RunningSandbox;
  /** `Bearer <token>` for these claims, signed with this API's secret. */
  bearer: (claims: Claims) => Promise<string>;
  close: () => Promise<void>;
}

export interface HarnessOptions {
  /** A Temporal client to use instead of one connected to the suite's server. */
  temporal?: Client;
  /** A store to use instead of a fresh database. */
  db?: Store;
  env?: Record<string, string>;
  /** Seed policy version 1 as api/main.ts does at start (false: a store the test makes unreachable). */
  seedPolicy?: boolean;
  /** The API's logger, for a test that reads what it logs (silent otherwise). */
  logger?: Logger;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    JWT_SECRET: 'api-test-secret-0123456789',
    TEMPORAL_TASK_QUEUE: `api-test-${randomUUID()}`,
    PROVIDER_API_KEY: 'sandbox-key',
    COMPLAINT_DEV_MODE: '1',
    ...env,
  });
}

/** A client whose server is not there: every call fails as an unreachable Temporal does. */
export function unreachableTemporal(): Client {
  return new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
}

export async function startApi(opts: HarnessOptions = {}): Promise<ApiHarness> {
  const sandbox = await startSandbox({ port: 0, apiKey: 'sandbox-key', logger: silent });
  // The API and any worker a test starts from this config share this database.
  const config = testConfig({ ...sandboxEnv(sandbox.url), MONGODB_URI: freshDbUri('api'), ...opts.env });
  const ownDb = !opts.db;
  const db = opts.db ?? (await openStore(config.MONGODB_URI));
  const temporal =
    opts.temporal ??
    new Client({
      connection: await Connection.connect({ address: config.TEMPORAL_ADDRESS }),
      namespace: config.TEMPORAL_NAMESPACE,
    });
  const orders = createOrdersClient({ baseUrl: sandbox.url, apiKey: config.PROVIDER_API_KEY, logger: silent });
  const payments = createPaymentLedger({ baseUrl: sandbox.url, apiKey: config.PROVIDER_API_KEY, logger: silent });
  // As api/main.ts does at start: version 1 from the start-up policy if the store holds none.
  if (opts.seedPolicy ?? true) await seedPolicy(db, config);
  const policies = createPolicyBook({ db, config });
  const app = createApp({ temporal, db, orders, payments, config, policies, logger: opts.logger ?? silent });
  return {
    app,
    config,
    db,
    temporal,
    policies,
    sandbox,
    bearer: async (claims) =>
      `Bearer ${await signToken({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }, claims)}`,
    close: async () => {
      await sandbox.close();
      if (!opts.temporal) await temporal.connection.close();
      if (ownDb) await dropStore(db);
    },
  };
}

/**
 * The suite's API (with `worker: true`, and a complaint worker on its task queue), started in the
 * suite's first beforeAll and closed in an afterAll it registers itself. The answer stands for the
 * harness once that hook ran.
 */
export function useApiHarness(opts: HarnessOptions & { worker?: boolean } = {}): ApiHarness {
  let current: ApiHarness | undefined;
  let worker: { stop(): Promise<void> } | undefined;
  beforeAll(async () => {
    current = await startApi(opts);
    if (opts.worker) worker = await startWorker(current);
  });
  afterAll(async () => {
    await worker?.stop();
    await current?.close();
  });
  return lateBound(() => current, 'the API harness');
}

/** One caller of each role; the customer and the merchant are the parties of `orderOf`'s order. */
export function callers(customerId: string, merchantId: string): Record<Role, Claims> {
  return {
    customer: customerOf(customerId),
    agent,
    supervisor,
    ops_manager: { sub: 'ops-1', role: 'ops_manager' },
    compliance,
    merchant: merchantOf(merchantId),
    system: { sub: 'intake-bot', role: 'system' },
  };
}

/** Ids of one test's own customer, order and merchant. */
export function party() {
  const id = randomUUID().slice(0, 8);
  return { customerId: `c-${id}`, orderId: `o-${id}`, merchantId: `m-${id}`, sku: `sku-${id}` };
}
export type Party = ReturnType<typeof party>;

export function putOrder(
  sandbox: RunningSandbox,
  p: Party,
  amountPaidFen = 12_900,
  paymentMethod?: PaymentMethod,
): void {
  const order = { orderId: p.orderId, customerId: p.customerId, merchantId: p.merchantId, amountPaidFen, sku: p.sku };
  sandbox.store.putOrder({ ...order, ...orderDetails(order), ...(paymentMethod && { paymentMethod }) });
}

/** A valid body of `POST /v1/complaints` for the party's order. */
export function openBody(p: Party, overrides: Record<string, unknown> = {}) {
  return {
    channel: 'app',
    customer: { id: p.customerId, name: 'Li Lei', phone: '+8613800000000', memberTier: 'regular' },
    order: { orderId: p.orderId, merchantId: p.merchantId, sku: p.sku },
    subType: 'quality_defect',
    description: 'The kettle leaks after two days',
    desiredOutcome: 'refund',
    evidence: [{ kind: 'photo', url: 'https://img.example.com/leak.jpg', note: 'the puddle' }],
    ...overrides,
  };
}

/** Answers read through the contract's own schemas: a test fails on a body of the wrong shape. */
export const errorOf = (res: Response) => ErrorBody.parse(res.body).error;
export const viewOf = (res: Response): CaseViewV1 => CaseViewV1.parse(res.body);
export const pageOf = (res: Response) => CaseListV1.parse(res.body);
export const healthOf = (res: Response) => Health.parse(res.body);

/** A real complaint worker on the harness's task queue, running the suite's pre-built workflow bundle; stop() shuts it down. */
export async function startWorker(h: ApiHarness): Promise<{ stop(): Promise<void> }> {
  const codePath = process.env.WORKFLOW_BUNDLE_PATH;
  const worker = await createComplaintWorker(h.config, {
    taskQueue: h.config.TEMPORAL_TASK_QUEUE,
    logger: silent,
    ...(codePath ? { bundle: { codePath } } : {}),
  });
  const running = worker.worker.run();
  return {
    async stop() {
      worker.worker.shutdown();
      await running;
      await worker.close();
    },
  };
}

/** The party's complaint as `openBody` opens it. */
export const complaintIdOf = (p: Party) => complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');

/** `POST /v1/complaints/:id/<action>` on the party's complaint, as these claims. */
export async function act(h: ApiHarness, p: Party, claims: Claims, action: string, body: object) {
  return request(h.app)
    .post(`/v1/complaints/${complaintIdOf(p)}/${action}`)
    .set('authorization', await h.bearer(claims))
    .send(body);
}

/** The party's complaint opened by its customer, on an order paid 129 CNY; its view as opened. */
export async function openComplaint(h: ApiHarness, p: Party): Promise<CaseViewV1> {
  putOrder(h.sandbox, p, 12_900);
  const opened = await request(h.app)
    .post('/v1/complaints')
    .set('authorization', await h.bearer(customerOf(p.customerId)))
    .send(openBody(p));
  expect(opened.status).toBe(201);
  return viewOf(opened);
}

/** The party's complaint opened, taken by the agent, answered and investigated with this brief: the agent may propose. */
export async function readyToPropose(h: ApiHarness, p: Party, brief: InvestigationBriefV1): Promise<void> {
  await openComplaint(h, p);
  await eventually(
    () => act(h, p, agent, 'assign', { agentId: agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
  expect((await act(h, p, agent, 'first-response', { message: '您好，我们正在核实。' })).status).toBe(200);
  expect((await act(h, p, agent, 'investigation/brief', brief)).status).toBe(200);
}
