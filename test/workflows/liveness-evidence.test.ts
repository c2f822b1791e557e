import { addEvidenceUpdate } from '../../shared/messages';
import { agent } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  answered,
  customerTemplates,
  deadline,
  eventually,
  policyAt,
  settle,
  staffAlertsTo,
  timeline,
  zoneOffsetMs,
  skipTo,
} from './helpers';

/**
 * docs/domain.md §5.5 "Every wait has a clock": evidence not sent in 3 working days → the investigation resumes
 * and decides on what it has; the customer is reminded half way; a person is told. The window is
 * counted here by hand: the same local clock time on the 3rd working day (Monday to Friday, less
 * the policy's holidays, plus its make-up workdays).
 */

const h = useWorkflowHarness('liveness-evidence', { each: true });

function sameClockOnWorkingDay(
  start: number,
  days: number,
  cal: { timeZone: string; holidays: string[]; makeUpWorkdays: string[] },
): number {
  const offset = zoneOffsetMs(cal.timeZone);
  let at = start;
  for (let counted = 0; counted < days;) {
    at += DAY;
    const local = new Date(at + offset);
    const date = local.toISOString().slice(0, 10);
    const weekday = local.getUTCDay();
    if (cal.makeUpWorkdays.includes(date) || (weekday >= 1 && weekday <= 5 && !cal.holidays.includes(date)))
      counted += 1;
  }
  return at;
}

it('evidence never sent: the customer is reminded half way, and after 3 working days the investigation resumes and the owner is told', async () => {
  const policy = await policyAt(h, 10);
  const c = await answered(h, { policy }, true);
  const v = await settle(c, (x) => x.awaitingEvidence && deadline(x, 'evidence') !== undefined, 'the evidence window');
  const since = Date.parse(deadline(v, 'evidence')!.since);
  const due = sameClockOnWorkingDay(since, 3, policy.calendar);
  expect(Date.parse(deadline(v, 'evidence')!.dueAt)).toBe(due);
  expect(deadline(v, 'investigation')?.paused).toBe(true);

  await skipTo(h, due - HOUR);
  await eventually(
    () => customerTemplates(h, c.input.complaintId),
    (t) => t.filter((x) => x === 'evidence_request').length === 2,
    'the reminder',
  );

  await skipTo(h, due + HOUR);
  const after = await settle(
    c,
    (x) => !x.awaitingEvidence && deadline(x, 'investigation')?.paused === false,
    'the investigation resumed',
  );
  expect(after.stage).toBe('investigating');
  expect(deadline(after, 'evidence')).toBeUndefined();
  await eventually(
    () => staffAlertsTo(h, c.input.complaintId, agent.sub),
    (a) => a.some((x) => x.template === 'staff:evidence_not_received'),
    'the owner told',
  );
  expect((await timeline(c)).some((e) => e.action === 'handling_clock_resumed')).toBe(true);
  // One reminder only, however long the case waits afterwards.
  expect((await customerTemplates(h, c.input.complaintId)).filter((x) => x === 'evidence_request')).toHaveLength(2);
}, 180_000);

it('evidence sent in time ends the window: no reminder, no alert', async () => {
  const policy = await policyAt(h, 10);
  const c = await answered(h, { policy }, true);
  await settle(c, (x) => x.awaitingEvidence && deadline(x, 'evidence') !== undefined, 'the evidence window');
  await c.handle.executeUpdate(addEvidenceUpdate, {
    args: [
      { items: [{ kind: 'photo', url: 'https://img.example.com/leak.jpg', note: 'the leak' }], actor: c.customer },
    ],
  });
  await settle(c, (x) => !x.awaitingEvidence && deadline(x, 'evidence') === undefined, 'the window closed');
  await skipTo(h, (await h.env.currentTimeMs()) + 6 * DAY);
  expect((await customerTemplates(h, c.input.complaintId)).filter((x) => x === 'evidence_request')).toHaveLength(1);
  expect(
    (await staffAlertsTo(h, c.input.complaintId, agent.sub)).some((x) => x.template === 'staff:evidence_not_received'),
  ).toBe(false);
}, 180_000);
