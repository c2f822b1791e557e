import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Store } from '../store/connection';
import type { OrderLookup } from './intake';
import type { PolicyBook } from './policyBook';
import type { PaymentLedger } from './refunds';

/** What the API is built from; tests pass real clients pointed at their own servers. */
export interface AppDeps {
  temporal: Client;
  db: Store;
  orders: OrderLookup;
  payments: PaymentLedger;
  config: Config;
  /** The policy new cases open with: the newest published version (config.policy only seeds version 1). */
  policies: PolicyBook;
  logger: Logger;
}
