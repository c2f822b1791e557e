import { randomUUID } from 'node:crypto';
import { groupWorkflowId } from '../../shared/identity';
import { groupMemberSignal } from '../../shared/messages';
import { openCase } from '../support/cases';
import { type Harness, startHarness } from '../../dev/stack/harness';
import { MINUTE, eventually, faults, settle } from './helpers';

/**
 * The group-complaint counter (docs/domain.md §2.4: 5 complaints on one merchant within 24 h flag the group)
 * outlives an SMS outage: its alert is best effort, so a failed one neither ends the counter nor
 * loses its members, and the alert reaches a person once the gateway is back.
 */

// A harness per test: each time-skipping server and its connection live minutes, not the whole file.
let h: Harness;
beforeEach(async () => {
  h = await startHarness('liveness-group');
});
afterEach(async () => {
  if (h) await faults(h, null);
  await h?.close();
});

/** Skips server time in short steps (the time-skipping server has lost long skips). */
async function skip(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 10 * MINUTE) await h.env.sleep(Math.min(left, 10 * MINUTE));
}

const groupOf = (merchantId: string) => h.env.client.workflow.getHandle(groupWorkflowId('merchant', merchantId));

async function membersSignalled(merchantId: string): Promise<number> {
  const history = await groupOf(merchantId)
    .fetchHistory()
    .catch(() => null);
  return (history?.events ?? []).filter(
    (e) => e.workflowExecutionSignaledEventAttributes?.signalName === groupMemberSignal.name,
  ).length;
}

async function groupAlertsTo(
  recipient: string,
  merchantId: string,
): Promise<Array<{ template: string; text: string }>> {
  const res = await fetch(`${h.sandbox.url}/sms/messages?to=${encodeURIComponent(`staff:${recipient}`)}`);
  const sent = (await res.json()) as Array<{ template: string; text: string }>;
  return sent.filter((m) => m.template === 'staff:group_complaint' && m.text.includes(merchantId));
}

it("an SMS outage longer than the supervisor alert's retries leaves the counter running with its members; the alert reaches the operations manager later", async () => {
  const merchantId = `m-outage-${randomUUID().slice(0, 6)}`;
  const first4 = await Promise.all([1, 2, 3, 4].map(() => openCase(h, { merchantId })));
  await eventually(
    () => membersSignalled(merchantId),
    (n) => n === 4,
    'four members counted',
  );

  await faults(h, { service: 'sms', mode: 'error', rate: 1 });
  // The fifth joins once its receipt gave up (~14 min of retries); the supervisor's alert then
  // fails for as long again: 45 minutes is past both.
  const fifth = await openCase(h, { merchantId });
  await skip(45 * MINUTE);
  for (const c of [...first4, fifth]) {
    const v = await settle(c, (x) => x.groupFlagged, 'the group flag');
    expect(v.priority).toBe('high');
  }
  expect((await groupOf(merchantId).describe()).status.name).toBe('RUNNING');
  // The counter's own history is recorded with the cases' (npm run record-histories): it is a workflow that must replay too.
  h.started.push({
    workflowId: groupWorkflowId('merchant', merchantId),
    test: expect.getState().currentTestName ?? 'group counter',
  });

  // Still in the outage, a sixth complaint within the 24 h is counted with the five before it.
  const sixth = await openCase(h, { merchantId });
  // It joins once its receipt gave up (~14 min of retries). Skipped a few minutes at a time: each
  // failing attempt takes real time, so on a busy machine one long skip can end before they do.
  for (let skipped = 0; skipped < 45 * MINUTE && !(await settle(sixth, () => true)).groupFlagged; skipped += 5 * MINUTE)
    await skip(5 * MINUTE);
  const v6 = await settle(sixth, (x) => x.groupFlagged, 'the sixth flagged');
  expect(v6.priority).toBe('high');
  expect(v6.priorityReasons).toContain(`group_complaint:merchant:${merchantId}:6`);
  expect(await groupAlertsTo('supervisor', merchantId)).toEqual([]);

  // The gateway is back: the alert that could not reach the supervisor reaches the operations manager.
  await faults(h, null);
  await skip(15 * MINUTE);
  const alerts = await eventually(
    () => groupAlertsTo('ops_manager', merchantId),
    (a) => a.length >= 1,
    'the group alert to the operations manager',
  );
  expect(alerts).toHaveLength(1);
  expect((await groupOf(merchantId).describe()).status.name).toBe('RUNNING');
}, 300_000);
