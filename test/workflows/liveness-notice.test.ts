import type { CaseViewV1 } from '../../shared/caseView';
import { agent } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  HOUR,
  MINUTE,
  alerted,
  breachOf,
  briefed,
  deadline,
  eventually,
  faults,
  policyAt,
  propose,
  settle,
  slaEvents,
  sleepUntil,
  solved,
  view,
} from './helpers';

/**
 * docs/domain.md §5.5, §8.1: a plan step that only tells the merchant (resend parts here) keeps a
 * clock on the case while its notice is retried through a portal outage: the case owner's, with the
 * staff ladder after a miss; it closes when the notice goes through. Before, nothing ran meanwhile
 * (simulation seed 101 case 1978: 17 minutes of retries with no deadline, docs/simulation.md).
 */

const h = useWorkflowHarness('liveness-notice');
afterEach(() => faults(h, null));

/** docs/domain.md §8.1: a notice the plan depends on goes through within 24 h, on the calendar. */
const NOTICE_WINDOW = 24 * HOUR;

const steps = (v: CaseViewV1) => v.resolution.steps.map((s) => [s.name, s.status]);
/** Requests the portal refused so far (the armed fault counts them). */
const refused = () => Promise.resolve(h.sandbox.faults.list().find((f) => f.service === 'merchants')?.hits ?? 0);

it('while the resend_parts notice is retried, the owner has a running 24 h deadline; it closes when the notice goes through', async () => {
  // Opened at 10:00 local; the notice's window is calendar time, so the hour only keeps alerts in service hours.
  const c = await briefed(h, { policy: await policyAt(h, 10) });
  await faults(h, { service: 'merchants', mode: 'error', rate: 1 });
  const proposedAt = await h.env.currentTimeMs();
  await propose(c, { type: 'resend_parts' });
  // The first attempt and a retry were refused: the notice is being retried now, and until the portal is back.
  await eventually(refused, (n) => n >= 2, 'a retried merchant notice');
  const v = await view(c);
  const d = deadline(v, 'merchant_notice');
  expect(d).toMatchObject({ paused: false, rung: 0 });
  const since = Date.parse(d!.since);
  expect(since).toBeGreaterThanOrEqual(proposedAt);
  expect(since).toBeLessThanOrEqual(await h.env.currentTimeMs());
  expect(Date.parse(d!.dueAt)).toBe(since + NOTICE_WINDOW);
  // Its first rung is the case's owner; the step shows it pending until the notice goes through.
  expect(v.owner).toBe(agent.sub);
  expect(v.status).toBe('executing');
  expect(steps(v)).toEqual([['resend_parts', 'pending']]);

  await faults(h, null);
  await h.env.sleep(2 * MINUTE);
  const done = await solved(c);
  expect(steps(done)).toEqual([['resend_parts', 'done']]);
  expect(deadline(done, 'merchant_notice')).toBeUndefined();
  expect(done.breaches).toEqual([]);
  expect((await slaEvents(c)).filter((e) => e.kind === 'merchant_notice').map((e) => e.event)).toEqual([
    'activated',
    'met',
  ]);
});

it('a notice retried past its window is a miss the supervisor hears of, while the retries go on', async () => {
  // A window shorter than the retries (about 17 minutes), so the outage outlasts it.
  const policy = await policyAt(h, 10, { execution: { merchantNotice: 'PT5M' } });
  const c = await briefed(h, { policy });
  await faults(h, { service: 'merchants', mode: 'error', rate: 1 });
  await propose(c, { type: 'resend_parts' });
  const v0 = await settle(c, (x) => deadline(x, 'merchant_notice') !== undefined, 'the notice deadline');
  const since = Date.parse(deadline(v0, 'merchant_notice')!.since);
  await sleepUntil(h, since + 5 * MINUTE + MINUTE);
  const v1 = await settle(c, (x) => breachOf(x, 'merchant_notice').length === 1, 'the notice breach');
  expect(breachOf(v1, 'merchant_notice')[0]).toMatchObject({
    escalatedTo: 'supervisor',
    dueAt: new Date(since + 5 * MINUTE).toISOString(),
  });
  expect(v1.status).toBe('executing');
  expect(deadline(v1, 'merchant_notice')).toMatchObject({ rung: 1, paused: false });
  await alerted(h, c.input.complaintId, { to: 'staff:supervisor', template: 'staff:merchant_notice_breached' });

  await faults(h, null);
  await h.env.sleep(2 * MINUTE);
  const done = await solved(c);
  expect(steps(done)).toEqual([['resend_parts', 'done']]);
  expect(deadline(done, 'merchant_notice')).toBeUndefined();
});
