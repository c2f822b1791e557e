import type { RequestHandler } from 'express';
import { ACTION_ROLES, type Parties, reachesCase } from '../shared/access';
import { Role, STAFF_ROLES } from '../shared/domain';
import type { Actor } from '../shared/intake';
import { callerOf } from './auth';
import { ApiError } from './errors';

/**
 * Who may call what: the role table (test/fixtures/access.json, docs/api-guide.md). A role missing here gets 403. The action routes take
 * their roles from shared/access.ts, the table the workflow's validators check again. Customers and
 * merchants reach only their own cases (`owns`); an agent's "(owner)" and "(self)" are checked by
 * the workflow's validators, which know the case's owner at the moment of the action.
 */

const everyone = Role.options;
/** Staff who read policy versions: people, not the intake bots (system), which need only the active policy. */
const POLICY_READERS: readonly Role[] = ['agent', 'supervisor', 'ops_manager', 'compliance'];

export const PERMISSIONS = {
  'POST /v1/complaints': ACTION_ROLES['submit.v1'],
  'GET /v1/complaints': ['agent', 'supervisor', 'ops_manager', 'compliance', 'merchant'],
  'GET /v1/complaints/:id': everyone,
  'GET /v1/complaints/:id/timeline': everyone,
  'POST /v1/complaints/:id/assign': ACTION_ROLES['assign.v1'],
  'POST /v1/complaints/:id/first-response': ACTION_ROLES['firstResponse.v1'],
  'POST /v1/complaints/:id/evidence': ACTION_ROLES['addEvidence.v1'],
  'POST /v1/complaints/:id/merchant-reply': ACTION_ROLES['merchantReply.v1'],
  'POST /v1/complaints/:id/investigation/extend': ACTION_ROLES['extendInvestigation.v1'],
  'POST /v1/complaints/:id/investigation/brief': ACTION_ROLES['investigationBrief.v1'],
  'POST /v1/complaints/:id/resolution': ACTION_ROLES['proposeResolution.v1'],
  'POST /v1/complaints/:id/approval': ACTION_ROLES['approval.v1'],
  'POST /v1/complaints/:id/return-shipment': ACTION_ROLES['returnShipment.v1'],
  'POST /v1/complaints/:id/return-received': ACTION_ROLES['returnReceived.v1'],
  'POST /v1/complaints/:id/repair-completed': ACTION_ROLES['repairCompleted.v1'],
  'POST /v1/complaints/:id/testing-result': ACTION_ROLES['testingResult.v1'],
  'POST /v1/complaints/:id/customer-response': ACTION_ROLES['customerResponse.v1'],
  'POST /v1/complaints/:id/satisfaction': ACTION_ROLES['satisfaction.v1'],
  'POST /v1/complaints/:id/classification': ACTION_ROLES['reclassify.v1'],
  'POST /v1/complaints/:id/priority': ACTION_ROLES['changePriority.v1'],
  'POST /v1/complaints/:id/upset': ACTION_ROLES['markUpset.v1'],
  'POST /v1/complaints/:id/phone-callback': ACTION_ROLES['phoneCallback.v1'],
  'POST /v1/complaints/:id/steps/cancel': ACTION_ROLES['cancelStep.v1'],
  // docs/domain.md §7.9: the case's customer reads the options offered and chooses; staff read them on the case.
  'GET /v1/complaints/:id/choice': ['customer', 'agent', 'supervisor', 'ops_manager', 'compliance'],
  'POST /v1/complaints/:id/choice': ACTION_ROLES['customerChoice.v1'],
  'POST /v1/complaints/:id/findings': ACTION_ROLES['addFinding.v1'],
  'GET /v1/reports/summary': ['supervisor', 'ops_manager'],
  'GET /v1/policy': STAFF_ROLES,
  'GET /v1/policy/versions': POLICY_READERS,
  'POST /v1/policy/versions': ['ops_manager'],
  'GET /v1/policy/versions/:v': POLICY_READERS,
  'POST /v1/policy/versions/:v/publish': ['ops_manager'],
  'GET /v1/policy/versions/:v/calendar': POLICY_READERS,
  'POST /v1/policy/versions/:v/what-if': ['ops_manager'],
  'GET /v1/ops/stuck-cases': ['ops_manager'],
  // The customer's own record: the token's customer, so no other role has one to read.
  'GET /v1/me/complaints': ['customer'],
  // Sampling QA (docs/domain.md §11.3): supervisors and operations draw and read the queue; a supervisor reviews.
  'POST /v1/qa/draws': ['supervisor', 'ops_manager'],
  'GET /v1/qa/reviews': ['supervisor', 'ops_manager'],
  'POST /v1/qa/reviews/:id/score': ['supervisor'],
  'GET /v1/reports/qa': ['supervisor', 'ops_manager'],
  'GET /v1/reports/satisfied-customers': ['supervisor', 'ops_manager'],
  // docs/domain.md §11.5: a list of suspects names customers, so only those who review it (compliance, for legal) and operations read it.
  'GET /v1/reviews/professional-complainants': ['compliance', 'ops_manager'],
  // Supplier tiering (docs/domain.md §11.6): supervisors and operations managers review the flagged merchants.
  'GET /v1/merchants/flags': ['supervisor', 'ops_manager'],
  'POST /v1/merchants/flags/:flagId/decision': ['supervisor', 'ops_manager'],
  // Trust after a fix (docs/domain.md §9.6): supervisors and operations managers record a root-cause fix and see whom it told.
  'POST /v1/fixes': ['supervisor', 'ops_manager'],
  'GET /v1/fixes': ['supervisor', 'ops_manager'],
  'GET /v1/fixes/:fixId': ['supervisor', 'ops_manager'],
  // docs/domain.md §7.1: a customer's dedicated agent recorded by hand (a plan's record that failed, a move to another agent): supervisors and operations managers.
  'POST /v1/customers/:customerId/dedicated-agent': ['supervisor', 'ops_manager'],
} satisfies Record<string, readonly Role[]>;

export type Operation = keyof typeof PERMISSIONS;

/** Where a role's right depends on the case, said beside the roles in the OpenAPI document. */
export const ROLE_NOTES: Partial<Record<Operation, string>> = {
  'POST /v1/complaints/:id/findings':
    'the staff of the department the case is routed to: a token whose department claim names it, or compliance for the department of compliance cases',
  'POST /v1/complaints/:id/approval':
    'supervisor, or compliance for compliance cases; ops_manager once the approval deadline escalated to them',
};

export function mayCall(role: Role, operation: Operation): boolean {
  return (PERMISSIONS[operation] as readonly Role[]).includes(role);
}

/** Guards a route: the caller's role must be listed for the operation. */
export function allow(operation: Operation): RequestHandler {
  return (_req, res, next) => {
    const { role } = callerOf(res);
    res.locals.operation = operation;
    if (!mayCall(role, operation)) throw new ApiError('forbidden', `a ${role} may not call ${operation}`);
    next();
  };
}

/** Whether a customer or merchant is party to the case; staff see every case. */
export function owns(actor: Actor, parties: Parties): boolean {
  return reachesCase(actor, parties);
}

export function isParty(actor: Actor): boolean {
  return actor.role === 'customer' || actor.role === 'merchant';
}
