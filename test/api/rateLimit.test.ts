import request from 'supertest';
import { useApiHarness, errorOf } from './support';

const h = useApiHarness({ env: { API_RATE_LIMIT_PER_MINUTE: '3' } });

it('answers 429 in the error shape once a caller is over the limit, and only that caller', async () => {
  const busy = await h.bearer({ sub: 'agent-busy', role: 'agent' });
  const calm = await h.bearer({ sub: 'agent-calm', role: 'agent' });
  for (let i = 0; i < 3; i++) expect((await request(h.app).get('/v1/policy').set('authorization', busy)).status).toBe(200);

  const over = await request(h.app).get('/v1/policy').set('authorization', busy);
  expect(over.status).toBe(429);
  expect(errorOf(over)).toMatchObject({ code: 'rate_limited', details: [] });
  expect(over.headers).toHaveProperty('ratelimit');

  expect((await request(h.app).get('/v1/policy').set('authorization', calm)).status).toBe(200);
});
