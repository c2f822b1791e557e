import { timelineShownTo, viewShownTo } from '../../api/views';
import type { CaseViewV1, TimelineEntryV1 } from '../../shared/caseView';
import type { Actor } from '../../shared/intake';
import { caseView } from '../../dev/builders';

/**
 * docs/domain.md §10.3: what a customer or a merchant sees of a case is theirs to see: no staff-internal notes, no
 * provider errors, no staff ids beyond the owner (the customer's contact), no internal action names;
 * the merchant does not see the customer's objection, rating comments, phone or member tier. Pure:
 * the cut every API answer to a party goes through (view, list, timeline, an action's answer).
 */

const customer: Actor = { sub: 'c-9', role: 'customer', customerId: 'c-9' };
const merchant: Actor = { sub: 'm-9-staff', role: 'merchant', merchantId: 'm-9' };
const supervisor: Actor = { sub: 'sup-1', role: 'supervisor' };

const NOTE = 'AGENT-NOTE-goodwill-as-she-is-vip';
const PROVIDER_ERROR = 'declined: issuer 05 do not honour (gateway trace 7f3a)';
const INSPECTION_NOTE = 'MERCHANT-NOTE-scratches-on-lid';
const OBJECTION = 'CUSTOMER-OBJECTION-still-leaks';
const COMMENT = 'CUSTOMER-COMMENT-slow-and-rude';
const at = '2026-11-23T10:00:00.000Z';

/** A case in its second round with every field a party must not read filled in. */
const view: CaseViewV1 = caseView({
  complaintId: 'cmp.c-9.o-9.quality_defect',
  customer: { id: 'c-9', name: 'Li Lei', phone: '+8613899999999', memberTier: 'vip', locale: 'zh-CN' },
  order: { orderId: 'o-9', merchantId: 'm-9', sku: 'sku-9', amountPaidFen: 60_000, paidAt: at },
  owner: 'agent-7',
  round: 2,
  priorityReasons: ['vip_member'],
  evidence: [
    { kind: 'photo', url: 'https://img.example.com/1.jpg', note: '', addedBy: 'c-9', at },
    { kind: 'chat_screenshot', url: 'https://img.example.com/2.jpg', note: '', addedBy: 'agent-7', at },
  ],
  firstResponse: { by: 'agent-7', message: 'We are checking the kettle.', at },
  investigation: {
    dueAt: at,
    extended: false,
    extensionReason: null,
    merchantReplyMissed: false,
    carrierStatus: null,
    brief: { responsibility: 'merchant', findings: 'INTERNAL-FINDINGS', by: 'agent-7', at },
    merchantReply: { message: 'We take it back', accepts: true, proposal: null, by: 'm-9-staff', at },
  },
  resolution: {
    proposal: { type: 'refund', amountFen: 60_000, note: NOTE, proposedBy: 'sup-2', at },
    approval: {
      required: true,
      approverRole: 'supervisor',
      reason: 'amount 60000 fen above 50000',
      decision: 'approve',
      decidedBy: 'sup-3',
      decisionReason: 'SUPERVISOR-REASON',
      at,
    },
    steps: [
      { name: 'refund', status: 'failed', owner: 'payments', dueAt: at, detail: PROVIDER_ERROR, updatedAt: at },
      { name: 'return_inspection', status: 'done', owner: 'merchant', detail: INSPECTION_NOTE, updatedAt: at },
    ],
    rejections: [{ by: 'sup-1', reason: 'SUPERVISOR-REJECTION', at }],
    returnShipment: null,
    refundedFen: 0,
    paidOutFen: 0,
    executedAt: null,
  },
  customerResponse: { accept: false, reason: OBJECTION, at },
  satisfaction: {
    rating: 1,
    comment: COMMENT,
    callbackSentAt: at,
    at,
    rounds: [{ round: 1, rating: 1, comment: COMMENT, at }],
  },
});

const STAFF_IDS = ['sup-1', 'sup-2', 'sup-3', 'agent-7'];
/** The answer as the party receives it, with the owner left out: the one staff id the customer may see (docs/domain.md §10.2). */
const sent = (v: CaseViewV1) => JSON.stringify({ ...v, owner: null });

describe.each([customer, merchant])('the view a $role reads', (party) => {
  const shown = viewShownTo(party, view);

  it('holds no internal note, provider error or staff id', () => {
    for (const secret of [
      NOTE,
      PROVIDER_ERROR,
      INSPECTION_NOTE,
      'INTERNAL-FINDINGS',
      'SUPERVISOR-REASON',
      'SUPERVISOR-REJECTION',
      'vip_member',
      ...STAFF_IDS,
    ]) {
      expect(sent(shown)).not.toContain(secret);
    }
  });

  it('keeps the owner, the solution and how each step stands', () => {
    expect(shown.owner).toBe('agent-7');
    expect(shown.resolution.proposal).toMatchObject({ type: 'refund', amountFen: 60_000 });
    expect(shown.resolution.steps).toEqual([
      { name: 'refund', status: 'failed', owner: 'payments', dueAt: at, updatedAt: at },
      { name: 'return_inspection', status: 'done', owner: 'merchant', updatedAt: at },
    ]);
    expect(shown.firstResponse?.message).toBe('We are checking the kettle.');
  });
});

describe('what only the customer reads', () => {
  it('the customer reads their own objection, rating comment, member tier and phone', () => {
    const shown = viewShownTo(customer, view);
    expect(shown.customerResponse?.reason).toBe(OBJECTION);
    expect(shown.satisfaction).toMatchObject({
      rating: 1,
      comment: COMMENT,
      rounds: [{ round: 1, rating: 1, comment: COMMENT }],
    });
    expect(shown.customer).toEqual(view.customer);
    expect(shown.evidence.map((e) => e.addedBy)).toEqual(['c-9', 'platform']);
  });

  it('the merchant reads the rating, not the objection reason, the comments, the phone or the member tier', () => {
    const shown = viewShownTo(merchant, view);
    for (const secret of [OBJECTION, COMMENT, '+8613899999999', 'vip']) expect(sent(shown)).not.toContain(secret);
    expect(shown.customer).toEqual({ id: 'c-9', name: 'Li Lei', phone: '', locale: 'zh-CN' });
    expect(shown.customerResponse).toEqual({ accept: false, reason: null, at });
    expect(shown.satisfaction).toMatchObject({
      rating: 1,
      comment: null,
      rounds: [{ round: 1, rating: 1, comment: null }],
    });
    expect(shown.investigation.merchantReply?.by).toBe('m-9-staff');
  });
});

describe('the timeline a party reads', () => {
  const entry = (
    seq: number,
    actor: TimelineEntryV1['actor'],
    action: string,
    detail: Record<string, unknown> = {},
    result: TimelineEntryV1['result'] = 'ok',
  ): TimelineEntryV1 => ({
    seq,
    at,
    actor,
    action,
    detail,
    result,
  });
  const theCustomerSelf = { sub: customer.sub, role: 'customer' };
  const theMerchantSelf = { sub: merchant.sub, role: 'merchant' };
  const system = { sub: 'complaint-workflow', role: 'system' };
  const agent = { sub: 'agent-7', role: 'agent' };
  const timeline: TimelineEntryV1[] = [
    entry(1, theCustomerSelf, 'complaint_opened', { channel: 'app', reasons: ['vip_member'] }),
    entry(2, system, 'receipt_sent'),
    entry(3, agent, 'assigned', { agentId: 'agent-7' }),
    entry(4, agent, 'first_response'),
    entry(
      5,
      { sub: 'sla-clock', role: 'system' },
      'deadline_breached',
      { kind: 'merchant_reply', escalatedTo: 'merchant_ops' },
      'breached',
    ),
    entry(6, system, 'staff_notified', { recipient: 'sup-1', event: 'deadline_breached' }),
    entry(7, theMerchantSelf, 'merchant_replied'),
    entry(8, agent, 'reclassified', { reason: 'INTERNAL' }),
    entry(9, { sub: 'sup-2', role: 'supervisor' }, 'resolution_proposed', { note: NOTE }),
    entry(10, { sub: supervisor.sub, role: 'supervisor' }, 'resolution_rejected', { reason: 'SUPERVISOR-REJECTION' }),
    entry(11, system, 'refund_done', { result: { refundId: 'r-1' } }),
    entry(12, system, 'execution_failed', { step: 'refund', reason: PROVIDER_ERROR }, 'failed'),
    entry(13, system, 'customer_message_failed', { error: PROVIDER_ERROR }, 'failed'),
    entry(14, theCustomerSelf, 'customer_objected', { reason: OBJECTION }),
    entry(15, system, 'case_reopened', { why: 'objection', round: 2 }),
    entry(16, system, 'case_closed', { reason: 'quality_review' }),
  ];
  const platform = { sub: 'platform', role: 'platform' };

  it('the customer reads what happened in the words of the parties, without staff ids, details or internal steps', () => {
    expect(timelineShownTo(customer, timeline)).toEqual([
      entry(1, theCustomerSelf, 'complaint_received'),
      entry(2, platform, 'receipt_sent'),
      entry(3, platform, 'agent_assigned'),
      entry(4, platform, 'agent_replied'),
      entry(9, platform, 'solution_proposed'),
      entry(11, platform, 'refund_issued'),
      entry(12, platform, 'solution_step_failed', {}, 'failed'),
      entry(14, theCustomerSelf, 'solution_objected'),
      entry(15, platform, 'case_reopened'),
      entry(16, platform, 'case_closed'),
    ]);
  });

  it('the merchant reads its own part and the customer as "customer"', () => {
    const theCustomer = { sub: 'customer', role: 'customer' };
    expect(timelineShownTo(merchant, timeline)).toEqual([
      entry(1, theCustomer, 'complaint_received'),
      entry(3, platform, 'agent_assigned'),
      entry(7, theMerchantSelf, 'merchant_replied'),
      entry(9, platform, 'solution_proposed'),
      entry(11, platform, 'refund_issued'),
      entry(12, platform, 'solution_step_failed', {}, 'failed'),
      entry(14, theCustomer, 'solution_objected'),
      entry(15, platform, 'case_reopened'),
      entry(16, platform, 'case_closed'),
    ]);
  });

  it('staff read every entry as recorded', () => {
    expect(timelineShownTo(supervisor, timeline)).toEqual(timeline);
    expect(viewShownTo(supervisor, view)).toEqual(view);
  });
});
