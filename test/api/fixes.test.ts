import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { FixListV1, FixV1 } from '../../api/routes/fixes';
import type { CaseViewV1 } from '../../shared/caseView';
import { Role } from '../../shared/domain';
import { writeCase } from '../../store/cases';
import { caseView } from '../../dev/builders';
import { eventually } from '../support/poll';
import { callers, errorOf, useApiHarness } from './support';

/**
 * Trust after a fix through the API (docs/domain.md §9.6): a supervisor or an operations manager
 * records a root-cause fix against its cases, by ids or by a selector; each case's customer, open or
 * closed, is told what changed with the policy's goodwill coupon (10 CNY, valid 7 days, by default),
 * and the fix shows who was told. Cases are written to the projection as the workflow writes them.
 */

const h = useApiHarness({ worker: true });
const COUPON_FEN = 1_000;
const run = randomUUID().slice(0, 6);
const merchant = `m-fix-${run}`;
const at = (day: number) => new Date(Date.UTC(2026, 10, day, 2)).toISOString();

async function put(n: number, overrides: Partial<CaseViewV1>): Promise<string> {
  const complaintId = `cmp.c-${run}-${n}.o-${run}-${n}.${overrides.subType ?? 'quality_defect'}`;
  const base = caseView({
    complaintId,
    createdAt: at(overrides.createdAt ? Number(overrides.createdAt) : 10),
    updatedAt: at(10),
  });
  const v: CaseViewV1 = {
    ...base,
    ...overrides,
    complaintId,
    workflowId: complaintId,
    createdAt: base.createdAt,
    customer: {
      id: `c-${run}-${n}`,
      name: 'Li Lei',
      phone: `+8613900000${String(n).padStart(3, '0')}`,
      memberTier: 'regular',
    },
    order: { ...base.order, merchantId: overrides.order?.merchantId ?? merchant, amountPaidFen: 12_900 },
  };
  await writeCase(h.db.cases, v, 1);
  return complaintId;
}

const as = async (role: Role) => h.bearer(callers('c-fix', merchant)[role]);
const post = async (body: object, role: Role = 'supervisor') =>
  request(h.app)
    .post('/v1/fixes')
    .set('authorization', await as(role))
    .send(body);
const WHAT = '商家已更换该批次水壶的密封圈，并逐一检测库存';

const ids: Record<string, string> = {};
beforeAll(async () => {
  ids.open = await put(1, { status: 'in_progress' });
  ids.closed = await put(2, { status: 'closed', closedAt: at(12), closeReason: 'resolved' });
  // Another sub-type of the same merchant, and the same sub-type at another merchant, and one opened after the period.
  ids.otherType = await put(3, { subType: 'not_as_described', category: 'product' });
  ids.otherMerchant = await put(4, { order: { ...caseView().order, merchantId: `m-other-${run}` } });
  ids.later = await put(5, { createdAt: '20' });
});

describe('who may record a fix and read them: supervisors and operations managers', () => {
  // From the rules of docs/domain.md §9.6 (staff who answer for a root cause), not from the role table.
  const EXPECTED: Record<Role, 'allowed' | 403> = {
    customer: 403,
    agent: 403,
    supervisor: 'allowed',
    ops_manager: 'allowed',
    compliance: 403,
    merchant: 403,
    system: 403,
  };
  it.each(Role.options)('%s', async (role) => {
    const res = await request(h.app)
      .get('/v1/fixes')
      .set('authorization', await as(role));
    expect(res.status).toBe(EXPECTED[role] === 'allowed' ? 200 : 403);
  });
});

describe('recording a fix', () => {
  it('by ids: the customers of an open and a closed case are told what changed, each with the 10 CNY coupon, and the fix says so', async () => {
    const res = await post({ kind: 'product_batch', whatChanged: WHAT, caseIds: [ids.open, ids.closed] });
    expect(res.status).toBe(201);
    const fix = FixV1.parse(res.body);
    expect(fix.customers.map((c) => [c.complaintId, c.caseStatus])).toEqual([
      [ids.open, 'in_progress'],
      [ids.closed, 'closed'],
    ]);
    expect(fix.recordedBy).toEqual({ sub: 'sup-1', role: 'supervisor' });

    const read = async () =>
      FixV1.parse(
        (
          await request(h.app)
            .get(`/v1/fixes/${fix.fixId}`)
            .set('authorization', await as('ops_manager'))
        ).body,
      );
    const done = await eventually(read, (f) => f.status === 'done', 'every customer told', 60_000);
    expect(done.told).toBe(2);
    expect(done.customers.map((c) => [c.status, c.couponFen])).toEqual([
      ['told', COUPON_FEN],
      ['told', COUPON_FEN],
    ]);
    for (const id of [ids.open, ids.closed]) {
      const sms = h.sandbox.store.messages({ complaintId: id }).filter((m) => m.template === 'trust_notice');
      expect(sms).toHaveLength(1);
      expect(sms[0].text).toContain(WHAT);
      expect(sms[0].text).toContain('10.00 元');
    }
    const list = FixListV1.parse(
      (
        await request(h.app)
          .get(`/v1/fixes?complaintId=${encodeURIComponent(ids.closed)}`)
          .set('authorization', await as('supervisor'))
      ).body,
    );
    expect(list.items.map((f) => f.fixId)).toEqual([fix.fixId]);
  });

  it("by selector: the merchant's cases of the sub-type opened in the period, and no other", async () => {
    const res = await post(
      {
        kind: 'merchant_process',
        whatChanged: WHAT,
        selector: { merchantId: merchant, subType: 'quality_defect', from: at(1), to: at(15) },
      },
      'ops_manager',
    );
    expect(res.status).toBe(201);
    expect(
      FixV1.parse(res.body)
        .customers.map((c) => c.complaintId)
        .sort(),
    ).toEqual([ids.open, ids.closed].sort());
  });
});

describe("a caller's mistakes", () => {
  it.each([
    ['neither ids nor selector', { kind: 'product_batch', whatChanged: WHAT }, 'caseIds'],
    [
      'both ids and selector',
      {
        kind: 'product_batch',
        whatChanged: WHAT,
        caseIds: ['cmp.a.b.c'],
        selector: { merchantId: merchant, from: at(1), to: at(2) },
      },
      'caseIds',
    ],
    ['a blank text', { kind: 'product_batch', whatChanged: '  ', caseIds: ['cmp.a.b.c'] }, 'whatChanged'],
    ['an unknown kind', { kind: 'weather', whatChanged: WHAT, caseIds: ['cmp.a.b.c'] }, 'kind'],
    [
      'a case named twice',
      { kind: 'product_batch', whatChanged: WHAT, caseIds: ['cmp.a.b.c', 'cmp.a.b.c'] },
      'caseIds.1',
    ],
    [
      'a selector without merchant, product or carrier',
      { kind: 'product_batch', whatChanged: WHAT, selector: { subType: 'quality_defect', from: at(1), to: at(2) } },
      'selector.merchantId',
    ],
    [
      'a period ending before it starts',
      { kind: 'product_batch', whatChanged: WHAT, selector: { merchantId: merchant, from: at(2), to: at(1) } },
      'selector.to',
    ],
  ])('%s → 400 naming the field', async (_what, body, path) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain(path);
  });

  it('a case that does not exist → 422 unknown_cases naming it', async () => {
    const res = await post({
      kind: 'product_batch',
      whatChanged: WHAT,
      caseIds: [ids.open, 'cmp.nobody.o-0.quality_defect'],
    });
    expect(res.status).toBe(422);
    expect(errorOf(res)).toMatchObject({ code: 'unknown_cases', details: [{ path: 'caseIds.1' }] });
  });

  it('a selector naming no case → 422 no_cases', async () => {
    const res = await post({
      kind: 'carrier_route',
      whatChanged: WHAT,
      selector: { carrier: 'NOBODY', from: at(1), to: at(2) },
    });
    expect(res.status).toBe(422);
    expect(errorOf(res).code).toBe('no_cases');
  });

  it('an unknown fix → 404; a malformed fix id → 400', async () => {
    expect(
      (
        await request(h.app)
          .get('/v1/fixes/fix-20260101-00000000')
          .set('authorization', await as('supervisor'))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(h.app)
          .get('/v1/fixes/nonsense')
          .set('authorization', await as('supervisor'))
      ).status,
    ).toBe(400);
  });
});
