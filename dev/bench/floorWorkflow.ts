import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

/**
 * The floor a complaint workflow is measured against: the same updates (under the same names, so
 * one driver drives both), the same activities and timers stage by stage, counted from a real
 * lifecycle's history, and nothing else: no state, no validation, no projection, no search
 * attributes. What a case costs above this is the cost of our own logic.
 */

export interface FloorStage {
  /**
   * No-op activities run after the stage's update, in the batches our workflow scheduled them: one
   * batch per workflow task, each awaited before the next, so the floor pays the same workflow tasks.
   */
  batches: number[];
  /** Timers started in the stage and cancelled when the next update arrives (deadline waits that were met). */
  cancelledTimers: number;
  /** Timers that run out in the stage (the satisfaction callback). */
  firedTimers: number;
}

export interface FloorPlan {
  /** One stage per update of the lifecycle, in order; the first update is the intake's `submit.v1`. */
  updates: string[];
  stages: FloorStage[];
  firedTimerMs: number;
}

/** The fields of the case view the driver waits on. */
interface FloorView {
  status: string;
  stage: string;
  investigation: { dueAt: string | null };
  satisfaction: { callbackSentAt: string | null };
}

/** Where the driver waits for a stage it has no update for: after the refund and after the callback. */
const STATUS_AFTER: Record<string, string> = {
  'proposeResolution.v1': 'awaiting_customer',
  'customerResponse.v1': 'awaiting_feedback',
  'satisfaction.v1': 'closed',
};

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '15s' });

export async function floorWorkflow(plan: FloorPlan): Promise<{ status: string }> {
  const view: FloorView = {
    status: 'received',
    stage: '',
    investigation: { dueAt: null },
    satisfaction: { callbackSentAt: null },
  };
  let arrived = 0;
  setHandler(defineQuery<FloorView>('caseView.v1'), () => view);
  for (const name of plan.updates) {
    setHandler(defineUpdate<FloorView, [unknown]>(name), () => {
      arrived++;
      return view;
    });
  }

  for (let i = 0; i < plan.updates.length; i++) {
    await condition(() => arrived > i);
    const { batches, cancelledTimers, firedTimers } = plan.stages[i];
    const next = () => arrived > i + 1;
    for (let t = 0; t < cancelledTimers; t++) void condition(next, '1 day');
    for (const size of batches) await Promise.all(Array.from({ length: size }, () => noop()));
    await Promise.all(Array.from({ length: firedTimers }, () => sleep(plan.firedTimerMs)));
    view.investigation.dueAt ??= new Date().toISOString();
    if (firedTimers > 0) view.satisfaction.callbackSentAt = new Date().toISOString();
    view.status = STATUS_AFTER[plan.updates[i]] ?? 'in_progress';
  }
  return { status: view.status };
}
