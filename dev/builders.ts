import { randomUUID } from 'node:crypto';
import type { CaseViewV1 } from '../shared/caseView';
import { DEFAULT_POLICY } from '../shared/policy';

/** A complete case view, as the workflow's query returns it. */
export function caseView(overrides: Partial<CaseViewV1> = {}): CaseViewV1 {
  const id = overrides.complaintId ?? `cmp-${randomUUID().slice(0, 8)}`;
  const at = overrides.createdAt ?? '2026-11-23T10:00:00.000Z';
  return {
    complaintId: id,
    workflowId: id,
    status: 'acknowledged',
    stage: 'waiting for an agent',
    category: 'product',
    subType: 'quality_defect',
    suggestedCategory: null,
    priority: 'medium',
    priorityReasons: ['sub_type:quality_defect'],
    channel: 'app',
    customer: { id: 'c-1', name: 'Li Lei', phone: '+8613800000000', memberTier: 'regular' },
    order: {
      orderId: 'o-100',
      merchantId: 'm-1',
      sku: 'sku-9',
      amountPaidFen: 12_900,
      paidAt: '2026-11-01T10:00:00+08:00',
    },
    description: 'The kettle leaks after two days',
    desiredOutcome: 'refund',
    evidence: [],
    owner: null,
    escalationLevel: 0,
    deadlines: [],
    breaches: [],
    firstResponse: null,
    awaitingEvidence: false,
    investigation: {
      dueAt: null,
      extended: false,
      extensionReason: null,
      brief: null,
      merchantReply: null,
      merchantReplyMissed: false,
      carrierStatus: null,
    },
    resolution: {
      proposal: null,
      approval: null,
      steps: [],
      rejections: [],
      returnShipment: null,
      refundedFen: 0,
      paidOutFen: 0,
      executedAt: null,
    },
    customerResponse: null,
    satisfaction: { rating: null, comment: null, callbackSentAt: null, at: null, rounds: [] },
    round: 1,
    groupFlagged: false,
    repeatOf: null,
    policyVersion: DEFAULT_POLICY.version,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    closeReason: null,
    ...overrides,
  };
}
