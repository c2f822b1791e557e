import { agent } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  HOUR,
  answered,
  breachOf,
  endOfWorkingDays,
  hasDeadline,
  nextServiceOpening,
  policyAt,
  propose,
  settle,
  timeline,
  skipTo,
} from './helpers';
import { briefUpdate } from '../../shared/messages';

/**
 * docs/domain.md §5.6: "Waiting to tell someone never holds the case." An alert on a routine case waits for
 * service hours (09:00 local), but the case goes on meanwhile: a plan proposed at 01:00 after an
 * investigation miss is carried out at 01:00, not at 09:00.
 */

const h = useWorkflowHarness('liveness-alerts', { each: true });

it('a plan proposed at night after an investigation miss is carried out at once, while the miss alert waits for the morning', async () => {
  const policy = await policyAt(h, 10, { investigation: { workingDays: 1, extendedWorkingDays: 1 } });
  const c = await answered(h, { policy });
  const opened = Date.parse((await settle(c, hasDeadline('investigation'), 'the investigation')).createdAt);
  // Due at the end of the next working day (23:59:59.999 local); at 01:00 service is closed until 09:00.
  const due = endOfWorkingDays(opened, 1, policy.calendar);
  const night = due + 1 + HOUR;
  await skipTo(h, night);
  await settle(c, (v) => breachOf(v, 'investigation').length === 1, 'the investigation missed');

  await c.handle.executeUpdate(briefUpdate, {
    args: [{ responsibility: 'merchant', findings: 'Defect confirmed from the photos', actor: agent }],
  });
  await settle(c, hasDeadline('proposal'), 'the proposal deadline');
  await propose(c, { type: 'refund', amountFen: 10_000 });
  const done = await settle(c, (v) => v.resolution.steps.some((s) => s.status === 'done'), 'the refund carried out');
  expect(done.status).not.toBe('executing');
  const refunded = (await timeline(c)).find((e) => e.action === 'refund_done');
  const morning = nextServiceOpening(night, policy.calendar.timeZone);
  expect(Date.parse(refunded!.at)).toBeLessThan(morning);
}, 180_000);
