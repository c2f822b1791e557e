import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { ProviderConfig } from '../../clients/http';
import type { FaultRequest } from '../../sandbox/faults';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import type { OrderRecord } from '../../shared/providers';
import { lateBound } from '../support/lateBound';

/** The provider sandbox on a free port for one test file, with the calls tests make to it. */

export const API_KEY = 'test-key';

export function uid(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface SendOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the api key. */
  key?: boolean;
}

export interface TestSandbox {
  sandbox: RunningSandbox;
  /** What an adapter factory takes to talk to this sandbox. */
  provider: ProviderConfig;
  /** A raw request; `key` sends the api key. */
  send<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts?: SendOptions,
  ): Promise<{ status: number; body: T }>;
  /** A GET of an inspection route that must succeed. */
  inspect<T>(path: string): Promise<T>;
  arm(fault: FaultRequest): Promise<void>;
  putOrder(orderId: string, order?: Partial<OrderRecord>): Promise<void>;
  close(): Promise<void>;
}

export async function startTestSandbox(opts: { dataFile?: string } = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox({
    port: 0,
    apiKey: API_KEY,
    dataFile: opts.dataFile,
    logger: pino({ level: 'silent' }),
  });

  async function send<T>(method: string, path: string, { body, headers = {}, key = false }: SendOptions = {}) {
    const res = await fetch(sandbox.url + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key ? { 'x-api-key': API_KEY } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async function expectOk<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await send<T>(method, path, { body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  return {
    sandbox,
    provider: { baseUrl: sandbox.url, apiKey: API_KEY, timeoutMs: 2_000, logger: pino({ level: 'silent' }) },
    send,
    inspect: <T>(path: string) => expectOk<T>('GET', path),
    arm: async (fault) => void (await expectOk('POST', '/_faults', fault)),
    putOrder: async (orderId, order = {}) =>
      void (await expectOk('PUT', `/orders/${orderId}`, {
        customerId: 'c-test',
        merchantId: 'm-test',
        amountPaidFen: 10_000,
        items: [{ sku: 'sku-1', quantity: 1, priceFen: 10_000 }],
        paidAt: '2026-11-01T10:00:00+08:00',
        ...order,
      })),
    close: () => sandbox.close(),
  };
}

/** The suite's sandbox, started in a beforeAll and closed in an afterAll it registers itself. */
export function useSandbox(opts: { dataFile?: string } = {}): TestSandbox {
  let current: TestSandbox | undefined;
  beforeAll(async () => {
    current = await startTestSandbox(opts);
  });
  afterAll(async () => {
    await current?.close();
  });
  return lateBound(() => current, 'the test sandbox');
}

/** The error a call failed with; a call that succeeds fails the test. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}
