import path from 'node:path';

/**
 * The console sends a request once more when the API answers 503 `unavailable` with Retry-After
 * (nothing was changed: the case was between two steps, or a server refused), before it shows an
 * error; without Retry-After an action may still be taken, so it is not sent again.
 */

// Loaded at run time: the console's code is typed against the browser's library (console/tsconfig.json), not Node's.
const consoleApi = jest.requireActual<{
  api: <T>(path: string, init?: { method?: string; body?: unknown }) => Promise<T>;
  ApiFailure: new (...args: never[]) => Error;
}>(path.resolve(__dirname, '../../console/src/api.ts'));
const { api, ApiFailure } = consoleApi;

type Answer = { status: number; body: unknown; headers?: Record<string, string> };
let answers: Answer[];
let calls: Array<{ url: string; method: string; body: unknown }>;

beforeEach(() => {
  calls = [];
  (globalThis as { sessionStorage?: unknown }).sessionStorage = {
    getItem: () => JSON.stringify({ token: 't', role: 'agent', sub: 'agent-7' }),
    setItem: () => undefined,
    removeItem: () => undefined,
  };
  globalThis.fetch = ((url: string, init: { method: string; body?: string }) => {
    calls.push({ url, method: init.method, body: init.body === undefined ? undefined : JSON.parse(init.body) });
    const a = answers[Math.min(calls.length, answers.length) - 1];
    return Promise.resolve(
      new Response(JSON.stringify(a.body), {
        status: a.status,
        headers: { 'content-type': 'application/json', ...a.headers },
      }),
    );
  }) as typeof fetch;
});

const unavailable = (headers?: Record<string, string>): Answer => ({
  status: 503,
  body: { error: { code: 'unavailable', message: 'between two steps', details: [] } },
  headers,
});
const ok: Answer = { status: 200, body: { complaintId: 'cmp-1', owner: 'agent-7' } };

it('an action answered 503 unavailable with Retry-After is sent once more, the same request, and its answer shown', async () => {
  answers = [unavailable({ 'retry-after': '0' }), ok];
  await expect(api('/v1/complaints/cmp-1/assign', { method: 'POST', body: { agentId: 'agent-7' } })).resolves.toEqual(
    ok.body,
  );
  expect(calls).toHaveLength(2);
  expect(calls[1]).toEqual(calls[0]);
  expect(calls[0]).toEqual({ url: '/v1/complaints/cmp-1/assign', method: 'POST', body: { agentId: 'agent-7' } });
});

it('only once: a second 503 is shown as the error', async () => {
  answers = [unavailable({ 'retry-after': '0' }), unavailable({ 'retry-after': '0' }), ok];
  const err: unknown = await api('/v1/complaints/cmp-1/assign', { method: 'POST', body: { agentId: 'agent-7' } }).catch(
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiFailure);
  expect(err).toMatchObject({ status: 503, code: 'unavailable' });
  expect(calls).toHaveLength(2);
});

it('a 503 without Retry-After (the action may still be taken) is not sent again', async () => {
  answers = [unavailable(), ok];
  await expect(
    api('/v1/complaints/cmp-1/assign', { method: 'POST', body: { agentId: 'agent-7' } }),
  ).rejects.toMatchObject({ status: 503, code: 'unavailable' });
  expect(calls).toHaveLength(1);
});

it('other errors are not sent again', async () => {
  answers = [
    {
      status: 409,
      body: { error: { code: 'wrong_stage', message: 'no', details: [] } },
      headers: { 'retry-after': '0' },
    },
    ok,
  ];
  await expect(
    api('/v1/complaints/cmp-1/assign', { method: 'POST', body: { agentId: 'agent-7' } }),
  ).rejects.toMatchObject({ status: 409 });
  expect(calls).toHaveLength(1);
});
