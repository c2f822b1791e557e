import { addEvidenceUpdate, assignUpdate, firstResponseUpdate } from '../../shared/messages';
import { agent, openCase } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  continuedAsNew,
  deadline,
  endOfWorkingDays,
  eventually,
  nextServiceOpening,
  policyAt,
  quiet,
  settle,
  skipTo,
  staffAlertsTo,
  timeline,
} from './helpers';

/**
 * docs/domain.md §4.4, §5.2 across a continue-as-new: after a miss the rung that was told hears
 * again at the start of a service day. A pause for the customer's evidence that outlasts the next
 * service day's start, ended after service hours, leaves the reminder for the next opening, in a run
 * that continues as new right then as in one that does not. Expected times are the figures of
 * docs/domain.md (3 working days of investigation, service 09:00–21:00 local), counted here.
 */

const h = useWorkflowHarness('liveness-reminder-after-pause', { each: true });

const CONTINUE_AT_EVENTS = 150;

it('a reminder after a pause ended out of service hours waits for the next opening, though the run continues as new at once', async () => {
  // Local 10:xx. Only the investigation's ladder speaks: the first response and the routine target are far off.
  const policy = await policyAt(h, 10, {
    continueAsNewAtEvents: CONTINUE_AT_EVENTS,
    firstResponse: 'PT300H',
    routineHandling: 'PT300H',
  });
  const tz = policy.calendar.timeZone;
  const c = await openCase(h, { policy, priority: 'low', category: 'service', subType: 'rude_agent' });
  await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
  const opened = Date.parse((await settle(c, (v) => v.owner !== null, 'the owner', { quiet: true })).createdAt);
  const reminders = async () =>
    (await staffAlertsTo(h, c.input.complaintId, 'supervisor')).filter(
      (a) => a.template === 'staff:investigation_still_missed',
    );

  // The first answer comes the service morning after the investigation's 3 working days ran out,
  // asking for evidence: the investigation is missed at once and the supervisor told, then it waits for the customer.
  const investigationDue = endOfWorkingDays(opened, 3, policy.calendar);
  const answeredAt = nextServiceOpening(investigationDue + 1, tz) + HOUR;
  await skipTo(h, answeredAt);
  await c.handle.executeUpdate(firstResponseUpdate, {
    args: [{ message: 'We are looking into it.', requestEvidence: true, actor: agent }],
  });
  await eventually(
    () => staffAlertsTo(h, c.input.complaintId, 'supervisor'),
    (a) => a.some((x) => x.template === 'staff:investigation_breached'),
    'the supervisor told of the miss',
  );
  await settle(c, (v) => deadline(v, 'investigation')?.paused === true, 'the investigation paused', { quiet: true });

  // The pause outlasts the next service day's start; the evidence comes the day after, at 22:00 local.
  const resumedAt = answeredAt - HOUR + DAY + 13 * HOUR;
  await skipTo(h, resumedAt);
  expect(await reminders()).toEqual([]);
  await c.handle.executeUpdate(addEvidenceUpdate, {
    args: [{ items: [{ kind: 'photo', url: 'https://img.example.com/late.jpg', note: 'late' }], actor: c.customer }],
  });
  await settle(c, (v) => deadline(v, 'investigation')?.paused === false, 'the investigation resumed', { quiet: true });

  // The case continues as new right then: the new run tells nobody out of service hours.
  await continuedAsNew(
    h,
    c,
    (s) => s.view.deadlines.some((d) => d.kind === 'investigation' && !d.paused),
    CONTINUE_AT_EVENTS,
  );
  await quiet(c);
  expect(await reminders()).toEqual([]);

  // The next opening after the resume: the supervisor is reminded then.
  const opening = nextServiceOpening(resumedAt, tz);
  expect(opening - resumedAt).toBe(11 * HOUR);
  await skipTo(h, opening + 30 * MINUTE);
  await eventually(reminders, (r) => r.length === 1, 'the reminder at the next opening');
  await quiet(c);
  const told = (await timeline(c)).filter(
    (e) => e.action === 'deadline_still_missed' && e.detail.kind === 'investigation',
  );
  expect(told).toHaveLength(1);
  expect(Date.parse(told[0].at) - opening).toBeGreaterThanOrEqual(0);
  expect(Date.parse(told[0].at) - opening).toBeLessThan(MINUTE);
}, 240_000);
