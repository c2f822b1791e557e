import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import type { CaseViewV1 } from '../shared/caseView';
import {
  AddEvidenceV1,
  ApprovalDecisionV1,
  AssignV1,
  CustomerResponseV1,
  ExtendInvestigationV1,
  FirstResponseV1,
  InvestigationBriefV1,
  MerchantReplyV1,
  ProposeResolutionV1,
  RepairCompletedV1,
  TestingResultV1,
  ReturnReceivedV1,
  ReturnShipmentV1,
  SatisfactionV1,
  ReclassifyV1,
  ChangePriorityV1,
  CancelStepV1,
  MarkUpsetV1,
  CustomerChoiceV1,
  AddFindingV1,
  PhoneCallbackV1,
} from '../shared/commands';
import {
  type Acting,
  addEvidenceUpdate,
  approvalUpdate,
  assignUpdate,
  briefUpdate,
  customerResponseUpdate,
  extendInvestigationUpdate,
  firstResponseUpdate,
  merchantReplyUpdate,
  proposeResolutionUpdate,
  repairCompletedUpdate,
  testingResultUpdate,
  returnReceivedUpdate,
  returnShipmentUpdate,
  satisfactionUpdate,
  reclassifyUpdate,
  changePriorityUpdate,
  cancelStepUpdate,
  markUpsetUpdate,
  customerChoiceUpdate,
  addFindingUpdate,
  phoneCallbackUpdate,
} from '../shared/messages';
import type { Operation } from './permissions';
import { Identifier } from './schemas';

/**
 * Every action on a case has the same shape: a body schema, the workflow update it becomes, and the
 * new case view as the answer. The router and the OpenAPI document are both built from this list.
 */

export interface Action<S extends z.ZodType = z.ZodType> {
  operation: Operation;
  summary: string;
  body: S;
  update: UpdateDefinition<CaseViewV1, [Acting<z.output<S>>]>;
}

/** Ties each body schema to the update that takes it, so a mismatch fails to compile. */
function action<S extends z.ZodType>(
  operation: Operation,
  summary: string,
  body: S,
  update: Action<S>['update'],
): Action {
  return { operation, summary, body, update };
}

// Ids in bodies take the documented identifier set (shared/identity.ts), like ids in paths.
const AssignRequest = AssignV1.extend({ agentId: Identifier });
const ReturnShipmentRequest = ReturnShipmentV1.extend({ carrier: Identifier, waybillNo: Identifier });

export const ACTIONS: readonly Action[] = [
  action('POST /v1/complaints/:id/assign', 'Take or give ownership', AssignRequest, assignUpdate),
  action(
    'POST /v1/complaints/:id/first-response',
    'The first human answer; stops the response clock',
    FirstResponseV1,
    firstResponseUpdate,
  ),
  action(
    'POST /v1/complaints/:id/evidence',
    'Add evidence; answers a request for evidence',
    AddEvidenceV1,
    addEvidenceUpdate,
  ),
  action(
    'POST /v1/complaints/:id/merchant-reply',
    "The merchant's answer to its copy of the complaint",
    MerchantReplyV1,
    merchantReplyUpdate,
  ),
  action(
    'POST /v1/complaints/:id/investigation/extend',
    'Extend the investigation from 3 to 5 working days, before the 3-day deadline',
    ExtendInvestigationV1,
    extendInvestigationUpdate,
  ),
  action(
    'POST /v1/complaints/:id/investigation/brief',
    'Close the investigation with the brief',
    InvestigationBriefV1,
    briefUpdate,
  ),
  action(
    'POST /v1/complaints/:id/resolution',
    'Propose a solution; above the approval threshold it waits for approval',
    ProposeResolutionV1,
    proposeResolutionUpdate,
  ),
  action(
    'POST /v1/complaints/:id/approval',
    'Approve or reject a pending proposal',
    ApprovalDecisionV1,
    approvalUpdate,
  ),
  action(
    'POST /v1/complaints/:id/return-shipment',
    'The customer shipped the goods back',
    ReturnShipmentRequest,
    returnShipmentUpdate,
  ),
  action(
    'POST /v1/complaints/:id/return-received',
    'The merchant received and inspected the returned goods',
    ReturnReceivedV1,
    returnReceivedUpdate,
  ),
  action(
    'POST /v1/complaints/:id/repair-completed',
    'The merchant finished the repair',
    RepairCompletedV1,
    repairCompletedUpdate,
  ),
  action(
    'POST /v1/complaints/:id/testing-result',
    "The testing lab's result of a joint third-party test (owner, supervisor or operations manager): a confirmed defect sends the case back to its owner to propose the full-responsibility solution; otherwise the customer is told the result as the solution. 409 when no test waits for its result",
    TestingResultV1,
    testingResultUpdate,
  ),
  action(
    'POST /v1/complaints/:id/customer-response',
    'Accept the solution, or object within the objection window',
    CustomerResponseV1,
    customerResponseUpdate,
  ),
  action(
    'POST /v1/complaints/:id/satisfaction',
    "The satisfaction callback's answer (1..5)",
    SatisfactionV1,
    satisfactionUpdate,
  ),
  action(
    'POST /v1/complaints/:id/classification',
    'Correct the category and sub-type the keywords suggested, with a reason; the category target follows',
    ReclassifyV1,
    reclassifyUpdate,
  ),
  action(
    'POST /v1/complaints/:id/priority',
    'Set the priority, with a reason; the handling and proposal windows follow',
    ChangePriorityV1,
    changePriorityUpdate,
  ),
  action(
    'POST /v1/complaints/:id/upset',
    'Mark the customer extremely upset, with what you saw; the case becomes high priority (2 h windows, the owner texted on a miss, the satisfaction callback within 24 h)',
    MarkUpsetV1,
    markUpsetUpdate,
  ),
  action(
    'POST /v1/complaints/:id/phone-callback',
    "The phone callback's outcome, by whoever made the call: reached (with the customer's rating 1..5) or not (the SMS callback then goes at once), with notes; 409 when no call is due or it was recorded",
    PhoneCallbackV1,
    phoneCallbackUpdate,
  ),
  action(
    'POST /v1/complaints/:id/steps/cancel',
    'Call off a step that waits on the customer, the merchant or a testing lab (goods back, inspection, repair, a third-party test), with a reason; the case goes back to its owner to re-plan',
    CancelStepV1,
    cancelStepUpdate,
  ),
  action(
    'POST /v1/complaints/:id/choice',
    "The customer's choice among the options the merchant offered; it becomes the proposal (approval rules unchanged). 409 when there is nothing to choose or the choice was made or its window ended, 422 for an option not offered",
    CustomerChoiceV1,
    customerChoiceUpdate,
  ),
  action(
    'POST /v1/complaints/:id/findings',
    "Add the routed department's finding to the case (its staff only: a token's department claim, or compliance for compliance cases)",
    AddFindingV1,
    addFindingUpdate,
  ),
];

/** The path below `/v1/complaints` an action is mounted at. */
export function actionPath(operation: Operation): string {
  return operation.replace(/^POST \/v1\/complaints/, '');
}
