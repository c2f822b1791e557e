import { createHmac, randomUUID } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { unreachableStore } from '../store/fixtures';
import { startApi, useApiHarness, errorOf, type ApiHarness } from './support';

/**
 * Rate limits (docs/api-limits.md): per caller once a token is verified, and per client address
 * before anybody is known. Every limit here is small and its window an hour, so a test counts
 * requests, never time: a busy machine cannot make it pass or fail. Each test calls from its own
 * address (the API trusts one proxy here, so x-forwarded-for names the client), so no test spends
 * another's allowance. The counts live in MongoDB, so two API processes on one database share them.
 */

const LIMITS = {
  API_RATE_LIMIT_PER_MINUTE: '3',
  API_RATE_LIMIT_PER_ADDRESS: '8',
  API_AUTH_FAILURES_PER_ADDRESS: '3',
  API_READYZ_PER_ADDRESS: '2',
  API_DEV_TOKENS_PER_ADDRESS: '2',
  API_RATE_LIMIT_WINDOW_S: '3600',
  API_TRUST_PROXY: '1',
  // Generous: a counter write slower than this on a busy machine would let a request through uncounted.
  API_RATE_LIMIT_STORE_TIMEOUT_MS: '30000',
  CARRIER_SECRETS: 'SF=sf-test-secret-0123456789',
};
const h = useApiHarness({ env: LIMITS });

let n = 0;
/** A client address of its own (TEST-NET-3). */
const address = () => `203.0.113.${++n}`;
const from = (ip: string) => ({ 'x-forwarded-for': ip });

const expect429 = (res: request.Response) => {
  expect(res.status).toBe(429);
  expect(errorOf(res)).toMatchObject({ code: 'rate_limited', details: [] });
  expect(res.headers).toHaveProperty('ratelimit');
};

it('answers 429 in the error shape once a caller is over the limit, and only that caller', async () => {
  const ip = address();
  const busy = await h.bearer({ sub: 'agent-busy', role: 'agent' });
  const calm = await h.bearer({ sub: 'agent-calm', role: 'agent' });
  for (let i = 0; i < 3; i++)
    expect((await request(h.app).get('/v1/policy').set(from(ip)).set('authorization', busy)).status).toBe(200);
  expect429(await request(h.app).get('/v1/policy').set(from(ip)).set('authorization', busy));
  expect((await request(h.app).get('/v1/policy').set(from(ip)).set('authorization', calm)).status).toBe(200);
});

it('stops a flood of bad tokens from one address before the token is checked, and only that address', async () => {
  const ip = address();
  const forged = `Bearer ${randomUUID()}.${randomUUID()}.${randomUUID()}`;
  for (let i = 0; i < 3; i++)
    expect((await request(h.app).get('/v1/policy').set(from(ip)).set('authorization', forged)).status).toBe(401);
  expect429(await request(h.app).get('/v1/policy').set(from(ip)).set('authorization', forged));
  // No token at all is a refused credential too.
  expect429(await request(h.app).get('/v1/complaints').set(from(ip)));
  expect((await request(h.app).get('/v1/policy').set(from(address())).set('authorization', forged)).status).toBe(401);
});

it('does not count good tokens against the address: only refused credentials do', async () => {
  const ip = address();
  // Five callers, one request each, from one office address: more than the failure allowance of 3.
  for (let i = 0; i < 5; i++) {
    const good = await h.bearer({ sub: `agent-office-${i}`, role: 'agent' });
    expect((await request(h.app).get('/v1/policy').set(from(ip)).set('authorization', good)).status).toBe(200);
  }
});

it('limits readiness checks per address (each asks Temporal and MongoDB)', async () => {
  const ip = address();
  for (let i = 0; i < 2; i++) expect((await request(h.app).get('/readyz').set(from(ip))).status).not.toBe(429);
  expect429(await request(h.app).get('/readyz').set(from(ip)));
  expect((await request(h.app).get('/readyz').set(from(address()))).status).not.toBe(429);
});

it('limits dev sign-ins per address', async () => {
  const ip = address();
  const signIn = () => request(h.app).post('/console/dev-token').set(from(ip)).send({ role: 'agent', sub: 'agent-7' });
  for (let i = 0; i < 2; i++) expect((await signIn()).status).toBe(200);
  expect429(await signIn());
});

it('limits carrier events with bad signatures per address, before the signature is checked', async () => {
  const ip = address();
  const body = JSON.stringify({
    eventId: `ev-${randomUUID()}`,
    waybillNo: 'SF1',
    status: 'in_transit',
    at: new Date().toISOString(),
  });
  const t = Math.floor(Date.now() / 1000);
  const wrong = `t=${t},v1=${createHmac('sha256', 'not-the-secret').update(`${t}.${body}`).digest('hex')}`;
  const send = () =>
    request(h.app)
      .post('/v1/carrier-events')
      .set(from(ip))
      .set({ 'content-type': 'application/json', 'x-carrier-id': 'SF', 'x-carrier-signature': wrong })
      .send(body);
  for (let i = 0; i < 3; i++) expect((await send()).status).toBe(401);
  expect429(await send());
});

it('limits every request without a bearer token per address, whatever the route', async () => {
  const ip = address();
  const paths = ['/healthz', '/openapi.json', '/console/config.json', '/metrics'];
  // The address's allowance of 8, spent across four routes.
  for (let i = 0; i < 8; i++)
    expect(
      (
        await request(h.app)
          .get(paths[i % paths.length])
          .set(from(ip))
      ).status,
    ).toBe(200);
  for (const path of paths) expect429(await request(h.app).get(path).set(from(ip)));
  expect((await request(h.app).get('/healthz').set(from(address()))).status).toBe(200);
});

describe('two API processes behind a balancer, on one database', () => {
  let second: ApiHarness;
  beforeAll(async () => {
    second = await startApi({ env: LIMITS, db: h.db, temporal: h.temporal });
  });
  afterAll(() => second.close());
  /** The balancer: request i goes to process i mod 2. */
  const to = (i: number) => request([h.app, second.app][i % 2]);

  it('share one allowance per caller', async () => {
    const ip = address();
    const caller = await h.bearer({ sub: 'agent-balanced', role: 'agent' });
    const limit = Number(LIMITS.API_RATE_LIMIT_PER_MINUTE);
    for (let i = 0; i < limit; i++)
      expect((await to(i).get('/v1/policy').set(from(ip)).set('authorization', caller)).status).toBe(200);
    for (let i = limit; i < limit + 2; i++)
      expect429(await to(i).get('/v1/policy').set(from(ip)).set('authorization', caller));
  });

  it('share one allowance per address for requests without a bearer token', async () => {
    const ip = address();
    const limit = Number(LIMITS.API_RATE_LIMIT_PER_ADDRESS);
    for (let i = 0; i < limit; i++) expect((await to(i).get('/healthz').set(from(ip))).status).toBe(200);
    for (let i = limit; i < limit + 2; i++) expect429(await to(i).get('/healthz').set(from(ip)));
  });

  it('share one allowance of refused credentials per address', async () => {
    const ip = address();
    const forged = `Bearer ${randomUUID()}.${randomUUID()}.${randomUUID()}`;
    const limit = Number(LIMITS.API_AUTH_FAILURES_PER_ADDRESS);
    for (let i = 0; i < limit; i++)
      expect((await to(i).get('/v1/policy').set(from(ip)).set('authorization', forged)).status).toBe(401);
    for (let i = limit; i < limit + 2; i++)
      expect429(await to(i).get('/v1/policy').set(from(ip)).set('authorization', forged));
  });
});

describe('MongoDB unreachable', () => {
  const logged: Array<{ level: number; msg: string }> = [];
  const logger = pino(
    { level: 'warn' },
    { write: (line: string) => void logged.push(JSON.parse(line) as { level: number; msg: string }) },
  );
  const db = unreachableStore();
  let down: ApiHarness;
  beforeAll(async () => {
    down = await startApi({ env: LIMITS, db, seedPolicy: false, logger });
  });
  afterAll(async () => {
    await down.close();
    await db.connection.close();
  });

  it('lets requests through uncounted and logs a warning: no 500, no 429', async () => {
    const ip = address();
    const beyond = Number(LIMITS.API_RATE_LIMIT_PER_ADDRESS) + 2;
    for (let i = 0; i < beyond; i++) expect((await request(down.app).get('/healthz').set(from(ip))).status).toBe(200);
    const warnings = logged.filter(
      (l) => l.level === pino.levels.values.warn && l.msg.startsWith('rate limit not counted'),
    );
    expect(warnings).not.toHaveLength(0);
  });
});
