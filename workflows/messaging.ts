import { ActivityFailure, ApplicationFailure, log, patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { z } from 'zod';
import type { MessageTemplate, MessageVars } from '../shared/providers';
import type { MerchantActivities } from '../activities/merchants';
import type { NotificationActivities } from '../activities/notifications';
import { type Case, SYSTEM, nowIso } from './case';
import { PATCHES } from './patches';

/**
 * Outside calls from workflow code have one of two shapes:
 * - best effort (`bestEffort`): a failure is a timeline fact, and an alert where a person must act;
 *   the case goes on;
 * - a step that must happen: retried, then compensated or escalated (the saga in execution.ts).
 * Nothing an outside system does may end, freeze or fail a case.
 */

/** Customer and staff messages and merchant notices: short retries, since a message never blocks the case. */
export const messaging = proxyActivities<
  Pick<NotificationActivities & MerchantActivities, 'sendCustomerMessage' | 'notifyStaff' | 'sendMerchantNotice'>
>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
});

/** What a failed outside call says: the provider's refusal code, or the transport error. */
export function reasonOf(err: ActivityFailure): string {
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) return cause.type ? `${cause.type}: ${cause.message}` : cause.message;
  return cause?.message ?? err.message;
}

/**
 * Runs an outside call whose failure must not touch the case: on failure it logs `<what>_failed`
 * with the reason, hands the reason to `failed` and, when `alert` is given, tells that person; returns undefined.
 */
export async function bestEffort<T>(
  c: Case,
  what: string,
  call: () => Promise<T>,
  opts: {
    detail?: Record<string, unknown>;
    alert?: { to: string; text: string };
    failed?: (error: string) => void;
  } = {},
): Promise<T | undefined> {
  c.inFlight++;
  try {
    return await call();
  } catch (err) {
    // Anything but an activity's failure is a bug in this code: let it surface.
    if (!(err instanceof ActivityFailure)) throw err;
    const error = reasonOf(err);
    log.warn(`${what} failed`, { complaintId: c.view.complaintId, what, error });
    c.audit(SYSTEM, `${what}_failed`, { ...opts.detail, error }, 'failed');
    opts.failed?.(error);
    if (opts.alert)
      await notifyStaff(c, opts.alert.to, `${what}_failed`, `${c.view.complaintId}: ${opts.alert.text} (${error})`);
    return undefined;
  } finally {
    c.inFlight--;
  }
}

/**
 * Alerts a person or role. An alert that cannot go out is itself an alert (docs/domain.md §5.6): it
 * shows on the case and goes one level up (the operations manager's is shown only). Older runs
 * kept it as a timeline fact (patch).
 */
export async function notifyStaff(c: Case, recipient: string, event: string, text: string): Promise<void> {
  const sent = await bestEffort(
    c,
    'staff_notification',
    () => messaging.notifyStaff({ complaintId: c.view.complaintId, recipient, event, text }).then(() => true),
    { detail: { recipient, event } },
  );
  if (sent) {
    c.audit(SYSTEM, 'staff_notified', { recipient, event });
    return;
  }
  if (!patched(PATCHES.toldEveryServiceDay.id)) return;
  const up = recipient === 'ops_manager' ? null : recipient === 'supervisor' ? 'ops_manager' : 'supervisor';
  c.view.undeliveredMessages = [
    ...(c.view.undeliveredMessages ?? []),
    { template: `staff:${event}`, at: nowIso(), alerted: up ?? 'nobody: shown on the case' },
  ];
  c.touch();
  if (up)
    await notifyStaff(
      c,
      up,
      'staff_alert_undelivered',
      `${c.view.complaintId}: the ${event} alert to ${recipient} could not be delivered: ${text}`,
    );
}

/**
 * Sends a customer message on the intake channel, within the daily cap (policy.smsPerCasePerDay).
 * The time it went out (was handed to the gateway), or null. A capped message waits for the next day (a step may depend on it); only a
 * progress update, which the next one replaces, is dropped.
 */
export async function sendCustomer<T extends MessageTemplate>(
  c: Case,
  template: T,
  vars: z.input<(typeof MessageVars)[T]>,
): Promise<string | null> {
  // In flight while it waits for the cap too: continue-as-new must not drop a message a step waits for.
  c.inFlight++;
  try {
    return await sendWithinCap(c, template, vars);
  } finally {
    c.inFlight--;
  }
}

async function sendWithinCap<T extends MessageTemplate>(
  c: Case,
  template: T,
  vars: z.input<(typeof MessageVars)[T]>,
): Promise<string | null> {
  if (!c.takeMessageSlot()) {
    if (template === 'progress_update') {
      c.audit(SYSTEM, 'customer_message_suppressed', { template, reason: 'daily_cap' }, 'refused');
      return null;
    }
    c.audit(SYSTEM, 'customer_message_delayed', {
      template,
      reason: 'daily_cap',
      until: new Date(c.nextMessageDayMs()).toISOString(),
    });
    do await sleep(Math.max(1, c.nextMessageDayMs() - Date.now()));
    while (!c.takeMessageSlot());
  }
  const at = nowIso();
  const sent = await bestEffort(
    c,
    'customer_message',
    () =>
      messaging
        .sendCustomerMessage({
          complaintId: c.view.complaintId,
          to: c.view.customer.phone,
          channel: c.view.channel,
          timeZone: c.policy.calendar.timeZone,
          locale: c.view.customer.locale ?? 'zh-CN',
          template,
          vars,
        } as Parameters<NotificationActivities['sendCustomerMessage']>[0])
        .then(() => true),
    { detail: { template }, failed: (error) => undelivered(c, template, error) },
  );
  if (!sent) return null;
  c.audit(SYSTEM, 'customer_message_sent', { template });
  return at;
}

/**
 * docs/domain.md §5.6: a customer message that could not be delivered after its retries is an alert to a person (the
 * owner, else the supervisor), shown on the case; the case goes on, so the alert goes out beside it.
 * Runs older than this dropped the message silently (patch).
 */
function undelivered(c: Case, template: MessageTemplate, error: string): void {
  if (!patched(PATCHES.undeliveredMessageAlerts.id)) return;
  const to = c.view.owner ?? 'supervisor';
  c.view.undeliveredMessages = [...(c.view.undeliveredMessages ?? []), { template, at: nowIso(), alerted: to }];
  c.touch();
  c.track(
    notifyStaff(
      c,
      to,
      'customer_message_undelivered',
      `${c.view.complaintId}: the ${template} message could not be delivered to the customer (${error}); reach them another way`,
    ),
  );
}
