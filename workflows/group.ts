import {
  ActivityFailure,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { type GroupMemberV1, groupFlaggedSignal, groupMemberSignal } from '../shared/messages';
import type { NotificationActivities } from '../activities/notifications';
import { PATCHES } from './patches';

/**
 * The group-complaint rule (docs/domain.md §2.4): counts the recent complaints about one merchant or product;
 * when a window holds the threshold, every open case of the group turns high priority and a
 * supervisor is told. Ends when its window is empty; the next complaint starts it again.
 */

const { notifyStaff } = proxyActivities<Pick<NotificationActivities, 'notifyStaff'>>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 20 },
});

type GroupAlert = Omit<Parameters<NotificationActivities['notifyStaff']>[0], 'recipient'>;

export interface GroupState {
  groupKey: string;
  members?: GroupMemberV1[];
  flagged?: string[];
}

export async function complaintGroupWorkflow(state: GroupState): Promise<void> {
  // Decided once, before any command: a run an older worker started keeps its timed conditions to its end.
  const clock = patched(PATCHES.groupOneClock.id) ? new MemberClock() : undefined;
  const members: GroupMemberV1[] = state.members ?? [];
  const flagged = new Set(state.flagged ?? []);
  let arrived = 0;
  setHandler(groupMemberSignal, (m) => {
    if (!members.some((x) => x.complaintId === m.complaintId)) members.push(m);
    arrived++;
  });
  // Alerts go out beside the counting: an SMS outage must neither hold the flags nor end the counter.
  const alerting = new Set<Promise<void>>();

  for (;;) {
    const seen = arrived;
    const windowMs = members.at(-1)?.windowMs ?? 0;
    const recent = members.filter((m) => Date.parse(m.openedAt) > Date.now() - m.windowMs);
    members.splice(0, members.length, ...recent);
    const threshold = members.at(-1)?.threshold ?? Infinity;
    if (members.length >= threshold) {
      const fresh = members.filter((m) => !flagged.has(m.complaintId));
      for (const m of fresh) {
        flagged.add(m.complaintId);
        const flag = () =>
          getExternalWorkflowHandle(m.complaintId).signal(groupFlaggedSignal, {
            groupKey: state.groupKey,
            count: members.length,
          });
        // A case closed meanwhile cannot be signalled; it no longer needs the flag.
        await (clock ? clock.run(flag) : flag()).catch(() => undefined);
      }
      if (fresh.length === members.length) {
        const alert = {
          complaintId: members[0].complaintId,
          event: 'group_complaint',
          text: `Group complaint: ${members.length} complaints about ${state.groupKey} within the window`,
        };
        // Older counters awaited the supervisor's alert, and failed with it (their members lost).
        if (patched(PATCHES.groupAlertBestEffort.id)) {
          const sending: Promise<void> = alertSomeone(state.groupKey, alert, windowMs).finally(() =>
            alerting.delete(sending),
          );
          alerting.add(sending);
        } else {
          await notifyStaff({ ...alert, recipient: 'supervisor' });
        }
      }
    }
    if (members.length === 0 && seen === arrived) {
      if (alerting.size === 0) return;
      // An alert still going out ends before the counter does; a new complaint meanwhile is counted.
      await condition(() => alerting.size === 0 || arrived !== seen);
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      if (alerting.size > 0) await condition(() => alerting.size === 0);
      await continueAsNew<typeof complaintGroupWorkflow>({
        groupKey: state.groupKey,
        members,
        flagged: [...flagged].filter((id) => members.some((m) => m.complaintId === id)),
      });
    }
    const oldest = members.length
      ? Math.min(...members.map((m) => Date.parse(m.openedAt) + m.windowMs))
      : Date.now() + windowMs;
    if (clock) await clock.until(() => arrived !== seen, oldest);
    else await condition(() => arrived !== seen, Math.max(1, oldest - Date.now()));
  }
}

/**
 * The counter's waits, leaving nothing behind them in the run (docs/worker-memory.md): each
 * `condition(fn, timeout)` leaves a cancelled scope on the run's root scope until the run ends, one
 * per member heard of. Here every wait and flag runs in one scope that cannot be cancelled, so
 * nothing in it subscribes to the root; a timer starts only for an expiry earlier than every timer
 * still running, and none is cancelled (one that fires only wakes the counter to count again); the
 * run's cancellation is heard once, and ends the counter at its next wait as before.
 */
class MemberClock {
  private readonly scope = new CancellationScope({ cancellable: false });
  /** When each timer started and not yet fired is due. */
  private readonly running = new Set<number>();
  private fired = 0;
  private cancelled: { failure: unknown } | undefined;

  constructor() {
    CancellationScope.current().cancelRequested.catch((failure: unknown) => {
      this.cancelled = { failure };
    });
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.scope.run(fn);
  }

  /** Until `woken()` holds or the time `at` (ms) comes, whichever first. */
  async until(woken: () => boolean, at: number): Promise<void> {
    if (!woken() && ![...this.running].some((due) => due <= at)) {
      this.running.add(at);
      // Whatever ends the timer wakes the counter to count again.
      const rang = () => {
        this.running.delete(at);
        this.fired++;
      };
      this.run(() => sleep(Math.max(1, at - Date.now()))).then(rang, rang);
    }
    const fired = this.fired;
    await this.run(() => condition(() => woken() || this.fired !== fired || this.cancelled !== undefined));
    if (this.cancelled) throw this.cancelled.failure;
  }
}

/**
 * Best effort, never thrown: the supervisor; if that alert cannot go out, the operations manager,
 * retried for as long as the group's window lasts (the flags are on the cases meanwhile).
 */
async function alertSomeone(groupKey: string, alert: GroupAlert, windowMs: number): Promise<void> {
  const fallback = proxyActivities<Pick<NotificationActivities, 'notifyStaff'>>({
    startToCloseTimeout: '10s',
    scheduleToCloseTimeout: Math.max(windowMs, 60 * 60_000),
    retry: { initialInterval: '1m', backoffCoefficient: 2, maximumInterval: '10m' },
  });
  const tries = [
    { recipient: 'supervisor', send: notifyStaff },
    { recipient: 'ops_manager', send: fallback.notifyStaff },
  ];
  for (const { recipient, send } of tries) {
    try {
      await send({ ...alert, recipient });
      return;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('group alert not delivered', {
        complaintId: alert.complaintId,
        groupKey,
        recipient,
        error: err.cause?.message ?? err.message,
      });
    }
  }
  log.error('group alert never delivered', { complaintId: alert.complaintId, groupKey });
}
