import request from 'supertest';
import { useApiHarness, errorOf } from './support';

const h = useApiHarness();

describe('health, readiness, metrics', () => {
  it('GET /healthz answers 200', async () => {
    expect((await request(h.app).get('/healthz')).body).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when Temporal and MongoDB answer', async () => {
    const res = await request(h.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { temporal: 'ok', mongodb: 'ok' } });
  });

  it('GET /metrics counts requests by route template, not raw path', async () => {
    const auth = await h.bearer({ sub: 'agent-7', role: 'agent' });
    await request(h.app).get('/v1/policy').set('authorization', auth);
    await request(h.app).get('/v1/complaints/cmp-nope-1').set('authorization', auth);
    const res = await request(h.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      'http_request_duration_seconds_count{method="GET",route="GET /v1/policy",status="200"} 1',
    );
    expect(res.text).toContain('route="GET /v1/complaints/:id",status="404"');
    expect(res.text).not.toContain('cmp-nope-1');
  });
});

describe('every answer carries a request id; unknown routes are 404 in the error shape', () => {
  it('echoes a caller request id', async () => {
    const res = await request(h.app).get('/healthz').set('x-request-id', 'trace-123');
    expect(res.headers['x-request-id']).toBe('trace-123');
  });

  it('404 for a route that does not exist', async () => {
    const res = await request(h.app).get('/v2/nothing');
    expect(res.status).toBe(404);
    expect(errorOf(res)).toMatchObject({ code: 'not_found', details: [], requestId: res.headers['x-request-id'] });
  });
});

describe('GET /v1/policy', () => {
  it('answers the policy new cases open with: version 1, seeded from the start-up policy', async () => {
    const res = await request(h.app)
      .get('/v1/policy')
      .set('authorization', await h.bearer({ sub: 'sup-1', role: 'supervisor' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...h.config.policy, version: '1' });
  });
});
