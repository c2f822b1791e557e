import mongoose, { type Connection } from 'mongoose';
import { auditModel, type AuditModel } from './audit';
import { carrierEventModel, type CarrierEventModel } from './carrierEvents';
import { dedicatedAgentModel, type DedicatedAgentModel } from './dedicatedAgents';
import { caseModel, type CaseModel } from './cases';
import { policyVersionModel, type PolicyVersionModel } from './policyVersions';
import { qaDrawModel, qaReviewModel, type QaDrawModel, type QaReviewModel } from './qa';
import { ensureRateLimitIndexes } from './rateLimits';
import { slaEventModel, type SlaEventModel } from './slaEvents';
import { supplierFlagModel, type SupplierFlagModel } from './supplierFlags';
import { stuckCaseModel, type StuckCaseModel } from './stuckCases';
import { trustFixModel, type TrustFixModel } from './trustFixes';

/** The projection's collections, bound to one connection (no global mongoose state). */
export interface Store {
  connection: Connection;
  cases: CaseModel;
  audit: AuditModel;
  slaEvents: SlaEventModel;
  carrierEvents: CarrierEventModel;
  stuckCases: StuckCaseModel;
  policyVersions: PolicyVersionModel;
  qaDraws: QaDrawModel;
  qaReviews: QaReviewModel;
  supplierFlags: SupplierFlagModel;
  trustFixes: TrustFixModel;
  dedicatedAgents: DedicatedAgentModel;
}

export function storeOn(connection: Connection): Store {
  return {
    connection,
    cases: caseModel(connection),
    audit: auditModel(connection),
    slaEvents: slaEventModel(connection),
    carrierEvents: carrierEventModel(connection),
    stuckCases: stuckCaseModel(connection),
    policyVersions: policyVersionModel(connection),
    qaDraws: qaDrawModel(connection),
    qaReviews: qaReviewModel(connection),
    supplierFlags: supplierFlagModel(connection),
    trustFixes: trustFixModel(connection),
    dedicatedAgents: dedicatedAgentModel(connection),
  };
}

export interface ConnectOptions {
  /** How long an operation waits for a reachable server before failing (then the API answers 503). */
  serverSelectionTimeoutMS?: number;
}

export async function openStore(uri: string, opts: ConnectOptions = {}): Promise<Store> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5_000,
  });
  await connection.asPromise();
  const store = storeOn(connection);
  // Collections and unique indexes must exist before the first write: a repeated write would
  // otherwise duplicate, and a first write racing mongoose's own collection creation is refused.
  await Promise.all([
    store.cases.init(),
    store.audit.init(),
    store.slaEvents.init(),
    store.carrierEvents.init(),
    store.stuckCases.init(),
    store.policyVersions.init(),
    store.qaDraws.init(),
    store.qaReviews.init(),
    store.supplierFlags.init(),
    store.trustFixes.init(),
    store.dedicatedAgents.init(),
    ensureRateLimitIndexes(connection),
  ]);
  return store;
}

/** Readiness: the database answers a ping. */
export async function pingStore(store: Store): Promise<void> {
  const db = store.connection.db;
  if (!db) throw new mongoose.Error.MongooseServerSelectionError('not connected to MongoDB');
  await db.admin().ping();
}
