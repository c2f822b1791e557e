import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createCalendarWatchActivities } from './calendarWatch';
import { createCarrierActivities } from './carriers';
import { createCaseStoreActivities } from './caseStore';
import { createGroupActivities } from './groups';
import { createMerchantActivities } from './merchants';
import { createNotificationActivities } from './notifications';
import { createPaymentActivities } from './payments';
import { createPolicyRolloutActivities } from './policyRollout';
import { createSupplierWatchActivities } from './supplierWatch';
import { createTrustFixActivities } from './trustFixes';

export interface ActivityDeps {
  config: Config;
  temporal: Client;
  mongo: Connection;
  logger?: Logger;
}

/** Every activity the complaint workflows call, each module wired to its real client. */
export function createActivities({ config, temporal, mongo, logger }: ActivityDeps) {
  const provider = (baseUrl: string) => ({ baseUrl, apiKey: config.PROVIDER_API_KEY, logger });
  return {
    ...createPaymentActivities(provider(config.PAYMENT_URL)),
    ...createNotificationActivities(provider(config.SMS_URL)),
    ...createCarrierActivities(provider(config.CARRIER_URL)),
    ...createMerchantActivities(provider(config.MERCHANT_URL)),
    ...createCaseStoreActivities({ connection: mongo, retentionYears: config.policy.retentionYears }),
    ...createCalendarWatchActivities({ connection: mongo }),
    ...createSupplierWatchActivities({ connection: mongo, orders: provider(config.ORDERS_URL) }),
    ...createTrustFixActivities({ connection: mongo }),
    ...createGroupActivities({ client: temporal, taskQueue: config.TEMPORAL_TASK_QUEUE }),
    ...createPolicyRolloutActivities({ client: temporal, logger }),
  };
}

export type ComplaintActivities = ReturnType<typeof createActivities>;
