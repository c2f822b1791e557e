import request from 'supertest';
import { caseView } from '../../dev/builders';
import { SlaPolicy } from '../../shared/policy';
import { writeCase } from '../../store/cases';
import { activeVersion, createDraft, publishVersion } from '../../store/policyVersions';
import { useApiHarness, callers, errorOf, openBody, party, putOrder, viewOf, type ApiHarness } from './support';

/**
 * What the helpdesks have (docs/helpdesks.md), through HTTP: staff correct the category (agent on its own case) and the priority
 * (supervisor), each with a reason, and nobody else can; the case view says when the case is
 * expected to be done and how much of each running deadline's window is used.
 */

const h = useApiHarness({ worker: true });
const p = party();
const as = callers(p.customerId, p.merchantId);
const otherAgent = { sub: 'agent-8', role: 'agent' as const };
let id: string;

beforeAll(async () => {
  putOrder(h.sandbox, p);
  const opened = await request(h.app)
    .post('/v1/complaints')
    .set('authorization', await h.bearer(as.customer))
    .send(openBody(p));
  expect(opened.status).toBe(201);
  id = viewOf(opened).complaintId;
  const assigned = await request(h.app)
    .post(`/v1/complaints/${id}/assign`)
    .set('authorization', await h.bearer(as.agent))
    .send({ agentId: as.agent.sub });
  expect(assigned.status).toBe(200);
});

const post = async (claims: Parameters<ApiHarness['bearer']>[0], path: string, body: object) =>
  request(h.app)
    .post(`/v1/complaints/${id}${path}`)
    .set('authorization', await h.bearer(claims))
    .send(body);

describe('staff correct the machine', () => {
  const classification = {
    category: 'product',
    subType: 'not_as_described',
    reason: 'The photos show the wrong colour, not a defect',
  };

  it('the owning agent changes the sub-type with a reason; the timeline says who and why', async () => {
    const res = await post(as.agent, '/classification', classification);
    expect(res.status).toBe(200);
    expect(viewOf(res)).toMatchObject({ category: 'product', subType: 'not_as_described' });
    const timeline = await request(h.app)
      .get(`/v1/complaints/${id}/timeline`)
      .set('authorization', await h.bearer(as.supervisor));
    const entry = (
      timeline.body as Array<{ action: string; actor: { sub: string }; detail: { reason?: string } }>
    ).find((e) => e.action === 'reclassified');
    expect(entry).toMatchObject({ actor: { sub: as.agent.sub }, detail: { reason: classification.reason } });
  });

  it('refuses a customer, a merchant and an agent who does not own the case (403)', async () => {
    for (const caller of [as.customer, as.merchant, otherAgent])
      expect((await post(caller, '/classification', { ...classification, subType: 'expired' })).status).toBe(403);
  });

  it('refuses a sub-type of another category and a missing reason (400, naming the field)', async () => {
    const mismatch = await post(as.agent, '/classification', { category: 'product', subType: 'lost', reason: 'x' });
    expect(mismatch.status).toBe(400);
    expect(errorOf(mismatch).details.map((d) => d.path)).toContain('subType');
    const noReason = await post(as.agent, '/classification', { category: 'product', subType: 'expired' });
    expect(noReason.status).toBe(400);
    expect(errorOf(noReason).details.map((d) => d.path)).toContain('reason');
  });

  it('a supervisor sets the priority with a reason; an agent or the customer cannot; the same again is 409', async () => {
    const body = { priority: 'high', reason: 'The customer reports a burn from the kettle' };
    expect((await post(as.agent, '/priority', body)).status).toBe(403);
    expect((await post(as.customer, '/priority', body)).status).toBe(403);
    const res = await post(as.supervisor, '/priority', body);
    expect(res.status).toBe(200);
    expect(viewOf(res).priority).toBe('high');
    const again = await post(as.supervisor, '/priority', body);
    expect(again.status).toBe(409);
  });
});

describe('what the case view says of time', () => {
  it('the customer sees when the case is expected to be done, in Simplified Chinese and Beijing time', async () => {
    const res = await request(h.app)
      .get(`/v1/complaints/${id}`)
      .set('authorization', await h.bearer(as.customer));
    const v = viewOf(res);
    expect(v.expectedBy).toMatchObject({ locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(v.expectedBy!.at).toMatch(/\+08:00$/);
    expect(v.expectedBy!.text).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    // The latest of the deadlines running now.
    expect(Date.parse(v.expectedBy!.at)).toBe(
      Math.max(
        ...v.deadlines
          .filter((d) => !['objection_window', 'satisfaction_callback', 'feedback'].includes(d.kind))
          .map((d) => Date.parse(d.dueAt)),
      ),
    );
  });

  it("staff see when each deadline warns: a product case's 72 h target warns at 75 % of it, 54 h after opening", async () => {
    const v = viewOf(
      await request(h.app)
        .get(`/v1/complaints/${id}`)
        .set('authorization', await h.bearer(as.supervisor)),
    );
    const target = v.deadlines.find((d) => d.kind === 'category_target');
    expect(target).toBeDefined();
    expect(Date.parse(target!.dueAt)).toBe(Date.parse(v.createdAt) + 72 * 3_600_000);
    expect(Date.parse(target!.warnAt!)).toBe(Date.parse(v.createdAt) + 54 * 3_600_000);
    expect(target!.warned).toBe(false);
  });

  it('staff see the share of each running window used, on its own clock', async () => {
    const v = viewOf(
      await request(h.app)
        .get(`/v1/complaints/${id}`)
        .set('authorization', await h.bearer(as.supervisor)),
    );
    const start = (kind: string) => {
      const d = v.deadlines.find((x) => x.kind === kind);
      if (!d) throw new Error(`no running ${kind} deadline in ${JSON.stringify(v.deadlines)}`);
      return { startMs: Date.parse(d.windowStart ?? d.since), dueMs: Date.parse(d.dueAt) };
    };
    // The windows this case runs now (a product case, copied to its merchant, not yet answered).
    expect(v.deadlines.map((d) => d.kind).sort()).toEqual(['category_target', 'first_response', 'merchant_reply']);
    const merchant = start('merchant_reply');
    const target = start('category_target');
    const first = start('first_response');
    // The windows of docs/domain.md §3: the merchant's answer 24 h and the product target 72 h, both
    // by the wall clock; the first answer 15 min of service time (docs/domain.md §4.1).
    expect(merchant.dueMs - merchant.startMs).toBe(24 * HOUR_MS);
    expect(target.dueMs - target.startMs).toBe(72 * HOUR_MS);

    // Three quarters through the merchant's day: a quarter of the 72 h, and the first answer long overdue.
    const late = await sharesAt(merchant.startMs + 18 * HOUR_MS);
    expect(late).toEqual({
      merchant_reply: 0.75,
      category_target: round2((merchant.startMs + 18 * HOUR_MS - target.startMs) / (72 * HOUR_MS)),
      first_response: 1,
    });
    expect(late.category_target).toBeCloseTo(0.25, 2);

    // Five minutes after the first-response window began: its share counts service time only (none at
    // night), the wall-clock windows have used next to nothing.
    const soon = first.startMs + 5 * 60_000;
    expect(await sharesAt(soon)).toEqual({
      merchant_reply: round2(Math.max(0, soon - merchant.startMs) / (24 * HOUR_MS)),
      category_target: round2((soon - target.startMs) / (72 * HOUR_MS)),
      first_response: round2(shanghaiServiceMs(first.startMs, soon) / shanghaiServiceMs(first.startMs, first.dueMs)),
    });
  });
});

const HOUR_MS = 3_600_000;
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Service time between two instants, as docs/domain.md §4.1 defines it: 09:00–21:00 every day, Asia/Shanghai (UTC+8
 * all year). Plain arithmetic, not the product's calendar code.
 */
function shanghaiServiceMs(fromMs: number, toMs: number): number {
  const day = 24 * HOUR_MS;
  const offset = 8 * HOUR_MS;
  let total = 0;
  for (let midnight = Math.floor((fromMs + offset) / day) * day - offset; midnight < toMs; midnight += day) {
    const open = Math.max(fromMs, midnight + 9 * HOUR_MS);
    const close = Math.min(toMs, midnight + 21 * HOUR_MS);
    if (close > open) total += close - open;
  }
  return total;
}

/**
 * The share of each window as the API answers at `nowMs`: the API's clock (Date.now) reads `nowMs`
 * for the one request, so a window can be read part-way through without waiting hours.
 */
async function sharesAt(nowMs: number): Promise<Record<string, number | undefined>> {
  const token = await h.bearer(as.supervisor);
  const clock = jest.spyOn(Date, 'now').mockReturnValue(nowMs);
  try {
    const res = await request(h.app).get(`/v1/complaints/${id}`).set('authorization', token);
    return Object.fromEntries(viewOf(res).deadlines.map((d) => [d.kind, d.shareUsed]));
  } finally {
    clock.mockRestore();
  }
}

describe('the share of a window is measured on the calendar of the policy the case opened with, not the one the API started with', () => {
  // A published version whose desk keeps shorter hours than the start-up policy's 09:00–21:00 (docs/domain.md §4.1).
  const SHORT_DAY = { start: '10:00', end: '16:00' };
  const ops = { sub: 'ops-1', role: 'ops_manager' as const };
  const caseId = `cmp.c-short-day.o-1.quality_defect`;

  beforeAll(async () => {
    const active = await activeVersion(h.db.policyVersions);
    const draft = await createDraft(h.db.policyVersions, {
      policy: SlaPolicy.parse({ calendar: { serviceHours: SHORT_DAY } }),
      reason: 'the desk keeps shorter hours',
      by: ops,
      active: active!,
    });
    const published = await publishVersion(h.db.policyVersions, draft._id, {
      by: ops,
      reason: 'the desk keeps shorter hours',
      rolloutWorkflowId: `rollout-${draft._id}`,
    });
    expect(published.outcome).toBe('published');
    // A handling window opened on the version, at 10:00 on Monday 23 November, due at 13:00 on the Tuesday.
    await writeCase(
      h.db.cases,
      caseView({
        complaintId: caseId,
        status: 'in_progress',
        owner: as.agent.sub,
        policyVersion: String(draft._id),
        deadlines: [
          {
            kind: 'handling',
            since: '2026-11-23T02:00:00.000Z',
            windowStart: '2026-11-23T02:00:00.000Z',
            dueAt: '2026-11-24T05:00:00.000Z',
            paused: false,
            rung: 0,
            topRungAlerts: 0,
          },
        ],
      }),
      1,
    );
  });

  it('at 19:00 on the Monday, two thirds of a 10:00–16:00 desk’s window are used', async () => {
    const token = await h.bearer(as.supervisor);
    // 19:00 Shanghai on the Monday.
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-23T11:00:00.000Z'));
    let res: request.Response;
    try {
      res = await request(h.app).get(`/v1/complaints/${caseId}`).set('authorization', token);
    } finally {
      clock.mockRestore();
    }
    expect(res.status).toBe(200);
    // Service time 10:00–16:00: the window is 6 h on the Monday and 3 h on the Tuesday, 9 h; by 19:00 the
    // Monday's 6 h are used. On the start-up policy's 09:00–21:00 it would be 9 h of 15 h (0.6).
    expect(viewOf(res).deadlines.find((d) => d.kind === 'handling')?.shareUsed).toBe(round2(6 / 9));
  });
});
