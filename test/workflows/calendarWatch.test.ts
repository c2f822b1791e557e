import type { WorkflowHandle } from '@temporalio/client';
import { DEFAULT_POLICY, SlaPolicy } from '../../shared/policy';
import { policyVersionModel, seedPolicyVersion } from '../../store/policyVersions';
import { CALENDAR_WATCH_ID, type calendarWatchWorkflow } from '../../workflows/calendarWatch';
import { sandboxRecords } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import { DAY, HOUR, eventually, faults } from './helpers';

/**
 * docs/domain.md §4.3: operations are reminded once a day (not once per case) from 60 days before the loaded
 * holiday data ends. On any date: the policies here hold this year's schedule only, and the watch
 * is started with a reminding period longer than a year (the worker starts it with 60 days), so a
 * reminder is due today; a policy that also holds next year's schedule is more than 60 days from its end.
 */

const h = useWorkflowHarness('calendar-watch', { each: true });

const reminders = async () =>
  (await sandboxRecords.sms(h, CALENDAR_WATCH_ID)).filter((m) => m.template === 'staff:calendar_data_ending');

async function startWatch(policy: SlaPolicy, remindFromDays: number) {
  await seedPolicyVersion(policyVersionModel(h.mongo), policy, 'calendar watch test');
  const workflowId = `${CALENDAR_WATCH_ID}-${h.taskQueue}`;
  h.started.push({ workflowId, test: expect.getState().currentTestName ?? 'calendar watch' });
  return h.env.client.workflow.start<typeof calendarWatchWorkflow>('calendarWatchWorkflow', {
    workflowId,
    taskQueue: h.taskQueue,
    args: [{ remindFromDays }],
  });
}

/**
 * Until the watch has nothing in flight (no workflow task, no activity): every reminder due by the
 * server's time has gone out, so a count read now is final, however slow the machine.
 */
async function settled(watch: WorkflowHandle): Promise<void> {
  const idle = async () => {
    const d = await watch.describe();
    return (d.raw.pendingActivities?.length ?? 0) === 0 && !d.raw.pendingWorkflowTask;
  };
  await eventually(idle, (ok) => ok, 'the watch with nothing in flight');
}

/** `hour`:00 in Shanghai (UTC+8, no daylight saving), `days` local days after the day of `ms`. */
function shanghaiDaysLater(ms: number, days: number, hour: number): number {
  const localDay = Math.floor((ms + 8 * HOUR) / DAY);
  return (localDay + days) * DAY + hour * HOUR - 8 * HOUR;
}

/** The default policy with official data for `years` only (Shanghai's calendar year of the server's clock). */
async function officialFor(extraYears: number): Promise<SlaPolicy> {
  const year = new Date((await h.env.currentTimeMs()) + 8 * HOUR).getUTCFullYear();
  const years = Array.from({ length: extraYears + 1 }, (_, i) => year + i);
  const inYears = (d: string) => years.includes(Number(d.slice(0, 4)));
  const cal = DEFAULT_POLICY.calendar;
  return SlaPolicy.parse({
    ...DEFAULT_POLICY,
    calendar: {
      ...cal,
      coveredYears: years,
      holidays: cal.holidays.filter(inYears),
      makeUpWorkdays: cal.makeUpWorkdays.filter(inYears),
    },
  });
}

it('reminds operations once a day while the official data ends within the reminding period', async () => {
  const watch = await startWatch(await officialFor(0), 400);
  await eventually(reminders, (r) => r.length === 1, 'the first reminder');
  expect((await reminders())[0].to).toBe('staff:ops_manager');
  // Two more local days: one reminder each morning when service opens (09:00 Shanghai, every day),
  // never one per case or per hour. Counted in local days, not in 48 hours: a watch started before
  // 09:00 has already reminded for that day.
  await h.env.sleep(shanghaiDaysLater(await h.env.currentTimeMs(), 2, 10) - (await h.env.currentTimeMs()));
  await eventually(reminders, (r) => r.length === 3, 'a reminder a day');
  await h.env.sleep(6 * HOUR);
  await settled(watch);
  expect(await reminders()).toHaveLength(3);
  await watch.terminate();
});

it('a reminder the gateway refuses goes to the supervisor', async () => {
  // The operations manager's five tries fail; the supervisor's goes out.
  await faults(h, { service: 'sms', mode: 'error', rate: 1, count: 5 });
  const watch = await startWatch(await officialFor(0), 400);
  await eventually(reminders, (r) => r.length === 1, 'the reminder to the supervisor', 60_000);
  expect((await reminders())[0].to).toBe('staff:supervisor');
  await watch.terminate();
}, 120_000);

it("is quiet once next year's schedule is published", async () => {
  const watch = await startWatch(await officialFor(1), 60);
  await h.env.sleep(2 * DAY);
  await settled(watch);
  expect(await reminders()).toEqual([]);
  await watch.terminate();
});
