import request from 'supertest';
import { complaintWorkflowId } from '../../shared/identity';
import { unreachableStore } from '../store/fixtures';
import {
  healthOf,
  errorOf,
  callers,
  openBody,
  party,
  putOrder,
  startApi,
  unreachableTemporal,
  type ApiHarness,
} from './support';

const p = party();
const as = callers(p.customerId, p.merchantId);

describe('Temporal unreachable', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi({ temporal: unreachableTemporal() });
    putOrder(h.sandbox, p);
  });
  afterAll(async () => {
    await h.close();
    await h.temporal.connection.close();
  });

  it('opening a case answers 503 and writes nothing', async () => {
    const res = await request(h.app)
      .post('/v1/complaints')
      .set('authorization', await h.bearer(as.customer))
      .send(openBody(p));
    expect(res.status).toBe(503);
    expect(errorOf(res)).toMatchObject({ code: 'unavailable', details: [] });
    const id = complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');
    expect(await h.db.cases.countDocuments({})).toBe(0);
    expect(await h.db.audit.countDocuments({ complaintId: id })).toBe(0);
  });

  it('an action answers 503, never 500', async () => {
    const res = await request(h.app)
      .post('/v1/complaints/cmp-any/assign')
      .set('authorization', await h.bearer(as.agent))
      .send({ agentId: 'agent-7' });
    expect(res.status).toBe(503);
    expect(errorOf(res).code).toBe('unavailable');
  });

  it('reading a case answers 503 (not a stale projection, not 404)', async () => {
    const res = await request(h.app)
      .get('/v1/complaints/cmp-any')
      .set('authorization', await h.bearer(as.agent));
    expect(res.status).toBe(503);
  });

  it("a caller's mistake is still 400, without asking Temporal", async () => {
    const res = await request(h.app)
      .post('/v1/complaints')
      .set('authorization', await h.bearer(as.agent))
      .send({});
    expect(res.status).toBe(400);
  });

  it('GET /readyz answers 503 naming Temporal', async () => {
    const res = await request(h.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'unavailable', checks: { mongodb: 'ok' } });
    expect(healthOf(res).checks?.temporal).not.toBe('ok');
  });
});

describe('MongoDB unreachable', () => {
  let h: ApiHarness;
  const db = unreachableStore();
  beforeAll(async () => {
    h = await startApi({ db, seedPolicy: false });
  });
  afterAll(async () => {
    await h.close();
    await db.connection.close();
  });

  it('listing cases answers 503', async () => {
    const res = await request(h.app)
      .get('/v1/complaints')
      .set('authorization', await h.bearer(as.supervisor));
    expect(res.status).toBe(503);
    expect(errorOf(res).code).toBe('unavailable');
  });

  it('a report answers 503', async () => {
    const res = await request(h.app)
      .get('/v1/reports/summary?from=2026-11-01T00:00:00%2B08:00&to=2026-12-01T00:00:00%2B08:00')
      .set('authorization', await h.bearer(as.ops_manager));
    expect(res.status).toBe(503);
  });

  it('GET /readyz answers 503 naming MongoDB', async () => {
    const res = await request(h.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(healthOf(res).checks).toMatchObject({ temporal: 'ok' });
    expect(healthOf(res).checks?.mongodb).not.toBe('ok');
  });
});
