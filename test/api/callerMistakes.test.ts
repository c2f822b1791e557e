import { createHmac, randomUUID } from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import { useApiHarness, callers, errorOf, startWorker } from './support';

/**
 * A caller's mistake is a 4xx, never a 500 (docs/api-guide.md), and no error body tells a caller where
 * the server keeps its files. Each request here was answered 500 (or 400 with a file path) before.
 */

const h = useApiHarness({ env: { CARRIER_SECRETS: 'SF=sf-test-secret-0123456789' } });
const supervisor = () => h.bearer(callers('c-1', 'm-1').supervisor);

/** An absolute path of this checkout (where the console's files are) in any text. */
const ROOT = path.resolve(__dirname, '..', '..');
const leaksPath = (body: unknown) => JSON.stringify(body).includes(ROOT);

describe('x-carrier-id names something no carrier is', () => {
  // Names every JavaScript object answers to: none of them is a carrier with a secret.
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    '%s: 401, as any carrier without a secret',
    async (carrier) => {
      const body = JSON.stringify({
        eventId: `ev-${randomUUID()}`,
        waybillNo: 'SF1',
        status: 'in_transit',
        at: new Date().toISOString(),
      });
      const t = Math.floor(Date.now() / 1000);
      // A well-formed signature, so the request gets as far as the secret.
      const signature = `t=${t},v1=${createHmac('sha256', 'anything').update(`${t}.${body}`).digest('hex')}`;
      const res = await request(h.app)
        .post('/v1/carrier-events')
        .set({ 'content-type': 'application/json', 'x-carrier-id': carrier, 'x-carrier-signature': signature })
        .send(body);
      expect(res.status).toBe(401);
      expect(errorOf(res).code).toBe('unauthenticated');
    },
  );
});

describe("an id that fits the pattern but names another of the platform's workflows", () => {
  let worker: { stop(): Promise<void> } | undefined;
  const doctorId = `case-doctor-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    worker = await startWorker(h);
    // The case doctor (any non-complaint workflow) running on this API's task queue, so a query would reach real code.
    await h.temporal.workflow.start('caseDoctorWorkflow', {
      workflowId: doctorId,
      taskQueue: h.config.TEMPORAL_TASK_QUEUE,
      args: [{ everyMs: 3_600_000, minAttempts: 3, maxResets: 3, scanAll: false }],
    });
  });
  afterAll(async () => {
    await h.temporal.workflow
      .getHandle(doctorId)
      .terminate('test over')
      .catch(() => undefined);
    await worker?.stop();
  });

  it.each([
    ['GET', ''],
    ['GET', '/timeline'],
    ['POST', '/assign'],
  ])('%s /v1/complaints/<doctor>%s: 404 not_found', async (method, suffix) => {
    const url = `/v1/complaints/${doctorId}${suffix}`;
    const auth = await supervisor();
    const res =
      method === 'GET'
        ? await request(h.app).get(url).set('authorization', auth)
        : await request(h.app).post(url).set('authorization', auth).send({ agentId: 'agent-7' });
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe('not_found');
  });

  it('GET /v1/complaints/case-doctor: 404 whether or not the doctor runs here', async () => {
    const res = await request(h.app)
      .get('/v1/complaints/case-doctor')
      .set('authorization', await supervisor());
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe('not_found');
  });
});

describe('a console file that is not there', () => {
  it.each([
    '/console/dist/nope.js',
    '/console/dist/../../package.json',
    '/console/dist/%2e%2e/%2e%2e/package.json',
    '/console/dist/a%00b.js',
  ])('%s: 404, naming no file of the server', async (url) => {
    const res = await request(h.app).get(url);
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe('not_found');
    expect(leaksPath(res.body)).toBe(false);
  });

  it('a file that is there is served', async () => {
    const res = await request(h.app).get('/console/dist/main.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
  });
});
