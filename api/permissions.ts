import type { RequestHandler } from 'express';
import { Role, STAFF_ROLES } from '../shared/domain';
import type { Actor } from '../shared/intake';
import type { CaseViewV1 } from '../shared/caseView';
import { callerOf } from './auth';
import { ApiError } from './errors';

/**
 * Who may call what: api.md's route table, once. A role missing here gets 403. Customers and
 * merchants reach only their own cases (`owns`); an agent's "(owner)" and "(self)" are checked by
 * the workflow's validators, which know the case's owner at the moment of the action.
 */

const everyone = Role.options;

export const PERMISSIONS = {
  'POST /v1/complaints': ['customer', 'agent', 'system'],
  'GET /v1/complaints': ['agent', 'supervisor', 'ops_manager', 'compliance', 'merchant'],
  'GET /v1/complaints/:id': everyone,
  'GET /v1/complaints/:id/timeline': everyone,
  'POST /v1/complaints/:id/assign': ['agent', 'supervisor', 'ops_manager'],
  'POST /v1/complaints/:id/first-response': ['agent'],
  'POST /v1/complaints/:id/evidence': ['customer', 'agent'],
  'POST /v1/complaints/:id/merchant-reply': ['merchant'],
  'POST /v1/complaints/:id/investigation/extend': ['agent'],
  'POST /v1/complaints/:id/investigation/brief': ['agent'],
  'POST /v1/complaints/:id/resolution': ['agent'],
  // Spec §5: an approval not given in time escalates like any other deadline, and §3: whoever an
  // escalation names can act on it through the API; the ladder's top is the operations manager. The
  // workflow's validator decides whether this case's approval has reached them.
  'POST /v1/complaints/:id/approval': ['supervisor', 'compliance', 'ops_manager'],
  'POST /v1/complaints/:id/return-shipment': ['customer'],
  'POST /v1/complaints/:id/return-received': ['merchant'],
  'POST /v1/complaints/:id/repair-completed': ['merchant'],
  'POST /v1/complaints/:id/customer-response': ['customer'],
  'POST /v1/complaints/:id/satisfaction': ['customer'],
  'GET /v1/reports/summary': ['supervisor', 'ops_manager'],
  'GET /v1/policy': STAFF_ROLES,
} satisfies Record<string, readonly Role[]>;

export type Operation = keyof typeof PERMISSIONS;

/** Where a role's right depends on the case, said beside the roles in the OpenAPI document. */
export const ROLE_NOTES: Partial<Record<Operation, string>> = {
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
export function owns(actor: Actor, view: CaseViewV1): boolean {
  if (actor.role === 'customer') return view.customer.id === actor.customerId;
  if (actor.role === 'merchant') return view.order.merchantId === actor.merchantId;
  return true;
}

export function isParty(actor: Actor): boolean {
  return actor.role === 'customer' || actor.role === 'merchant';
}
