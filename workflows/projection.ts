import { ActivityFailure, ApplicationFailure, condition, patched, proxyActivities } from '@temporalio/workflow';
import type { CaseStoreActivities } from '../activities/caseStore';
import { PROJECTION_BEHIND, viewChanges, viewFields, type ViewFields } from '../shared/viewChanges';
import type { Case } from './case';
import { PATCHES } from './patches';

/**
 * The case's projection in MongoDB (what the API lists and reports read): written whenever the
 * case changed, the latest view plus the audit and SLA lines not yet written.
 */

const store = proxyActivities<Pick<CaseStoreActivities, 'recordCase'>>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** Writes the projection whenever the case changed: the latest view plus the new audit and SLA lines. */
export function keepProjectionCurrent(c: Case): { stop: () => Promise<void> } {
  // Decided once, in the run's first task: a run an older worker started keeps writing as it did.
  const afterSettle = patched(PATCHES.projectionAfterSettle.id);
  let stopping = false;
  // The view as the last acknowledged write left it; none yet in this run, so its first write sends the whole view.
  let written: ViewFields | undefined;
  const changed = () => c.state.projectionVersion > c.state.written.version;
  const loop = (async () => {
    for (;;) {
      await condition(() => stopping || changed());
      if (!changed()) {
        if (stopping) return;
        continue;
      }
      if (afterSettle) await taskSettled();
      written = await flushProjection(c, written);
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
    },
  };
}

/**
 * Resolves once every continuation the current activation woke has run. A replay folds a workflow
 * task that issued no command into the next one (the SDK's core does, docs/determinism.md "A task
 * without commands"), so jobs the run handled in two activations reach the replay in one: a write
 * that looked at the view as soon as its predecessor's result came would see less of it there than
 * the run did, and write once more. A condition is evaluated when created and then only at the SDK's
 * next pass, after every continuation of the activation: the flag set after its creation holds there.
 */
export async function taskSettled(): Promise<void> {
  let created = false;
  const settled = condition(() => created);
  created = true;
  await settled;
}

async function flushProjection(c: Case, written: ViewFields | undefined): Promise<ViewFields | undefined> {
  const last = c.state.written;
  const version = c.state.projectionVersion;
  const timeline = c.state.timeline.slice(last.timeline);
  const slaEvents = c.state.slaEvents.slice(last.sla);
  const fields = viewFields(c.view);
  const write = written
    ? { complaintId: c.view.complaintId, since: last.version, changes: viewChanges(written, fields, c.view) }
    : { view: c.view };
  try {
    // Arguments are serialized when the activity is scheduled, so later changes do not leak in.
    await store.recordCase({ ...write, version, timeline, slaEvents });
  } catch (err) {
    if (!(
      err instanceof ActivityFailure &&
      err.cause instanceof ApplicationFailure &&
      err.cause.type === PROJECTION_BEHIND
    ))
      throw err;
    return undefined;
  }
  c.state.written = { version, timeline: last.timeline + timeline.length, sla: last.sla + slaEvents.length };
  return fields;
}
