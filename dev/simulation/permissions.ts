import type { Operation } from '../../api/permissions';
import type { Role } from '../../shared/domain';
import { API_MD_ROLES } from '../routeRoles';

/**
 * Who may act through the API: the role table as the API tests write it out
 * (dev/routeRoles.ts, NOT api/permissions.ts, so the simulation checks the code against the
 * contract). Used by the invariant "every role an escalation names can act on it".
 */

/**
 * The routes by which someone acts on a missed deadline of each kind. Taking or giving the case
 * (assign) is how a supervisor or manager acts on a stalled step; an approval needs a decision.
 */
export const ACTS_ON: Record<string, readonly Operation[]> = {
  first_response: ['POST /v1/complaints/:id/assign', 'POST /v1/complaints/:id/first-response'],
  handling: ['POST /v1/complaints/:id/assign'],
  investigation: [
    'POST /v1/complaints/:id/assign',
    'POST /v1/complaints/:id/investigation/brief',
    'POST /v1/complaints/:id/investigation/extend',
  ],
  category_target: ['POST /v1/complaints/:id/assign', 'POST /v1/complaints/:id/resolution'],
  proposal: ['POST /v1/complaints/:id/assign', 'POST /v1/complaints/:id/resolution'],
  approval: ['POST /v1/complaints/:id/approval'],
  refund: ['POST /v1/complaints/:id/assign'],
  credit: ['POST /v1/complaints/:id/assign'],
  return_shipment: ['POST /v1/complaints/:id/assign', 'POST /v1/complaints/:id/return-shipment'],
  return_inspection: ['POST /v1/complaints/:id/assign', 'POST /v1/complaints/:id/return-received'],
  repair: ['POST /v1/complaints/:id/assign'],
  merchant_reply: ['POST /v1/complaints/:id/assign', 'POST /v1/complaints/:id/merchant-reply'],
  routine_handling: ['POST /v1/complaints/:id/assign', 'POST /v1/complaints/:id/resolution'],
  social_reply: ['POST /v1/complaints/:id/assign', 'POST /v1/complaints/:id/first-response'],
  phone_callback: ['POST /v1/complaints/:id/assign', 'POST /v1/complaints/:id/phone-callback'],
  merchant_notice: ['POST /v1/complaints/:id/assign'],
  third_party_testing: [
    'POST /v1/complaints/:id/assign',
    'POST /v1/complaints/:id/testing-result',
    'POST /v1/complaints/:id/steps/cancel',
  ],
};

/** Who may decide an approval: the approver role of the case, plus whoever its escalation named (docs/domain.md §5.3). */
export function approvers(category: string, escalationNamed: readonly string[]): string[] {
  return [category === 'compliance' ? 'compliance' : 'supervisor', ...escalationNamed];
}

/**
 * Whether `role`, named by an escalation of a `kind` deadline, can act on it through the API.
 * `merchant_ops` is not a role of the API at all: docs/domain.md §6.2 names merchant operations as
 * the merchant-reply escalation, without a route, so it is reported apart (see invariants.ts) rather than judged here.
 */
export function canAct(role: string, kind: string, category: string): boolean {
  if (kind === 'approval') {
    // The ops manager an approval escalation names may decide it (docs/domain.md §5.3); otherwise the route's approver.
    return role === 'ops_manager' || approvers(category, []).includes(role);
  }
  return (ACTS_ON[kind] ?? []).some((route) => API_MD_ROLES[route].includes(role as Role));
}
