import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CaseViewV1 } from '../shared/caseView';
import {
  type ComplaintWorkflowInput,
  caseStateQuery,
  caseViewQuery,
  slaEventsQuery,
  timelineQuery,
} from '../shared/messages';
import { registerActions } from './actions';
import { Case } from './case';
import { registerCalendarUpdates } from './calendarUpdates';
import { registerCarrierEvents } from './carrierEvents';
import { registerDepartmentActions } from './departments';
import { alertCrisis, openByTier, openComplianceReview, routeToDepartment } from './alertAtOnce';
import { complaintWorkflowRev2 } from './legacy/rev2/complaint';
import { notifyStaff } from './messaging';
import { registerOverrides } from './overrides';
import { registerPhoneCallback } from './phoneCallback';
import { PATCHES } from './patches';
import { keepProjectionCurrent, taskSettled } from './projection';
import {
  type BackgroundWait,
  copyAtIntake,
  receive,
  runStage,
  sendProgressUpdates,
  startBackgroundWait,
} from './stages';

/**
 * One complaint, from intake to close (docs/domain.md §1–§9). The workflow *is* the case:
 * it sleeps on durable timers for each deadline, waits for people (updates), escalates when a
 * deadline passes, and calls activities for every side effect. The stages are in stages.ts.
 */

export type CaseOutcome = Pick<CaseViewV1, 'complaintId' | 'status' | 'closeReason' | 'round'> & {
  rating: number | null;
};

export async function complaintWorkflow(input: ComplaintWorkflowInput): Promise<CaseOutcome> {
  // Decided before the first command: a case started by older code replays and runs on that code.
  if (!patched(PATCHES.processRev3.id)) return complaintWorkflowRev2(input);
  const helpdesk = patched(PATCHES.warningsAndCarrierDelays.id);
  const c = new Case(input, {
    warnBeforeBreach: helpdesk,
    expediteDelays: helpdesk,
    crisisOnTheClock: patched(PATCHES.crisisOnTheClock.id),
    priorityTiers: patched(PATCHES.priorityTiers.id),
    departments: patched(PATCHES.departmentRouting.id),
  });
  setHandler(caseViewQuery, () => c.view);
  setHandler(timelineQuery, () => c.state.timeline);
  setHandler(slaEventsQuery, () => c.state.slaEvents);
  setHandler(caseStateQuery, () => ({ view: c.view, timeline: c.state.timeline, slaEvents: c.state.slaEvents }));
  registerActions(c, { notifyStaff: (recipient, event, text) => notifyStaff(c, recipient, event, text) });
  registerOverrides(c);
  registerPhoneCallback(c);
  registerCarrierEvents(c);
  registerCalendarUpdates(c);
  registerDepartmentActions(c);

  const projector = keepProjectionCurrent(c);
  // The receipt goes out while the first-response clock already runs (it counts from opening): a slow
  // SMS gateway must neither hold the deadlines nor let an agent's quick answer escape them.
  const receipt = input.carried ? Promise.resolve() : receive(c);
  if (!input.carried) {
    alertCrisis(c);
    const complianceReview = c.view.category === 'compliance' && patched(PATCHES.complianceReviewFirst.id);
    if (complianceReview) openComplianceReview(c);
    if (patched(PATCHES.merchantCopyAtIntake.id)) copyAtIntake(c);
    if (c.features.priorityTiers) openByTier(c);
    if (c.features.departments) routeToDepartment(c, complianceReview ? ['compliance'] : []);
  }
  for (const name of input.carried?.background ?? []) startBackgroundWait(c, name as BackgroundWait);
  // Ends when the case closes; a continued run resumes it from the carried schedule.
  const progressUpdates = sendProgressUpdates(c);

  // Continue-as-new may interrupt a stage that only waits (no call in flight, no handler running);
  // the next run enters the same stage again from the carried state (an execution resumes its plan).
  const continueAsNewNow = condition(() => readyToContinueAsNew(c));
  while (!c.closed) {
    if (await Promise.race([runStage(c).then(() => false), continueAsNewNow.then(() => true)])) break;
  }
  if (!c.closed) {
    c.continuing = true;
    await finishBeforeContinueAsNew(c, receipt, projector);
    return continueAsNew<typeof complaintWorkflow>({ ...input, carried: c.carry() });
  }
  // Background waits and progress updates end with the case; their last facts belong in the final projection.
  await Promise.all([c.waitsEnded(), progressUpdates]);
  await finishBackground(c, receipt);
  c.view.deadlines = [];
  c.touch();
  await projector.stop();
  return {
    complaintId: c.view.complaintId,
    status: c.view.status,
    closeReason: c.view.closeReason,
    round: c.view.round,
    rating: c.view.satisfaction.rating,
  };
}

/**
 * What the run started must finish before it ends: the receipt, handlers, messages and alerts, and
 * every outside call in flight (its result would reach a run that is gone).
 */
async function finishBackground(c: Case, receipt: Promise<void>): Promise<void> {
  await receipt;
  await condition(() => allHandlersFinished() && c.inFlight === 0);
  await c.backgroundSettled();
}

/**
 * Before continue-as-new the run finishes what it started, and looks once more after every
 * continuation of the current task has run: the task that decided to continue may also have fired a
 * deadline, whose miss then starts its alert after the first look (simulation seed 108 case 2 lost
 * an alert that way). Runs that continued without the second look replay without it.
 */
async function finishBeforeContinueAsNew(
  c: Case,
  receipt: Promise<void>,
  projector: { stop: () => Promise<void> },
): Promise<void> {
  do {
    await finishBackground(c, receipt);
    // No call may be left in flight: its result would reach a run that is gone. A change made after
    // this is written by the next run's projector.
    await projector.stop();
  } while ((await busyOnceTaskSettled(c)) && patched(PATCHES.drainBeforeContinueAsNew.id));
}

/**
 * Whether a call or handler is running once the current workflow task's continuations have run
 * (`taskSettled`). It reads state only, never counts its own evaluations (how many there are is the
 * SDK's affair: docs/determinism.md).
 */
async function busyOnceTaskSettled(c: Case): Promise<boolean> {
  await taskSettled();
  return !(allHandlersFinished() && c.inFlight === 0);
}

/** Temporal suggests continue-as-new near its history limits; a policy can ask for it sooner. */
function readyToContinueAsNew(c: Case): boolean {
  const info = workflowInfo();
  const limit = c.policy.continueAsNewAtEvents;
  const due = info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
  // Execution runs money steps whose results it must see: it may continue only while it waits on a party (execution.ts).
  const safe = c.view.status !== 'executing' || (c.partyWait?.() ?? false);
  return due && !c.closed && safe && c.inFlight === 0 && allHandlersFinished();
}
