import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { CaseViewV1 } from '../../shared/caseView';
import { DEFAULT_POLICY } from '../../shared/policy';
import { openStore, storeOn, type Store } from '../../store/connection';

/** The address of a database of its own for one test file, on the suite's MongoDB-wire server. */
export function freshDbUri(name: string): string {
  const uri = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/complaints-test');
  uri.pathname = `/${name}-${randomUUID().slice(0, 8)}`;
  return uri.toString();
}

export async function freshStore(name: string): Promise<Store> {
  return openStore(freshDbUri(name));
}

export async function dropStore(store: Store): Promise<void> {
  // A model made late (the doctor's, a test's own) builds its indexes in the background; the
  // Mongo-wire server fails a drop that meets an index build ("index not found with name [_id_]").
  await Promise.all(Object.values(store.connection.models).map((model) => model.init()));
  await store.connection.dropDatabase();
  await store.connection.close();
}

/** A store whose server is not there: every operation fails as an unreachable database does. */
export function unreachableStore(): Store {
  // Mongoose honours bufferTimeoutMS per connection though its types do not list it; short waits keep the test quick.
  const options = { serverSelectionTimeoutMS: 300, bufferTimeoutMS: 300 };
  const connection = mongoose.createConnection('mongodb://127.0.0.1:1/nowhere', options);
  connection.asPromise().catch(() => undefined);
  return storeOn(connection);
}

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
    order: { orderId: 'o-100', merchantId: 'm-1', sku: 'sku-9', amountPaidFen: 12_900, paidAt: '2026-11-01T10:00:00+08:00' },
    description: 'The kettle leaks after two days',
    desiredOutcome: 'refund',
    evidence: [],
    owner: null,
    escalationLevel: 0,
    deadlines: [],
    breaches: [],
    firstResponse: null,
    awaitingEvidence: false,
    investigation: { dueAt: null, extended: false, extensionReason: null, brief: null, merchantReply: null, merchantReplyMissed: false, carrierStatus: null },
    resolution: { proposal: null, approval: null, steps: [], rejections: [], returnShipment: null, refundedFen: 0, paidOutFen: 0, executedAt: null },
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
