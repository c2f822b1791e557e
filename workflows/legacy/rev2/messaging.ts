import { log, proxyActivities } from '@temporalio/workflow';
import type { z } from 'zod';
import type { MessageTemplate, MessageVars } from '../../../shared/providers';
import type { ComplaintActivities } from '../../../activities';
import { type Case, SYSTEM } from './case';

/** Customer and staff messages: short retries, since a message never blocks the case. */
export const messaging = proxyActivities<ComplaintActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
});

/** Sends a customer message on the intake channel, within the daily cap (policy.smsPerCasePerDay). */
export async function sendCustomer<T extends MessageTemplate>(c: Case, template: T, vars: z.input<(typeof MessageVars)[T]>): Promise<void> {
  if (!c.takeMessageSlot()) {
    c.log(SYSTEM, 'customer_message_suppressed', { template, reason: 'daily_cap' }, 'refused');
    return;
  }
  try {
    await messaging.sendCustomerMessage({
      complaintId: c.view.complaintId,
      to: c.view.customer.phone,
      channel: c.view.channel,
      timeZone: c.policy.calendar.timeZone,
      template,
      vars,
    } as Parameters<ComplaintActivities['sendCustomerMessage']>[0]);
    c.log(SYSTEM, 'customer_message_sent', { template });
  } catch (err) {
    // A message that cannot go out must not stall the case; the audit log shows it.
    log.warn('customer message failed', { complaintId: c.view.complaintId, template, error: (err as Error).message });
    c.log(SYSTEM, 'customer_message_failed', { template, error: (err as Error).message }, 'failed');
  }
}
