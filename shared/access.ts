import type { Role } from './domain';

/**
 * Who may act on a case, by the workflow update the action becomes: the "who" column of the role
 * table's action routes (test/fixtures/access.json), written once. The API's route guard (api/permissions.ts) reads it, and so does each
 * update's validator (workflows/actions.ts), so a caller the API let through by mistake is still
 * refused inside the case, and the workflow's idea of who may act cannot drift from the API's.
 * Plain data and functions only: workflow code imports this module.
 */
export const ACTION_ROLES = {
  'submit.v1': ['customer', 'agent', 'system'],
  // "agent (self)": the validator keeps an agent to taking the case for themself.
  'assign.v1': ['agent', 'supervisor', 'ops_manager'],
  // "agent (owner)" for the next four: the validator keeps an agent to the cases they own.
  'firstResponse.v1': ['agent'],
  'extendInvestigation.v1': ['agent'],
  'investigationBrief.v1': ['agent'],
  // A reopened case is handled one level up: the validator keeps round one to its agent, round two to a supervisor and above.
  'proposeResolution.v1': ['agent', 'supervisor', 'ops_manager'],
  'addEvidence.v1': ['customer', 'agent'],
  'merchantReply.v1': ['merchant'],
  // "supervisor (compliance for compliance cases)", and the operations manager once an overdue
  // approval escalated to them (docs/domain.md §5.3, §7.4): the validator decides per case.
  'approval.v1': ['supervisor', 'compliance', 'ops_manager'],
  'returnShipment.v1': ['customer'],
  'returnReceived.v1': ['merchant'],
  // The merchant doing a repair (docs/domain.md §8.1) reports it done, as it reports a return received.
  'repairCompleted.v1': ['merchant'],
  // docs/domain.md §8.6: staff record a testing lab's result, an agent on its own cases ("agent (owner)"); the lab itself has no account.
  'testingResult.v1': ['agent', 'supervisor', 'ops_manager'],
  'customerResponse.v1': ['customer'],
  'satisfaction.v1': ['customer'],
  // Staff correct what the keywords suggested (docs/domain.md §2.1), an agent on its own cases.
  'reclassify.v1': ['agent', 'supervisor', 'ops_manager'],
  // docs/domain.md §2.3: staff set the priority with a reason (a supervisor or above).
  'changePriority.v1': ['supervisor', 'ops_manager'],
  // docs/domain.md §2.2: an agent marks its own customer extremely upset ("agent (owner)"); supervisors and the operations manager any case's.
  'markUpset.v1': ['agent', 'supervisor', 'ops_manager'],
  // docs/domain.md §9.4: the owner who made the call records its outcome ("agent (owner)"); a supervisor or the operations manager the call an escalation named them for.
  'phoneCallback.v1': ['agent', 'supervisor', 'ops_manager'],
  // docs/domain.md §8.5: a step waiting on a party is called off by its owner or a supervisor (and above).
  'cancelStep.v1': ['agent', 'supervisor', 'ops_manager'],
  // docs/domain.md §7.9: the case's own customer chooses among the merchant's options.
  'customerChoice.v1': ['customer'],
  // docs/domain.md §6.5: the staff of the department the case is routed to (a token's department claim; compliance for the compliance department): the validator decides per case.
  'addFinding.v1': ['agent', 'supervisor', 'ops_manager', 'compliance'],
} as const satisfies Record<string, readonly Role[]>;

export type CaseAction = keyof typeof ACTION_ROLES;

export function roleMayAct(role: Role, action: CaseAction): boolean {
  return (ACTION_ROLES[action] as readonly Role[]).includes(role);
}

interface Caller {
  role: Role;
  customerId?: string;
  merchantId?: string;
}

/** The two parties of a case, as its view names them. */
export interface Parties {
  customer: { id: string };
  order: { merchantId: string };
}

/** A customer or merchant is party to its own cases only; staff are party to none and reach every case. */
export function reachesCase(caller: Caller, parties: Parties): boolean {
  if (caller.role === 'customer') return caller.customerId === parties.customer.id;
  if (caller.role === 'merchant') return caller.merchantId === parties.order.merchantId;
  return true;
}
