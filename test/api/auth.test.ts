import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
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
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 120)
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
      [
        'no issuer',
        () =>
          base()
            .setProtectedHeader({ alg: 'HS256' })
            .setAudience(h.config.JWT_AUDIENCE)
            .setExpirationTime('1h')
            .sign(secret()),
      ],
      [
        'another issuer',
        () =>
          base()
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer('https://elsewhere.example.com')
            .setAudience(h.config.JWT_AUDIENCE)
            .setExpirationTime('1h')
            .sign(secret()),
      ],
      [
        'no audience',
        () =>
          base()
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer(h.config.JWT_ISSUER)
            .setExpirationTime('1h')
            .sign(secret()),
      ],
      [
        'another audience',
        () =>
          base()
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer(h.config.JWT_ISSUER)
            .setAudience('another-api')
            .setExpirationTime('1h')
            .sign(secret()),
      ],
      [
        'no expiry',
        () =>
          base()
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer(h.config.JWT_ISSUER)
            .setAudience(h.config.JWT_AUDIENCE)
            .sign(secret()),
      ],
      [
        'HS512 with the same secret',
        () =>
          base()
            .setProtectedHeader({ alg: 'HS512' })
            .setIssuer(h.config.JWT_ISSUER)
            .setAudience(h.config.JWT_AUDIENCE)
            .setExpirationTime('1h')
            .sign(secret()),
      ],
      [
        'alg none',
        () =>
          Promise.resolve(
            `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'agent-7', role: 'agent', iss: h.config.JWT_ISSUER, aud: h.config.JWT_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 3600 })}.`,
          ),
      ],
    ])('401 for a token with %s', async (_what, make) => {
      const res = await request(h.app)
        .get('/v1/policy')
        .set('authorization', `Bearer ${await make()}`);
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
  it("403 for a customer opening a case in someone else's name, before anything is looked up", async () => {
    const p = party();
    putOrder(h.sandbox, p);
    const someoneElse = callers('c-someone-else', p.merchantId).customer;
    const res = await request(h.app)
      .post('/v1/complaints')
      .set('authorization', await h.bearer(someoneElse))
      .send(openBody(p));
    expect(res.status).toBe(403);
    expect(errorOf(res)).toMatchObject({ code: 'forbidden', details: [{ path: 'customer.id' }] });
  });
});

describe('the dev secret', () => {
  // Only the API checks tokens: a worker in production needs no JWT secret, so its config does not refuse it.
  const devSecret = loadConfig({ ...process.env, JWT_SECRET: undefined }).JWT_SECRET;
  const appWith = (config: Partial<ApiHarness['config']>) => () =>
    createApp({
      ...h,
      orders: {
        lookupOrder: () => Promise.resolve(null),
        lookupCustomer: () => Promise.resolve({ locale: 'zh-CN', tier: 'regular' }),
        merchantFigures: () => Promise.reject(new Error('not asked')),
      },
      payments: {} as never,
      logger: silent,
      config: { ...h.config, ...config },
    });

  it('stops the API from starting outside development mode, whatever NODE_ENV says', () => {
    for (const NODE_ENV of ['production', 'staging', 'development']) {
      expect(appWith({ NODE_ENV, COMPLAINT_DEV_MODE: false, JWT_SECRET: devSecret })).toThrow(ConfigError);
      expect(appWith({ NODE_ENV, COMPLAINT_DEV_MODE: false, JWT_SECRET: devSecret })).toThrow(/JWT_SECRET/);
    }
  });

  it('lets a deployment start with secrets of its own, and development mode with the dev secret', () => {
    // A deployment's other secrets (carriers' webhook keys) must be its own too; that is not this test's point.
    expect(
      appWith({
        NODE_ENV: 'production',
        COMPLAINT_DEV_MODE: false,
        JWT_SECRET: 'a-production-secret-0123456789-abcd',
        CARRIER_SECRETS: { '*': 'a-carrier-secret-0123456789' },
      }),
    ).not.toThrow();
    expect(appWith({ NODE_ENV: 'development', COMPLAINT_DEV_MODE: true, JWT_SECRET: devSecret })).not.toThrow();
  });
});

/**
 * Token lifetime (docs/api-limits.md): a token lives at most 12 hours from its iat, the clocks may
 * disagree by 30 s, and during a rotation the previous secret is still accepted. Figures written
 * here from the document, not read from config/.
 */
describe('token lifetime and rotation', () => {
  const MAX_AGE_S = 12 * 3600;
  const TOLERANCE_S = 30;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = { sub: 'agent-7', role: 'agent' };
  const token = (secret: string, times: { iat?: number; exp: number }) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(h.config.JWT_ISSUER)
      .setAudience(h.config.JWT_AUDIENCE)
      .setExpirationTime(times.exp);
    return (times.iat === undefined ? jwt : jwt.setIssuedAt(times.iat)).sign(new TextEncoder().encode(secret));
  };
  const call = async (app: ApiHarness['app'], jwt: string) =>
    request(app).get('/v1/policy').set('authorization', `Bearer ${jwt}`);

  it.each([
    ['one signed to live 100 years', () => ({ iat: now(), exp: now() + 100 * 365 * 86_400 })],
    ['one signed to live a second longer than 12 hours', () => ({ iat: now() - 60, exp: now() - 60 + MAX_AGE_S + 1 })],
    ['no iat (its age cannot be told)', () => ({ exp: now() + 3600 })],
    ['an iat well in the future', () => ({ iat: now() + 10 * TOLERANCE_S, exp: now() + 3600 })],
    ['an exp well past, beyond the clock tolerance', () => ({ iat: now() - 3600, exp: now() - 4 * TOLERANCE_S })],
  ])('401 for a token with %s', async (_what, times) => {
    const res = await call(h.app, await token(h.config.JWT_SECRET, times()));
    expect(res.status).toBe(401);
    expect(errorOf(res).code).toBe('unauthenticated');
  });

  it.each([
    ['one living exactly 12 hours', () => ({ iat: now() - 60, exp: now() - 60 + MAX_AGE_S })],
    ['an exp a few seconds past (the clocks may disagree by 30 s)', () => ({ iat: now() - 3600, exp: now() - 5 })],
    ['an iat a few seconds ahead', () => ({ iat: now() + 5, exp: now() + 3600 })],
  ])('200 for a token with %s', async (_what, times) => {
    expect((await call(h.app, await token(h.config.JWT_SECRET, times()))).status).toBe(200);
  });

  it('accepts the previous secret beside the current one while a secret rotates, and no third', async () => {
    const previous = 'the-previous-secret-of-32-bytes-or-more';
    const rotating = createApp({
      ...h,
      payments: {} as never,
      logger: silent,
      orders: {
        lookupOrder: () => Promise.resolve(null),
        lookupCustomer: () => Promise.resolve({ locale: 'zh-CN', tier: 'regular' }),
        merchantFigures: () => Promise.reject(new Error('not asked')),
      },
      config: { ...h.config, JWT_PREVIOUS_SECRET: previous },
    });
    const times = { iat: now(), exp: now() + 3600 };
    expect((await call(rotating, await token(h.config.JWT_SECRET, times))).status).toBe(200);
    expect((await call(rotating, await token(previous, times))).status).toBe(200);
    expect((await call(rotating, await token('a-third-secret-of-32-bytes-or-more-x', times))).status).toBe(401);
    // Without the rotation, the previous secret is just another secret.
    expect((await call(h.app, await token(previous, times))).status).toBe(401);
  });

  it('refuses a previous secret outside development mode unless it is a real one', () => {
    const deployment = {
      NODE_ENV: 'production',
      COMPLAINT_DEV_MODE: false,
      JWT_SECRET: 'a-production-secret-0123456789-abcd',
      CARRIER_SECRETS: { '*': 'a-carrier-secret-0123456789' },
    };
    const app = (JWT_PREVIOUS_SECRET: string) => () =>
      createApp({
        ...h,
        payments: {} as never,
        logger: silent,
        orders: {} as never,
        config: { ...h.config, ...deployment, JWT_PREVIOUS_SECRET },
      });
    expect(app('too-short-previous-secret')).toThrow(/JWT_PREVIOUS_SECRET/);
    expect(app('the-previous-production-secret-0123456789')).not.toThrow();
  });

  describe('npm run token', () => {
    const ROOT = path.resolve(__dirname, '..', '..');
    const run = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'scripts/token.ts', '--role', 'agent', '--sub', 'agent-7', ...args],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            COMPLAINT_DEV_MODE: '1',
            JWT_SECRET: h.config.JWT_SECRET,
            JWT_ISSUER: h.config.JWT_ISSUER,
            JWT_AUDIENCE: h.config.JWT_AUDIENCE,
          },
        },
      );

    it('refuses --expires 100y: the API would refuse the token', async () => {
      const failed = await run('--expires', '100y').then(
        () => null,
        (err: { code?: number; stderr?: string }) => err,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toMatch(/at most 43200 s/);
    });

    it('prints a token the API takes', async () => {
      const { stdout } = await run('--expires', '1h');
      expect((await call(h.app, stdout.trim())).status).toBe(200);
    });
  });
});
