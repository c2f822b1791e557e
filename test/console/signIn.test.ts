import request from 'supertest';
import { errorOf, useApiHarness } from '../api/support';

/**
 * In dev the console's sign-in page mints a dev token for the role and id a person picks (and the
 * department of a department's staff, docs/domain.md §6.5);
 * outside development mode that page is gone and the console expects a real token.
 */

describe('the console in dev', () => {
  const h = useApiHarness();

  it('mints a token for a staff role that the public API accepts', async () => {
    expect((await request(h.app).get('/console/config.json')).body).toMatchObject({
      devSignIn: true,
      timeZone: 'Asia/Shanghai',
    });
    const minted = await request(h.app).post('/console/dev-token').send({ role: 'agent', sub: 'agent-7' });
    expect(minted.status).toBe(200);
    const list = await request(h.app)
      .get('/v1/complaints')
      .set('authorization', `Bearer ${(minted.body as { token: string }).token}`);
    expect(list.status).toBe(200);
  });

  it("mints a department's staff a token with its department claim, and refuses a department that is no identifier", async () => {
    const minted = await request(h.app)
      .post('/console/dev-token')
      .send({ role: 'agent', sub: 'pt-1', department: 'product' });
    expect(minted.status).toBe(200);
    const [, payload] = (minted.body as { token: string }).token.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toMatchObject({
      sub: 'pt-1',
      role: 'agent',
      department: 'product',
    });
    const bad = await request(h.app)
      .post('/console/dev-token')
      .send({ role: 'agent', sub: 'pt-1', department: 'product team' });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).details).toEqual([expect.objectContaining({ path: 'department' })]);
  });

  it('mints none for the parties of a case, who have their own apps, and names the field at fault', async () => {
    const res = await request(h.app).post('/console/dev-token').send({ role: 'customer', sub: 'c-1' });
    expect(res.status).toBe(400);
    expect(errorOf(res).details).toEqual([expect.objectContaining({ path: 'role' })]);
  });

  it('serves the page', async () => {
    const res = await request(h.app).get('/console/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('/console/dist/main.js');
    expect((await request(h.app).get('/console/dist/main.js')).status).toBe(200);
  });
});

describe('the console in production', () => {
  // Outside development mode the dev secrets are refused, so this API has its own.
  const h = useApiHarness({
    env: {
      NODE_ENV: 'production',
      COMPLAINT_DEV_MODE: '0',
      JWT_SECRET: 'console-test-jwt-secret-of-32-bytes-or-more',
      CARRIER_SECRETS: '*=console-test-carrier-secret',
    },
  });

  it('has no dev sign-in: the console asks for a real token', async () => {
    expect((await request(h.app).post('/console/dev-token').send({ role: 'agent', sub: 'agent-7' })).status).toBe(404);
    expect((await request(h.app).get('/console/config.json')).body).toMatchObject({ devSignIn: false });
    expect((await request(h.app).get('/console/')).status).toBe(200);
  });
});
