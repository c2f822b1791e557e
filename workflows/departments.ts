import type { CaseViewV1 } from '../shared/caseView';
import type { AddFindingV1 } from '../shared/commands';
import { worksFor } from '../shared/departments';
import { type Acting, addFindingUpdate } from '../shared/messages';
import { type Case, nowIso, refuse } from './case';
import { caseAction, registerTable, requireOpen } from './guards';

/**
 * docs/domain.md §6.5: the department a case is routed to adds its findings to the case, for the
 * owner's investigation. Only its own staff: a token whose department claim names it, or compliance
 * for the department that takes compliance cases.
 */

function mayAddFinding(c: Case, { actor }: Acting<AddFindingV1>): void {
  requireOpen(c);
  const department = c.view.department ?? null;
  if (department === null) refuse('wrong_stage', `${c.view.complaintId} is not routed to a department`);
  if (!worksFor(actor, department, c.policy.departments))
    refuse('forbidden', `${c.view.complaintId} is routed to ${department}; only its staff add findings`);
}

function findingAdded(c: Case, { text, actor }: Acting<AddFindingV1>): CaseViewV1 {
  const department = c.view.department as string;
  c.view.departmentFindings = [...(c.view.departmentFindings ?? []), { department, text, by: actor.sub, at: nowIso() }];
  c.audit(actor, 'department_finding_added', { department });
  return c.view;
}

const DEPARTMENT_ACTIONS = [caseAction({ update: addFindingUpdate, guard: mayAddFinding, handle: findingAdded })];

export function registerDepartmentActions(c: Case): void {
  registerTable(c, {}, DEPARTMENT_ACTIONS);
}
