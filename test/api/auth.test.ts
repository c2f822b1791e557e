import { SignJWT } from 'jose';
import request from 'supertest';
import { signToken } from '../../api/auth';
import { createApp } from '../../api/app';
import { ConfigError, loadConfig } from '../../config';
import { useApiHarness, errorOf, callers, openBody, party, putOrder, silent, type ApiHarness } from './support';

const h = useApiHarness();

const sign = (payload: Record<string, unknown>, secret: string, expires = '1h') =>
  new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(h.config.JWT_ISSUER)
    .setAudience(h.config.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(new TextEncoder().encode(secret));

describe('authentication', () => {
  it.each([
    ['no Authorization header', undefined],
    ['another scheme', 'Basic YWdlbnQ6cGFzcw=='],
    ['an empty bearer', 'Bearer '],
    ['a token that is not a JWT', 'Bearer not.a.token'],
  ])('401 for %s', async (_what, header) => {
    const req = request(h.app).get('/v1/policy');
    const res = await (header ? req.set('authorization', header) : req);
    expect(res.status).toBe(401);
    expect(errorOf(res)).toMatchObject({ code: 'unauthenticated', details: [] });
  });

  it('401 for a token signed with another secret', async () => {
    const token = await sign({ sub: 'agent-7', role: 'agent' }, 'someone-elses-secret-123456');
    const res = await request(h.app).get('/v1/policy').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
  });

  it('401 for an expired token', async () => {
    const token = await new SignJWT({ sub: 'agent-7', role: 'agent' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(h.config.JWT_ISSUER)
      .setAudience(h.config.JWT_AUDIENCE)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(h.config.JWT_SECRET));
    const res = await request(h.app).get('/v1/policy').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(errorOf(res).message).toMatch(/expired/);
  });

  it.each([
    ['an unknown role', { sub: 'x', role: 'admin' }],
    ['no subject', { role: 'agent' }],
    ['a merchant without merchantId', { sub: 'm', role: 'merchant' }],
    ['a customer without customerId', { sub: 'c', role: 'customer' }],
  ])('401 for a valid signature over %s', async (_what, claims) => {
    const token = await sign(claims, h.config.JWT_SECRET);
    const res = await request(h.app).get('/v1/complaints/anything').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
  });

  describe('issuer, audience, expiry and algorithm', () => {
    const secret = () => new TextEncoder().encode(h.config.JWT_SECRET);
    const base = () => new SignJWT({ role: 'agent' }).setSubject('agent-7').setIssuedAt();
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    it.each([
      ['no issuer', () => base().setProtectedHeader({ alg: 'HS256' }).setAudience(h.config.JWT_AUDIENCE).setExpirationTime('1h').sign(secret())],
      ['another issuer', () => base().setProtectedHeader({ alg: 'HS256' }).setIssuer('https://elsewhere.example.com').setAudience(h.config.JWT_AUDIENCE).setExpirationTime('1h').sign(secret())],
      ['no audience', () => base().setProtectedHeader({ alg: 'HS256' }).setIssuer(h.config.JWT_ISSUER).setExpirationTime('1h').sign(secret())],
      ['another audience', () => base().setProtectedHeader({ alg: 'HS256' }).setIssuer(h.config.JWT_ISSUER).setAudience('another-api').setExpirationTime('1h').sign(secret())],
      ['no expiry', () => base().setProtectedHeader({ alg: 'HS256' }).setIssuer(h.config.JWT_ISSUER).setAudience(h.config.JWT_AUDIENCE).sign(secret())],
      ['HS512 with the same secret', () => base().setProtectedHeader({ alg: 'HS512' }).setIssuer(h.config.JWT_ISSUER).setAudience(h.config.JWT_AUDIENCE).setExpirationTime('1h').sign(secret())],
      ['alg none', () => Promise.resolve(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'agent-7', role: 'agent', iss: h.config.JWT_ISSUER, aud: h.config.JWT_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 3600 })}.`)],
    ])('401 for a token with %s', async (_what, make) => {
      const res = await request(h.app).get('/v1/policy').set('authorization', `Bearer ${await make()}`);
      expect(res.status).toBe(401);
      expect(errorOf(res).code).toBe('unauthenticated');
    });
  });

  it('lets a good token through', async () => {
    const token = await signToken(h.config.JWT_SECRET, { sub: 'agent-7', role: 'agent' });
    const res = await request(h.app).get('/v1/policy').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    // Version 1, which the API seeds from the start-up policy.
    expect(res.body).toEqual({ ...h.config.policy, version: '1' });
  });

  it('checks the token before reading the body', async () => {
    const res = await request(h.app).post('/v1/complaints').set('content-type', 'application/json').send('{"broken');
    expect(res.status).toBe(401);
  });
});

describe('who may open a case for whom', () => {
  it('403 for a customer opening a case in someone else\'s name, before anything is looked up', async () => {
    const p = party();
    putOrder(h.sandbox, p);
    const someoneElse = callers('c-someone-else', p.merchantId).customer;
    const res = await request(h.app).post('/v1/complaints').set('authorization', await h.bearer(someoneElse)).send(openBody(p));
    expect(res.status).toBe(403);
    expect(errorOf(res)).toMatchObject({ code: 'forbidden', details: [{ path: 'customer.id' }] });
  });
});

describe('the dev secret', () => {
  // Only the API checks tokens: a worker in production needs no JWT secret, so its config does not refuse it.
  const devSecret = loadConfig({ ...process.env, JWT_SECRET: undefined }).JWT_SECRET;
  const appWith = (config: Partial<ApiHarness['config']>) => () =>
    createApp({ ...h, orders: { lookupOrder: () => Promise.resolve(null), lookupCustomer: () => Promise.resolve({ locale: 'zh-CN', tier: 'regular' }) }, payments: {} as never, logger: silent, config: { ...h.config, ...config } });

  it('stops the API from starting outside development mode, whatever NODE_ENV says', () => {
    for (const NODE_ENV of ['production', 'staging', 'development']) {
      expect(appWith({ NODE_ENV, COMPLAINT_DEV_MODE: false, JWT_SECRET: devSecret })).toThrow(ConfigError);
      expect(appWith({ NODE_ENV, COMPLAINT_DEV_MODE: false, JWT_SECRET: devSecret })).toThrow(/JWT_SECRET/);
    }
  });

  it('lets a deployment start with secrets of its own, and development mode with the dev secret', () => {
    // A deployment's other secrets (carriers' webhook keys) must be its own too; that is not this test's point.
    expect(appWith({ NODE_ENV: 'production', COMPLAINT_DEV_MODE: false, JWT_SECRET: 'a-production-secret-0123456789-abcd', CARRIER_SECRETS: { '*': 'a-carrier-secret-0123456789' } })).not.toThrow();
    expect(appWith({ NODE_ENV: 'development', COMPLAINT_DEV_MODE: true, JWT_SECRET: devSecret })).not.toThrow();
  });
});
