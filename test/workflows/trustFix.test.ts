import type { CaseViewV1 } from '../../shared/caseView';
import { caseModel, writeCase } from '../../store/cases';
import { findFix, insertFix, trustFixModel } from '../../store/trustFixes';
import type { trustFixWorkflow } from '../../workflows/trustFix';
import { openCase, sandboxRecords } from '../support/cases';
import { type Harness, startHarness } from '../../dev/stack/harness';
import { eventually, faults, view } from './helpers';

/**
 * docs/domain.md §9.6. Trust after a fix: once the root cause of complaints is fixed, the customer of
 * every case it caused, open or closed, is told what changed, with a goodwill coupon where the policy
 * says so, never beyond what the order paid less what the case already paid out, and never twice; a
 * notice that cannot be delivered is an alert to the person on the case. The figures are written here:
 * a 10 CNY coupon valid 7 days, unless the investigation put the fault on the customer.
 */

const COUPON_FEN = 1_000;
const VALID_DAYS = 7;
const PAID_FEN = 12_900;
const TERMS = {
  couponFen: COUPON_FEN,
  validDays: VALID_DAYS,
  forResponsibility: ['platform', 'merchant', 'carrier', 'undetermined'] as const,
};
const WHAT_CHANGED = '商家已更换该批次水壶的密封圈供应商，并对库存逐一检测';
const WHAT_CHANGED_EN = 'The merchant changed the seal supplier of this kettle batch and tests every kettle in stock';

let h: Harness;
beforeEach(async () => {
  h = await startHarness('trust-fix');
});
afterEach(async () => {
  await h?.close();
});

const suffix = () => Math.random().toString(36).slice(2, 8);

/** A case as the projection holds it, shaped from a real case's view: the world the fix's workflow reads. */
interface Shape {
  status: CaseViewV1['status'];
  responsibility: 'merchant' | 'customer' | null;
  paidOutFen: number;
  locale?: 'zh-CN' | 'en';
  owner: string | null;
}

async function project(template: CaseViewV1, shapes: Shape[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, s] of shapes.entries()) {
    const complaintId = `cmp.c-fix${i}-${suffix()}.o-fix${i}.quality_defect`;
    const v: CaseViewV1 = {
      ...template,
      complaintId,
      workflowId: complaintId,
      status: s.status,
      owner: s.owner,
      customer: {
        ...template.customer,
        id: `c-fix${i}`,
        phone: `+861380000000${i}`,
        ...(s.locale ? { locale: s.locale } : {}),
      },
      order: { ...template.order, amountPaidFen: PAID_FEN },
      investigation: {
        ...template.investigation,
        brief: s.responsibility
          ? { responsibility: s.responsibility, findings: 'seal', by: 'agent-7', at: template.createdAt }
          : null,
      },
      resolution: { ...template.resolution, paidOutFen: s.paidOutFen },
    };
    await writeCase(caseModel(h.mongo), v, 1);
    ids.push(complaintId);
  }
  return ids;
}

async function recordFix(ids: string[]): Promise<string> {
  const fixId = `fix-20261201-${suffix()}ab`;
  const docs = await caseModel(h.mongo)
    .find({ _id: { $in: ids } })
    .lean();
  await insertFix(trustFixModel(h.mongo), {
    fixId,
    kind: 'product_batch',
    whatChanged: WHAT_CHANGED,
    whatChangedEn: WHAT_CHANGED_EN,
    selector: null,
    recordedBy: { sub: 'sup-1', role: 'supervisor' },
    recordedAt: new Date(),
    policyVersion: 1,
    terms: { ...TERMS, forResponsibility: [...TERMS.forResponsibility] },
    cases: ids.map((id) => ({
      complaintId: id,
      customerId: docs.find((d) => d._id === id)!.customerId,
      status: docs.find((d) => d._id === id)!.status,
    })),
  });
  return fixId;
}

async function runFix(fixId: string, run = 1): Promise<void> {
  const workflowId = `trust-fix.${fixId}.${run}-${h.taskQueue}`;
  h.started.push({ workflowId, test: expect.getState().currentTestName ?? 'trust fix' });
  await h.env.client.workflow.execute<typeof trustFixWorkflow>('trustFixWorkflow', {
    workflowId,
    taskQueue: h.taskQueue,
    args: [{ fixId }],
  });
}

const notices = async (id: string) => (await sandboxRecords.sms(h, id)).filter((m) => m.template === 'trust_notice');

/** A real case's view, its workflow ended so nothing writes over the shapes put in the projection. */
async function templateView(): Promise<CaseViewV1> {
  const c = await openCase(h);
  const v = await view(c);
  await c.handle.terminate('only its view is needed');
  return v;
}

it('tells every customer of the fix, open or closed, what changed, with the coupon the policy owes, once', async () => {
  const template = await templateView();
  const shapes: Shape[] = [
    // Open, not yet investigated (undetermined): the whole 10 CNY.
    { status: 'in_progress', responsibility: null, paidOutFen: 0, owner: 'agent-7' },
    // Closed, the merchant at fault, refunded in full: nothing left of the order to give.
    { status: 'closed', responsibility: 'merchant', paidOutFen: PAID_FEN, owner: 'agent-7' },
    // Closed, the customer at fault: told, no coupon.
    { status: 'closed', responsibility: 'customer', paidOutFen: 0, owner: 'agent-8' },
    // Open, an English-speaking customer, 124 CNY of 129 paid out: the coupon is what is left, 5 CNY.
    { status: 'awaiting_customer', responsibility: 'merchant', paidOutFen: 12_400, locale: 'en', owner: 'agent-7' },
  ];
  const expectedCoupon = shapes.map((s) =>
    s.responsibility === 'customer' ? 0 : Math.min(COUPON_FEN, PAID_FEN - s.paidOutFen),
  );
  expect(expectedCoupon).toEqual([1_000, 0, 0, 500]);
  const ids = await project(template, shapes);
  const fixId = await recordFix(ids);

  await runFix(fixId);

  for (const [i, id] of ids.entries()) {
    const sent = await notices(id);
    expect(sent).toHaveLength(1);
    const english = shapes[i].locale === 'en';
    expect(sent[0].to).toBe(`+861380000000${i}`);
    expect(sent[0].text).toContain(english ? WHAT_CHANGED_EN : WHAT_CHANGED);
    expect(sent[0].text).toContain(id);
    const coupons = await sandboxRecords.coupons(h, id);
    expect(coupons.map((c) => c.amountFen)).toEqual(expectedCoupon[i] > 0 ? [expectedCoupon[i]] : []);
    if (expectedCoupon[i] > 0) {
      const yuan = (expectedCoupon[i] / 100).toFixed(2);
      expect(sent[0].text).toContain(
        english ? `CNY ${yuan}, valid ${VALID_DAYS} days` : `${yuan} 元 优惠券，${VALID_DAYS} 天内有效`,
      );
    } else {
      expect(sent[0].text).not.toMatch(/优惠券|coupon/);
    }
  }
  const fix = await findFix(trustFixModel(h.mongo), fixId);
  expect(fix?.status).toBe('done');
  expect(fix?.customers.map((c) => [c.status, c.couponFen, c.noCouponBecause])).toEqual([
    ['told', 1_000, null],
    ['told', 0, 'order_paid_back'],
    ['told', 0, 'customer_at_fault'],
    ['told', 500, null],
  ]);

  // A second run of the same fix (a reset, a retried start) tells no one again and pays nothing twice.
  await runFix(fixId, 2);
  for (const [i, id] of ids.entries()) {
    expect(await notices(id)).toHaveLength(1);
    expect(await sandboxRecords.coupons(h, id)).toHaveLength(expectedCoupon[i] > 0 ? 1 : 0);
  }
}, 120_000);

it('a customer the notice cannot reach is an alert to the person on the case, and the record says undelivered', async () => {
  const template = await templateView();
  const ids = await project(template, [
    { status: 'closed', responsibility: 'customer', paidOutFen: 0, owner: 'agent-9' },
  ]);
  const fixId = await recordFix(ids);
  // The customer text's five tries fail; the alert to the case's owner goes out.
  await faults(h, { service: 'sms', mode: 'error', rate: 1, count: 5 });

  await runFix(fixId);

  expect(await notices(ids[0])).toEqual([]);
  const alerts = await eventually(
    async () => (await sandboxRecords.sms(h, ids[0])).filter((m) => m.template === 'staff:trust_notice_undelivered'),
    (a) => a.length === 1,
    'the alert',
  );
  expect(alerts[0].to).toBe('staff:agent-9');
  expect(alerts[0].text).toContain(WHAT_CHANGED);
  const fix = await findFix(trustFixModel(h.mongo), fixId);
  expect(fix?.customers.map((c) => [c.status, c.alerted])).toEqual([['undelivered', 'agent-9']]);
}, 120_000);
