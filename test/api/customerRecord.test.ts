import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { CaseViewV1 } from '../../shared/caseView';
import { Role } from '../../shared/domain';
import { writeCase } from '../../store/cases';
import { caseView } from '../../dev/builders';
import { useApiHarness, callers, errorOf } from './support';

/**
 * The customer's own record (售后服务记录, docs/domain.md §7): `GET /v1/me/complaints`. Cases are
 * written to the projection as the workflow writes them, so each one stands exactly where the test
 * needs it; the parcel's trail is the sandbox carrier's.
 */

const h = useApiHarness();

const me = `c-${randomUUID().slice(0, 8)}`;
const someoneElse = `c-${randomUUID().slice(0, 8)}`;
const day = (d: number) => new Date(Date.UTC(2026, 10, d, 2)).toISOString();
const mine = (n: number, overrides: Partial<CaseViewV1> = {}) =>
  caseView({
    complaintId: `cmp.${me}.o-${n}.quality_defect`,
    createdAt: day(n),
    updatedAt: day(n),
    customer: { id: me, name: 'Li Lei', phone: '+8613800000000', memberTier: 'regular' },
    ...overrides,
  });

async function record(customerId: string, query = '') {
  return request(h.app)
    .get(`/v1/me/complaints${query}`)
    .set('authorization', await h.bearer(callers(customerId, 'm-1').customer));
}
type Item = {
  complaintId: string;
  handler: { role: string; label: string };
  nextDue: unknown;
  expectedBy: unknown;
  investigation: { parcel: unknown };
};
const itemsOf = (res: request.Response) => res.body as { items: Item[]; nextCursor: string | null };

describe('who may read a record: the customer only (their own, from the token)', () => {
  // Written from the rules (a customer reads their own cases; staff and merchants have no record of their own), not from the role table.
  const EXPECTED: Record<Role, 200 | 403> = {
    customer: 200,
    agent: 403,
    supervisor: 403,
    ops_manager: 403,
    compliance: 403,
    merchant: 403,
    system: 403,
  };

  it.each(Role.options)('%s', async (role) => {
    const res = await request(h.app)
      .get('/v1/me/complaints')
      .set('authorization', await h.bearer(callers(me, 'm-1')[role]));
    expect(res.status).toBe(EXPECTED[role]);
    if (EXPECTED[role] === 403) expect(errorOf(res).code).toBe('forbidden');
  });
});

describe('the list: own cases, newest first, paged', () => {
  beforeAll(async () => {
    for (const n of [3, 1, 2]) await writeCase(h.db.cases, mine(n), 1);
    await writeCase(
      h.db.cases,
      caseView({
        complaintId: `cmp.${someoneElse}.o-9.quality_defect`,
        createdAt: day(4),
        customer: { id: someoneElse, name: 'Han Meimei', phone: '+8613900000000' },
      }),
      1,
    );
  });

  it("pages through the three cases of the caller, newest first, and never another customer's, whatever the query names", async () => {
    const first = itemsOf(await record(me, `?limit=2&customerId=${someoneElse}`));
    expect(first.items.map((i) => i.complaintId)).toEqual([
      `cmp.${me}.o-3.quality_defect`,
      `cmp.${me}.o-2.quality_defect`,
    ]);
    expect(first.nextCursor).not.toBeNull();
    const second = itemsOf(await record(me, `?limit=2&cursor=${first.nextCursor}`));
    expect(second.items.map((i) => i.complaintId)).toEqual([`cmp.${me}.o-1.quality_defect`]);
    expect(second.nextCursor).toBeNull();
    expect(itemsOf(await record(someoneElse)).items.map((i) => i.complaintId)).toEqual([
      `cmp.${someoneElse}.o-9.quality_defect`,
    ]);
  });

  it('400 names a bad limit or cursor', async () => {
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=51', 'limit'],
      ['?cursor=nope', 'cursor'],
    ] as const) {
      const res = await record(me, query);
      expect(res.status).toBe(400);
      expect(errorOf(res).details.map((d) => d.path)).toEqual([field]);
    }
  });
});

describe('what each case says', () => {
  const customer = `c-${randomUUID().slice(0, 8)}`;
  const theirs = (n: number, overrides: Partial<CaseViewV1>) =>
    caseView({
      complaintId: `cmp.${customer}.o-${n}.quality_defect`,
      createdAt: day(n),
      customer: { id: customer, name: 'Li Lei', phone: '+8613800000000' },
      ...overrides,
    });
  const byId = async () =>
    new Map(itemsOf(await record(customer, '?limit=50')).items.map((i) => [i.complaintId.split('.')[2], i]));

  it('who handles it: the rung of the ladder (agent → supervisor → operations manager, docs/domain.md §5.1), never a staff id', async () => {
    await writeCase(h.db.cases, theirs(1, { owner: null }), 1);
    await writeCase(h.db.cases, theirs(2, { owner: 'agent-7', escalationLevel: 0 }), 1);
    await writeCase(h.db.cases, theirs(3, { owner: 'agent-7', escalationLevel: 1 }), 1);
    await writeCase(h.db.cases, theirs(4, { owner: 'agent-7', escalationLevel: 2 }), 1);
    // A second round is handled one level up, by a supervisor (docs/domain.md §9.3).
    await writeCase(h.db.cases, theirs(5, { owner: 'sup-1', escalationLevel: 0, round: 2 }), 1);
    const res = await record(customer, '?limit=50');
    const items = await byId();
    expect(Object.fromEntries([...items].map(([order, i]) => [order, i.handler]))).toEqual({
      'o-1': { role: 'unassigned', label: '待分配客服' },
      'o-2': { role: 'agent', label: '客服专员' },
      'o-3': { role: 'supervisor', label: '客服主管' },
      'o-4': { role: 'ops_manager', label: '运营经理' },
      'o-5': { role: 'supervisor', label: '客服主管' },
    });
    expect(res.text).not.toMatch(/agent-7|sup-1/);
  });

  it('the next deadline owed to the customer (not one of theirs to meet), and when the case is expected done', async () => {
    const dl = (kind: string, dueAt: string, paused = false) =>
      ({ kind, dueAt, since: day(6), paused, rung: 0, topRungAlerts: 0 }) as CaseViewV1['deadlines'][number];
    const expectedBy = {
      at: '2026-11-12T10:00:00.000+08:00',
      text: '2026年11月12日 10:00 (GMT+8)',
      locale: 'zh-CN' as const,
      timeZone: 'Asia/Shanghai',
    };
    await writeCase(
      h.db.cases,
      theirs(6, {
        owner: 'agent-7',
        status: 'in_progress',
        deadlines: [
          dl('handling', '2026-11-12T02:00:00.000Z'),
          dl('investigation', '2026-11-09T02:00:00.000Z'),
          // The customer's own waits come sooner but are not owed to them; a paused clock owes nothing now.
          dl('evidence', '2026-11-07T02:00:00.000Z'),
          dl('first_response', '2026-11-06T03:00:00.000Z', true),
        ],
        expectedBy,
      }),
      1,
    );
    await writeCase(
      h.db.cases,
      theirs(7, { status: 'closed', closedAt: day(8), closeReason: 'resolved', deadlines: [], expectedBy: null }),
      1,
    );
    const items = await byId();
    expect(items.get('o-6')).toMatchObject({
      nextDue: { kind: 'investigation', dueAt: '2026-11-09T02:00:00.000Z' },
      expectedBy,
    });
    expect(items.get('o-7')).toMatchObject({ nextDue: null, expectedBy: null });
  });

  it("who signed for the parcel and when, as the carrier's trail says; nothing when it does not know the waybill", async () => {
    const waybillNo = `SF${randomUUID().slice(0, 8)}`;
    h.sandbox.store.putWaybill({
      carrier: 'SF',
      waybillNo,
      status: 'delivered',
      events: [
        { at: '2026-11-02T18:00:00+08:00', status: 'picked_up', location: 'Shenzhen' },
        { at: '2026-11-04T14:05:00+08:00', status: 'delivered', location: 'Shanghai Xuhui' },
      ],
      signedBy: '本人签收',
    });
    const order = (n: number, w: string) => ({
      orderId: `o-${n}`,
      merchantId: 'm-1',
      sku: 'sku-9',
      amountPaidFen: 12_900,
      paidAt: day(1),
      carrier: 'SF',
      waybillNo: w,
    });
    await writeCase(
      h.db.cases,
      theirs(8, {
        order: order(8, waybillNo),
        investigation: { ...caseView().investigation, carrierStatus: 'delivered' },
      }),
      1,
    );
    await writeCase(h.db.cases, theirs(9, { order: order(9, 'SF-never-shipped') }), 1);
    const items = await byId();
    expect(items.get('o-8')?.investigation).toEqual({
      carrierStatus: 'delivered',
      parcel: {
        carrier: 'SF',
        waybillNo,
        signedBy: '本人签收',
        deliveredAt: '2026-11-04T14:05:00+08:00',
        trail: 'answered',
      },
    });
    expect(items.get('o-9')?.investigation.parcel).toEqual({
      carrier: 'SF',
      waybillNo: 'SF-never-shipped',
      signedBy: null,
      deliveredAt: null,
      trail: 'unknown_waybill',
    });
    expect(items.get('o-1')?.investigation.parcel).toBeNull();
  });

  it("staff reading the case see the same signer for their investigation (docs/domain.md §6.1); the parties' reads of the case do not carry it", async () => {
    const waybillNo = `SF${randomUUID().slice(0, 8)}`;
    h.sandbox.store.putWaybill({
      carrier: 'SF',
      waybillNo,
      status: 'delivered',
      events: [{ at: '2026-11-04T14:05:00+08:00', status: 'delivered', location: 'Shanghai Xuhui' }],
      signedBy: '门卫代收',
    });
    const id = `cmp.${customer}.o-10.quality_defect`;
    await writeCase(
      h.db.cases,
      theirs(10, {
        order: { ...caseView().order, orderId: 'o-10', carrier: 'SF', waybillNo },
      }),
      1,
    );
    const as = callers(customer, caseView().order.merchantId);
    const read = async (who: keyof typeof as) =>
      request(h.app)
        .get(`/v1/complaints/${id}`)
        .set('authorization', await h.bearer(as[who]));
    for (const staff of ['agent', 'supervisor', 'ops_manager', 'compliance'] as const) {
      const res = await read(staff);
      expect(res.status).toBe(200);
      expect((res.body as { parcel?: unknown }).parcel).toEqual({
        carrier: 'SF',
        waybillNo,
        signedBy: '门卫代收',
        deliveredAt: '2026-11-04T14:05:00+08:00',
        trail: 'answered',
      });
    }
    for (const party of ['customer', 'merchant'] as const) {
      const res = await read(party);
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('parcel');
      expect(res.text).not.toContain('门卫代收');
    }
  });
});
