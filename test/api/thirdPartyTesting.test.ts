import request from 'supertest';
import { complaintWorkflowId } from '../../shared/identity';
import { eventually } from '../support/poll';
import { callers, errorOf, openBody, party, putOrder, useApiHarness, viewOf } from './support';

/**
 * docs/domain.md §8.6 joint third-party testing, through the API: the proposal names the lab (at most 60
 * characters, only with its own type); the lab's result (`POST /v1/complaints/:id/testing-result`) is
 * recorded by the case's owner, a supervisor or an operations manager, with an https: link to the report
 * and a note, and only while a test waits for it (409 otherwise).
 */

const h = useApiHarness({ worker: true });

type Party = ReturnType<typeof party>;
type Claims = Parameters<typeof h.bearer>[0];

const LAB_MAX = 60;
const as = (p: Party) => callers(p.customerId, p.merchantId);
const idOf = (p: Party) => complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');
const act = async (p: Party, claims: Claims, action: string, body: object) =>
  request(h.app)
    .post(`/v1/complaints/${idOf(p)}/${action}`)
    .set('authorization', await h.bearer(claims))
    .send(body);
const read = async (p: Party, claims: Claims) =>
  request(h.app)
    .get(`/v1/complaints/${idOf(p)}`)
    .set('authorization', await h.bearer(claims));

const RESULT = { defectConfirmed: false, reportUrl: 'https://lab.example.com/r/118.pdf', note: '符合国家标准' };

/** Opened, taken by the agent, answered and investigated: the agent may propose. */
async function readyToPropose(p: Party): Promise<void> {
  putOrder(h.sandbox, p, 12_900);
  const opened = await request(h.app)
    .post('/v1/complaints')
    .set('authorization', await h.bearer(as(p).customer))
    .send(openBody(p));
  expect(opened.status).toBe(201);
  const agent = as(p).agent;
  await eventually(
    () => act(p, agent, 'assign', { agentId: agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
  expect((await act(p, agent, 'first-response', { message: '您好，我们正在核实。' })).status).toBe(200);
  expect(
    (await act(p, agent, 'investigation/brief', { responsibility: 'undetermined', findings: '质量争议' })).status,
  ).toBe(200);
}

describe("the lab's name on the proposal", () => {
  const p = party();
  beforeAll(() => readyToPropose(p));

  it.each([
    ['missing on a third-party test', { type: 'third_party_testing' }],
    ['beside another type', { type: 'exchange', testingLab: 'SGS' }],
    ['longer than 60 characters', { type: 'third_party_testing', testingLab: '检'.repeat(LAB_MAX + 1) }],
    ['blank', { type: 'third_party_testing', testingLab: '   ' }],
  ])('is refused (400, naming testingLab) %s', async (_what, body) => {
    const res = await act(p, as(p).agent, 'resolution', { note: '联合检测', ...body });
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
    const res = await act(p, as(p).agent, 'resolution', {
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
  beforeAll(() => readyToPropose(p));

  it('is refused (409) while no test waits for it', async () => {
    const res = await act(p, as(p).agent, 'testing-result', RESULT);
    expect(res.status).toBe(409);
  });

  it.each([
    ['an http: report link', { ...RESULT, reportUrl: 'http://lab.example.com/r/118.pdf' }, 'reportUrl'],
    ['a javascript: report link', { ...RESULT, reportUrl: 'javascript:alert(1)' }, 'reportUrl'],
    ['no verdict', { reportUrl: RESULT.reportUrl, note: RESULT.note }, 'defectConfirmed'],
    ['a blank note', { ...RESULT, note: ' ' }, 'note'],
  ])('is refused (400) with %s', async (_what, body, field) => {
    const res = await act(p, as(p).agent, 'testing-result', body);
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain(field);
  });

  it('is recorded by the owner once the test waits, never by a party or another agent', async () => {
    const c = as(p);
    expect(
      (await act(p, c.agent, 'resolution', { type: 'third_party_testing', testingLab: 'SGS', note: '联合检测' }))
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
    expect((await act(p, c.customer, 'testing-result', RESULT)).status).toBe(403);
    expect((await act(p, c.merchant, 'testing-result', RESULT)).status).toBe(403);
    expect((await act(p, c.compliance, 'testing-result', RESULT)).status).toBe(403);
    expect((await act(p, { sub: 'agent-9', role: 'agent' }, 'testing-result', RESULT)).status).toBe(403);
    const recorded = await act(p, c.agent, 'testing-result', RESULT);
    expect(recorded.status).toBe(200);
    expect(viewOf(recorded).resolution.testingResult).toMatchObject({ ...RESULT, lab: 'SGS', by: c.agent.sub });
    expect((await act(p, c.agent, 'testing-result', RESULT)).status).toBe(409);
  });

  it('is unknown for a case that does not exist (404)', async () => {
    const ghost = party();
    expect((await act(ghost, as(ghost).agent, 'testing-result', RESULT)).status).toBe(404);
  });
});
