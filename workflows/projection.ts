import { condition, proxyActivities } from '@temporalio/workflow';
import type { CaseStoreActivities } from '../activities/caseStore';
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
  const loop = (async () => {
    for (;;) {
      await condition(() => stopping || c.state.projectionVersion > c.state.written.version);
      if (c.state.projectionVersion > c.state.written.version) await flushProjection(c);
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

async function flushProjection(c: Case): Promise<void> {
  const last = c.state.written;
  const version = c.state.projectionVersion;
  const timeline = c.state.timeline.slice(last.timeline);
  const slaEvents = c.state.slaEvents.slice(last.sla);
  // Arguments are serialized when the activity is scheduled, so later changes do not leak in.
  await store.recordCase({ view: c.view, version, timeline, slaEvents });
  c.state.written = { version, timeline: last.timeline + timeline.length, sla: last.sla + slaEvents.length };
}
