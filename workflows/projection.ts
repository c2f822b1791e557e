import { ActivityFailure, ApplicationFailure, condition, proxyActivities } from '@temporalio/workflow';
import type { CaseStoreActivities } from '../activities/caseStore';
import { PROJECTION_BEHIND, viewChanges, viewFields, type ViewFields } from '../shared/viewChanges';
import type { Case } from './case';

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
  let stopping = false;
  // The view as the last acknowledged write left it; none yet in this run, so its first write sends the whole view.
  let written: ViewFields | undefined;
  const loop = (async () => {
    for (;;) {
      await condition(() => stopping || c.state.projectionVersion > c.state.written.version);
      if (c.state.projectionVersion > c.state.written.version) written = await flushProjection(c, written);
      else if (stopping) return;
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
    },
  };
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
