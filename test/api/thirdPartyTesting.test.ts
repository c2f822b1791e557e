import request from 'supertest';
import { eventually } from '../support/poll';
import {
  act,
  callers,
  complaintIdOf,
  errorOf,
  party,
  readyToPropose,
  useApiHarness,
  viewOf,
  type Party,
} from './support';

/**
 * docs/domain.md §8.6 joint third-party testing, through the API: the proposal names the lab (at most 60
 * characters, only with its own type); the lab's result (`POST /v1/complaints/:id/testing-result`) is
 * recorded by the case's owner, a supervisor or an operations manager, with an https: link to the report
 * and a note, and only while a test waits for it (409 otherwise).
 */

const h = useApiHarness({ worker: true });

type Claims = Parameters<typeof h.bearer>[0];

const LAB_MAX = 60;
const as = (p: Party) => callers(p.customerId, p.merchantId);
const read = async (p: Party, claims: Claims) =>
  request(h.app)
    .get(`/v1/complaints/${complaintIdOf(p)}`)
    .set('authorization', await h.bearer(claims));

const RESULT = { defectConfirmed: false, reportUrl: 'https://lab.example.com/r/118.pdf', note: '符合国家标准' };

const BRIEF = { responsibility: 'undetermined', findings: '质量争议' } as const;

describe("the lab's name on the proposal", () => {
  const p = party();
  beforeAll(() => readyToPropose(h, p, BRIEF));

  it.each([
    ['missing on a third-party test', { type: 'third_party_testing' }],
    ['beside another type', { type: 'exchange', testingLab: 'SGS' }],
    ['longer than 60 characters', { type: 'third_party_testing', testingLab: '检'.repeat(LAB_MAX + 1) }],
    ['blank', { type: 'third_party_testing', testingLab: '   ' }],
  ])('is refused (400, naming testingLab) %s', async (_what, body) => {
    const res = await act(h, p, as(p).agent, 'resolution', { note: '联合检测', ...body });
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain('testingLab');
  });

  it('is published in the contract', async () => {
    const doc = (await request(h.app).get('/openapi.json')).body as {
      paths: Record<string, { post: { requestBody: { content: Record<string, { schema: unknown }> } } }>;
    };
    const schema = doc.paths['/v1/complaints/{id}/resolution'].post.requestBody.content['application/json'].schema as {
      properties: Record<string, { maxLength?: number }>;
    };
    expect(schema.properties.testingLab).toMatchObject({ maxLength: LAB_MAX });
    expect(doc.paths['/v1/complaints/{id}/testing-result']).toBeDefined();
  });

  it('of 60 characters is taken, by the agent alone', async () => {
    const res = await act(h, p, as(p).agent, 'resolution', {
      type: 'third_party_testing',
      testingLab: '检'.repeat(LAB_MAX),
      note: '联合检测',
    });
    expect(res.status).toBe(200);
    expect(viewOf(res).resolution.approval?.required).toBe(false);
  });
});

describe("the lab's result", () => {
  const p = party();
  beforeAll(() => readyToPropose(h, p, BRIEF));

  it('is refused (409) while no test waits for it', async () => {
    const res = await act(h, p, as(p).agent, 'testing-result', RESULT);
    expect(res.status).toBe(409);
  });

  it.each([
    ['an http: report link', { ...RESULT, reportUrl: 'http://lab.example.com/r/118.pdf' }, 'reportUrl'],
    ['a javascript: report link', { ...RESULT, reportUrl: 'javascript:alert(1)' }, 'reportUrl'],
    ['no verdict', { reportUrl: RESULT.reportUrl, note: RESULT.note }, 'defectConfirmed'],
    ['a blank note', { ...RESULT, note: ' ' }, 'note'],
  ])('is refused (400) with %s', async (_what, body, field) => {
    const res = await act(h, p, as(p).agent, 'testing-result', body);
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain(field);
  });

  it('is recorded by the owner once the test waits, never by a party or another agent', async () => {
    const c = as(p);
    expect(
      (await act(h, p, c.agent, 'resolution', { type: 'third_party_testing', testingLab: 'SGS', note: '联合检测' }))
        .status,
    ).toBe(200);
    await eventually(
      () => read(p, c.agent),
      (r) =>
        r.status === 200 &&
        viewOf(r).resolution.steps.some((s) => s.name === 'third_party_testing' && s.status === 'waiting'),
      'the test waiting for the lab',
      60_000,
    );
    expect((await act(h, p, c.customer, 'testing-result', RESULT)).status).toBe(403);
    expect((await act(h, p, c.merchant, 'testing-result', RESULT)).status).toBe(403);
    expect((await act(h, p, c.compliance, 'testing-result', RESULT)).status).toBe(403);
    expect((await act(h, p, { sub: 'agent-9', role: 'agent' }, 'testing-result', RESULT)).status).toBe(403);
    const recorded = await act(h, p, c.agent, 'testing-result', RESULT);
    expect(recorded.status).toBe(200);
    expect(viewOf(recorded).resolution.testingResult).toMatchObject({ ...RESULT, lab: 'SGS', by: c.agent.sub });
    expect((await act(h, p, c.agent, 'testing-result', RESULT)).status).toBe(409);
  });

  it('is unknown for a case that does not exist (404)', async () => {
    const ghost = party();
    expect((await act(h, ghost, as(ghost).agent, 'testing-result', RESULT)).status).toBe(404);
  });
});
