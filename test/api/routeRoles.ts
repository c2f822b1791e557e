import type { Operation } from '../../api/permissions';
import type { Role } from '../../shared/domain';

/**
 * Who may call each route, copied by hand from the "who" column of api.md's route table, so tests
 * and the bench check the API against the contract instead of against its own PERMISSIONS table.
 * Keyed by Operation so a route the API serves but this table forgets fails to compile.
 */

const ALL: readonly Role[] = ['customer', 'agent', 'supervisor', 'ops_manager', 'compliance', 'merchant', 'system'];
// api.md: "`GET /v1/policy` | staff roles": every role that is not a party to a case.
const STAFF: readonly Role[] = ['agent', 'supervisor', 'ops_manager', 'compliance', 'system'];

export const API_MD_ROLES: Record<Operation, readonly Role[]> = {
  'POST /v1/complaints': ['customer', 'agent', 'system'],
  'GET /v1/complaints': ['agent', 'supervisor', 'ops_manager', 'compliance', 'merchant'],
  'GET /v1/complaints/:id': ALL,
  'GET /v1/complaints/:id/timeline': ALL,
  'POST /v1/complaints/:id/assign': ['agent', 'supervisor', 'ops_manager'],
  'POST /v1/complaints/:id/first-response': ['agent'],
  'POST /v1/complaints/:id/evidence': ['customer', 'agent'],
  'POST /v1/complaints/:id/merchant-reply': ['merchant'],
  'POST /v1/complaints/:id/investigation/extend': ['agent'],
  'POST /v1/complaints/:id/investigation/brief': ['agent'],
  'POST /v1/complaints/:id/resolution': ['agent'],
  // api.md: "supervisor (compliance for compliance cases)"; plus ops_manager by complaint-handling.md
  // §5 "an approval not given in time escalates like any other deadline" and §3 "Whoever an
  // escalation names can act on it through the API" (the ladder's top rung is the operations manager).
  'POST /v1/complaints/:id/approval': ['supervisor', 'compliance', 'ops_manager'],
  'POST /v1/complaints/:id/return-shipment': ['customer'],
  'POST /v1/complaints/:id/return-received': ['merchant'],
  // Not in api.md's table: the merchant who does a repair (spec §5) reports it done, as it reports a return received.
  'POST /v1/complaints/:id/repair-completed': ['merchant'],
  'POST /v1/complaints/:id/customer-response': ['customer'],
  'POST /v1/complaints/:id/satisfaction': ['customer'],
  'GET /v1/reports/summary': ['supervisor', 'ops_manager'],
  'GET /v1/policy': STAFF,
};

export function contractAllows(role: Role, operation: Operation): boolean {
  return API_MD_ROLES[operation].includes(role);
}
