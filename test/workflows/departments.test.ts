import { DEPARTMENT_DEFAULTS } from '../../shared/departments';
import { SA } from '../../shared/searchAttributes';
import type { Actor } from '../../shared/intake';
import {
  addFindingUpdate,
  assignUpdate,
  changePriorityUpdate,
  phoneCallbackUpdate,
  reclassifyUpdate,
} from '../../shared/messages';
import { agent, compliance, customerOf, openCase, sandboxRecords, supervisor } from '../support/cases';
import { type Harness, startHarness } from '../../dev/stack/harness';
import {
  MINUTE,
  alerted,
  briefed,
  eventually,
  faults,
  localClockMs,
  nextServiceOpening,
  policyAt,
  propose,
  refusal,
  SERVICE_CLOSES,
  SERVICE_OPENS,
  settle,
  staffAlerts,
  staffAlertsTo,
  timeline,
  view,
} from './helpers';

/**
 * docs/domain.md §6.5: a case stays with customer service and is routed to the department of its
 * category (product → product team, logistics → warehouse & logistics, service → service quality,
 * compliance → compliance), which is told and can add findings.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness('departments');
});
afterEach(async () => {
  if (h) await faults(h, null);
  await h?.close();
});

// The routing of docs/domain.md §6.5, written here: category → the department's id in the policy and whom it tells.
const ROUTES = [
  { category: 'product', subType: 'quality_defect', department: 'product', told: 'product-team' },
  { category: 'logistics', subType: 'lost', department: 'warehouse_logistics', told: 'warehouse-logistics' },
  { category: 'service', subType: 'rude_agent', department: 'service_quality', told: 'service-quality' },
] as const;

const productStaff: Actor = { sub: 'pt-1', role: 'agent', department: 'product' };
const logisticsStaff: Actor = { sub: 'wl-1', role: 'agent', department: 'warehouse_logistics' };
const routedNotices = async (id: string) =>
  (await staffAlerts(h, id)).filter((a) => a.template === 'staff:department_routed');

it('each category goes to its department, which is told once when the case opens; after-sales and other stay with customer service', async () => {
  const policy = await policyAt(h, 10, { departments: DEPARTMENT_DEFAULTS });
  const cases = await Promise.all(
    ROUTES.map((r) =>
      openCase(h, { policy, category: r.category, subType: r.subType, priority: 'low', priorityReasons: [] }),
    ),
  );
  for (const [i, r] of ROUTES.entries()) {
    const id = cases[i].input.complaintId;
    await eventually(
      () => routedNotices(id),
      (n) => n.length === 1,
      `${r.department} told`,
    );
    expect(await routedNotices(id)).toEqual([{ to: `staff:${r.told}`, template: 'staff:department_routed' }]);
    expect((await view(cases[i])).department).toBe(r.department);
    expect(
      (await timeline(cases[i])).filter((e) => e.action === 'routed_to_department').map((e) => e.detail.department),
    ).toEqual([r.department]);
  }
  // Compliance hears of its case by the compliance review, once: not a second notice.
  const review = await openCase(h, {
    policy,
    category: 'compliance',
    subType: 'counterfeit',
    priority: 'low',
    priorityReasons: [],
  });
  await eventually(
    () => staffAlertsTo(h, review.input.complaintId, 'compliance'),
    (a) => a.length >= 1,
    'compliance told',
  );
  expect((await view(review)).department).toBe('compliance');
  const quiet = await openCase(h, {
    policy,
    category: 'after_sales',
    subType: 'refund_blocked',
    priority: 'low',
    priorityReasons: [],
  });
  await settle(quiet, (v) => v.status !== 'received', 'the receipt sent');
  expect((await view(quiet)).department).toBeNull();
  expect(await routedNotices(quiet.input.complaintId)).toEqual([]);
  expect(await staffAlertsTo(h, review.input.complaintId, 'compliance')).toEqual([
    { to: 'staff:compliance', template: 'staff:compliance_review' },
  ]);
}, 120_000);

it('a notice the department could not get is a fact on the case and an alert one level up; the case goes on', async () => {
  await faults(h, { service: 'sms', mode: 'error', rate: 1 });
  const c = await openCase(h, {
    policy: await policyAt(h, 10, { departments: DEPARTMENT_DEFAULTS }),
    category: 'logistics',
    subType: 'lost',
    priority: 'low',
    priorityReasons: [],
  });
  const id = c.input.complaintId;
  for (let left = 20 * MINUTE; left > 0; left -= 10 * MINUTE) await h.env.sleep(10 * MINUTE);
  await eventually(
    () => timeline(c),
    (t) => t.some((e) => e.action === 'staff_notification_failed' && e.detail.event === 'department_routed'),
    'the notice given up',
  );
  await faults(h, null);
  await h.env.sleep(5 * MINUTE);
  await alerted(h, id, { to: 'staff:supervisor', template: 'staff:staff_alert_undelivered' });
  const v = await settle(
    c,
    (x) => (x.undeliveredMessages ?? []).some((m) => m.template === 'staff:department_routed'),
    'the undelivered notice on the case',
  );
  expect(v.undeliveredMessages).toContainEqual(
    expect.objectContaining({ template: 'staff:department_routed', alerted: 'supervisor' }),
  );
  expect(v.department).toBe('warehouse_logistics');
}, 180_000);

it("the department's own staff add findings; other departments, parties and cases routed nowhere are refused", async () => {
  const policy = await policyAt(h, 10, { departments: DEPARTMENT_DEFAULTS });
  const c = await openCase(h, { policy, category: 'product', subType: 'quality_defect' });
  await settle(c, (v) => v.department === 'product', 'routed');
  const finding = { text: 'Batch 2026-11 seals fail the pressure test' };
  await c.handle.executeUpdate(addFindingUpdate, { args: [{ ...finding, actor: productStaff }] });
  expect(
    await refusal(c.handle.executeUpdate(addFindingUpdate, { args: [{ ...finding, actor: logisticsStaff }] })),
  ).toBe('forbidden');
  expect(await refusal(c.handle.executeUpdate(addFindingUpdate, { args: [{ ...finding, actor: compliance }] }))).toBe(
    'forbidden',
  );
  expect(
    await refusal(
      c.handle.executeUpdate(addFindingUpdate, {
        args: [{ ...finding, actor: customerOf(c.input.intake.customer.id) }],
      }),
    ),
  ).toBe('forbidden');
  const v = await view(c);
  expect(v.departmentFindings?.map(({ department, text, by }) => ({ department, text, by }))).toEqual([
    { department: 'product', text: finding.text, by: 'pt-1' },
  ]);

  const alone = await openCase(h, { policy, category: 'other', subType: 'suggestion' });
  await settle(alone, (x) => x.department === null, 'not routed');
  expect(
    await refusal(alone.handle.executeUpdate(addFindingUpdate, { args: [{ ...finding, actor: productStaff }] })),
  ).toBe('wrong_stage');
  // Compliance are the compliance department's staff without a department claim.
  const review = await openCase(h, { policy, category: 'compliance', subType: 'counterfeit' });
  await settle(review, (x) => x.department === 'compliance', 'routed to compliance');
  await review.handle.executeUpdate(addFindingUpdate, {
    args: [{ text: 'The brand owner confirms a fake', actor: compliance }],
  });
}, 120_000);

it("a reclassification moves the case to the new category's department, which is told, and ops find it there", async () => {
  const policy = await policyAt(h, 10, { departments: DEPARTMENT_DEFAULTS });
  const c = await openCase(h, {
    policy,
    category: 'product',
    subType: 'quality_defect',
    priority: 'low',
    priorityReasons: [],
  });
  await settle(c, (v) => v.department === 'product', 'routed');
  await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
  await c.handle.executeUpdate(reclassifyUpdate, {
    args: [{ category: 'logistics', subType: 'damaged_in_transit', reason: 'crushed in the parcel', actor: agent }],
  });
  await eventually(
    () => staffAlertsTo(h, c.input.complaintId, 'warehouse-logistics'),
    (a) => a.length === 1,
    'warehouse & logistics told',
  );
  expect((await view(c)).department).toBe('warehouse_logistics');
  expect((await c.handle.describe()).typedSearchAttributes.get(SA.department)).toBe('warehouse_logistics');
  // Out of every department: the attribute is cleared.
  await c.handle.executeUpdate(reclassifyUpdate, {
    args: [{ category: 'other', subType: 'other', reason: 'not a complaint', actor: supervisor }],
  });
  expect((await view(c)).department).toBeNull();
  expect((await c.handle.describe()).typedSearchAttributes.get(SA.department)).toBeUndefined();
}, 120_000);

it("a suggestion the customer made on the phone callback goes to the case's department; a case routed nowhere keeps it on the call's record", async () => {
  const policy = await policyAt(h, 10, { departments: DEPARTMENT_DEFAULTS });
  const suggestion = '包装里多放一层泡沫，运输就不会压坏了';
  const called = async (category: 'product' | 'after_sales', subType: string) => {
    const c = await briefed(h, { policy, category, subType, priority: 'high' });
    await propose(c, { type: 'refund', amountFen: 1_000 });
    await settle(c, (v) => v.phoneCallback?.outcome === null, 'the call task');
    const v = await c.handle.executeUpdate(phoneCallbackUpdate, {
      args: [{ reached: true, rating: 4, notes: 'Reached at once', suggestion, actor: agent }],
    });
    expect(v.phoneCallback?.outcome?.suggestion).toBe(suggestion);
    return c;
  };

  const product = await called('product', 'quality_defect');
  const told = await eventually(
    async () =>
      (await sandboxRecords.sms(h, product.input.complaintId)).filter(
        (m) => m.to === 'staff:product-team' && m.template === 'staff:callback_suggestion',
      ),
    (a) => a.length === 1,
    'the product team told of the suggestion',
  );
  expect(told[0].text).toContain(suggestion);
  expect((await timeline(product)).filter((e) => e.action === 'callback_suggestion_forwarded')).toEqual([
    expect.objectContaining({ detail: { department: 'product' } }),
  ]);

  const alone = await called('after_sales', 'warranty_dispute');
  expect((await timeline(alone)).some((e) => e.action === 'callback_suggestion_forwarded')).toBe(false);
  expect((await staffAlerts(h, alone.input.complaintId)).some((a) => a.template === 'staff:callback_suggestion')).toBe(
    false,
  );
});

it('a suggestion made on a call out of service hours reaches the department at the next opening, though the rating closed the case meanwhile', async () => {
  // 22:00 local, after service hours (09:00–21:00, docs/domain.md §4).
  const policy = await policyAt(h, 22, { departments: DEPARTMENT_DEFAULTS });
  const zone = policy.calendar.timeZone;
  const suggestion = '快递员送货前先打个电话就好了';
  const c = await briefed(h, { policy, category: 'product', subType: 'quality_defect', priority: 'high' });
  await propose(c, { type: 'refund', amountFen: 1_000 });
  await settle(c, (v) => v.phoneCallback?.outcome === null, 'the call task');
  // No longer high: its notices keep to service hours (docs/domain.md §4.4).
  await c.handle.executeUpdate(changePriorityUpdate, {
    args: [{ priority: 'medium', reason: 'calmer once the refund was paid', actor: supervisor }],
  });
  const calledAt = await h.env.currentTimeMs();
  const clock = localClockMs(calledAt, zone);
  expect(clock >= SERVICE_CLOSES || clock < SERVICE_OPENS).toBe(true);
  // A rating of 4 on the call closes the case (docs/domain.md §9.3: only 2 or less reopens it) before the department's notice is due.
  await c.handle.executeUpdate(phoneCallbackUpdate, {
    args: [{ reached: true, rating: 4, notes: 'Reached at night', suggestion, actor: agent }],
  });
  await c.handle.result();
  expect((await view(c)).status).toBe('closed');
  const told = (await timeline(c)).filter(
    (e) => e.action === 'staff_notified' && e.detail.event === 'callback_suggestion',
  );
  expect(told.map((e) => e.detail.recipient)).toEqual(['product-team']);
  expect(Date.parse(told[0].at)).toBeGreaterThanOrEqual(nextServiceOpening(calledAt, zone));
  const sent = (await sandboxRecords.sms(h, c.input.complaintId)).filter(
    (m) => m.to === 'staff:product-team' && m.template === 'staff:callback_suggestion',
  );
  expect(sent).toHaveLength(1);
  expect(sent[0].text).toContain(suggestion);
}, 120_000);
