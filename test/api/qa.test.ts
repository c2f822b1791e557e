import request from 'supertest';
import { Role } from '../../shared/domain';
import { writeCase } from '../../store/cases';
import { QaDrawV1, QaReviewListV1, QaReviewV1, QaScoresV1 } from '../../api/routes/qa';
import { caseView } from '../../dev/builders';
import { useApiHarness, callers, errorOf } from './support';

/**
 * Sampling QA (docs/domain.md §11.3): each month 5 % of the cases closed that month (rounded up), at
 * least one of each agent who closed any, drawn once into a queue a supervisor scores against the
 * checklist; the scores per agent in the reports. Cases are written to the projection as closed by
 * the workflow; the month is the platform's (Asia/Shanghai, UTC+8).
 */

const h = useApiHarness();
const as = async (role: Role) => h.bearer(callers('c-qa', 'm-qa')[role]);
const SHARE = 0.05; // docs/domain.md §11.3: 5 % of a month's closed cases
const CHECKLIST = ['first_response_timely', 'wording', 'solution_fit', 'record_complete', 'follow_up'];
const pass = (solutionFit = true) => ({
  checks: Object.fromEntries(
    CHECKLIST.map((item) => [
      item,
      item === 'solution_fit' ? { pass: solutionFit, note: solutionFit ? '' : '优惠券即可' } : { pass: true },
    ]),
  ),
});

let n = 0;
const closed = (agent: string | null, closedAt: string, status: 'closed' | 'in_progress' = 'closed') => {
  const id = `cmp.c-qa-${n++}.o-1.quality_defect`;
  return caseView({
    complaintId: id,
    owner: agent,
    status,
    closedAt: status === 'closed' ? closedAt : null,
    closeReason: status === 'closed' ? 'resolved' : null,
    createdAt: '2026-08-01T02:00:00.000Z',
  });
};
const times = (count: number, make: () => ReturnType<typeof closed>) => Array.from({ length: count }, make);
const ids = { octC: '', novD: '', open: '' };

async function draw(month: string, role: Role = 'supervisor') {
  return request(h.app)
    .post('/v1/qa/draws')
    .set('authorization', await as(role))
    .send({ month });
}
const drawOf = (res: request.Response) => QaDrawV1.parse(res.body);
async function queue(query: string) {
  return QaReviewListV1.parse(
    (
      await request(h.app)
        .get(`/v1/qa/reviews?${query}`)
        .set('authorization', await as('supervisor'))
    ).body,
  ).items;
}

beforeAll(async () => {
  // October in Beijing: agent-a 50, agent-b 9, agent-c 1 (closed 00:30 on 1 October, Beijing: still October) = 60.
  const c = closed('agent-c', '2026-09-30T16:30:00.000Z');
  // 00:30 on 1 November in Beijing: November's, though 31 October in UTC.
  const d = closed('agent-d', '2026-10-31T16:30:00.000Z');
  const open = closed('agent-e', '', 'in_progress');
  Object.assign(ids, { octC: c.complaintId, novD: d.complaintId, open: open.complaintId });
  const october = [
    ...times(50, () => closed('agent-a', '2026-10-10T02:00:00.000Z')),
    ...times(9, () => closed('agent-b', '2026-10-20T02:00:00.000Z')),
    c,
  ];
  // September: agent-a 100, agent-b 1 = 101.
  const september = [
    ...times(100, () => closed('agent-a', '2026-09-10T02:00:00.000Z')),
    closed('agent-b', '2026-09-11T02:00:00.000Z'),
  ];
  // August: 30 cases of agent-a, drawn by two callers at once.
  const august = times(30, () => closed('agent-a', '2026-08-10T02:00:00.000Z'));
  await Promise.all([...october, ...september, ...august, d, open].map((v) => writeCase(h.db.cases, v, 1)));
});

describe('who may do what (from the rules: supervisors and operations draw, read the queue and the report; a supervisor scores)', () => {
  const EXPECTED: Record<string, Partial<Record<Role, 'let through'>>> = {
    draw: { supervisor: 'let through', ops_manager: 'let through' },
    queue: { supervisor: 'let through', ops_manager: 'let through' },
    score: { supervisor: 'let through' },
    report: { supervisor: 'let through', ops_manager: 'let through' },
  };
  const call = async (what: string, role: Role) => {
    const auth = await as(role);
    if (what === 'draw')
      return request(h.app).post('/v1/qa/draws').set('authorization', auth).send({ month: '2026-01' });
    if (what === 'queue') return request(h.app).get('/v1/qa/reviews').set('authorization', auth);
    if (what === 'score')
      return request(h.app).post(`/v1/qa/reviews/${ids.open}/score`).set('authorization', auth).send(pass());
    return request(h.app).get('/v1/reports/qa').set('authorization', auth);
  };
  const rows = Object.keys(EXPECTED).flatMap((what) => Role.options.map((role) => [what, role] as const));

  it.each(rows)('%s as %s', async (what, role) => {
    const res = await call(what, role);
    if (EXPECTED[what]?.[role]) expect([400, 401, 403, 404]).not.toContain(res.status);
    else expect([res.status, errorOf(res).code]).toEqual([403, 'forbidden']);
  });
});

describe('the monthly draw', () => {
  it("draws 5 % rounded up, at least one of each agent who closed a case in the month, in the platform's month", async () => {
    const res = await draw('2026-10');
    expect(res.status).toBe(201);
    // 60 closed: 5 % is 3; three agents closed cases, so one each meets both rules.
    const drawn = drawOf(res);
    expect(drawn).toMatchObject({
      month: '2026-10',
      population: 60,
      share: SHARE,
      minPerAgent: 1,
      timeZone: 'Asia/Shanghai',
    });
    expect(drawn.complaintIds).toHaveLength(Math.max(Math.ceil(SHARE * 60), 3));
    expect(drawn.complaintIds).toContain(ids.octC);
    expect(drawn.complaintIds).not.toContain(ids.novD);
    const items = await queue('month=2026-10');
    expect(items.map((r) => r.agentId).sort()).toEqual(['agent-a', 'agent-b', 'agent-c']);
    expect(items.every((r) => r.status === 'pending')).toBe(true);
  });

  it("rounds the share up and still takes the agent with one case: 101 closed → 6, agent-b's one among them", async () => {
    const res = await draw('2026-09', 'ops_manager');
    expect(res.status).toBe(201);
    expect(drawOf(res).population).toBe(101);
    expect(drawOf(res).complaintIds).toHaveLength(Math.ceil(SHARE * 101));
    expect(await queue('month=2026-09&agentId=agent-b')).toHaveLength(1);
  });

  it('drawing a month again answers the recorded draw (200), the same sample and seed', async () => {
    const first = drawOf(await draw('2026-10'));
    const again = await draw('2026-10', 'ops_manager');
    expect(again.status).toBe(200);
    expect(drawOf(again)).toEqual(first);
  });

  it('two callers drawing a new month at once get one draw', async () => {
    const [a, b] = await Promise.all([draw('2026-08'), draw('2026-08', 'ops_manager')]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(drawOf(a).complaintIds).toEqual(drawOf(b).complaintIds);
    expect(drawOf(a).complaintIds).toHaveLength(Math.ceil(SHARE * 30));
    expect(await queue('month=2026-08')).toHaveLength(Math.ceil(SHARE * 30));
  });

  it('a month not ended yet is refused (409); a malformed month is a 400 naming it', async () => {
    const now = new Date();
    const running = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    expect((await draw(running)).status).toBe(409);
    for (const month of ['2026-13', '2026-1', 'October']) {
      const res = await draw(month);
      expect(res.status).toBe(400);
      expect(errorOf(res).details.map((d) => d.path)).toEqual(['month']);
    }
  });
});

describe('scoring and the report per agent', () => {
  it('a supervisor scores a drawn case item by item; the report counts it for its agent', async () => {
    const ofA = (await queue('month=2026-10')).find((r) => r.agentId === 'agent-a')?.complaintId;
    const res = await request(h.app)
      .post(`/v1/qa/reviews/${ofA}/score`)
      .set('authorization', await as('supervisor'))
      .send(pass(false));
    expect(res.status).toBe(200);
    const review = QaReviewV1.parse(res.body);
    expect(review).toMatchObject({ complaintId: ofA, status: 'scored', passed: 4, reviewer: 'sup-1' });
    expect(review.checks?.map((c) => c.label)).toEqual([
      '首次响应及时',
      '用语规范',
      '方案合理',
      '记录完整',
      '回访完成',
    ]);
    expect(review.checks?.find((c) => c.item === 'solution_fit')).toMatchObject({ pass: false, note: '优惠券即可' });

    const report = await request(h.app)
      .get('/v1/reports/qa?month=2026-10')
      .set('authorization', await as('ops_manager'));
    expect(report.status).toBe(200);
    const byAgent = new Map(QaScoresV1.parse(report.body).agents.map((a) => [a.agentId, a] as const));
    expect(byAgent.get('agent-a')).toMatchObject({ drawn: 1, scored: 1, passRate: 4 / 5 });
    expect(byAgent.get('agent-a')?.items.solution_fit).toEqual({ pass: 0, fail: 1 });
    expect(byAgent.get('agent-b')).toMatchObject({ drawn: 1, scored: 0, passRate: null });
  });

  it('every item of the checklist is needed (400 names the missing one); a case not drawn is 409, no such case 404', async () => {
    const drawn = (await queue('month=2026-10'))[0]?.complaintId;
    const four = Object.fromEntries(Object.entries(pass().checks).filter(([item]) => item !== 'follow_up'));
    const partial = await request(h.app)
      .post(`/v1/qa/reviews/${drawn}/score`)
      .set('authorization', await as('supervisor'))
      .send({ checks: four });
    expect(partial.status).toBe(400);
    expect(errorOf(partial).details.map((d) => d.path)).toEqual(['checks.follow_up']);
    const notDrawn = await request(h.app)
      .post(`/v1/qa/reviews/${ids.open}/score`)
      .set('authorization', await as('supervisor'))
      .send(pass());
    expect([notDrawn.status, errorOf(notDrawn).code]).toEqual([409, 'wrong_stage']);
    expect(
      (
        await request(h.app)
          .post('/v1/qa/reviews/cmp.nobody.o-1.quality_defect/score')
          .set('authorization', await as('supervisor'))
          .send(pass())
      ).status,
    ).toBe(404);
  });
});
