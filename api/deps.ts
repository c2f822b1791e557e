import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Store } from '../store/connection';
import type { OrderLookup } from './intake';
import type { PaymentLedger } from './refunds';

/** What the API is built from; tests pass real clients pointed at their own servers. */
export interface AppDeps {
  temporal: Client;
  db: Store;
  orders: OrderLookup;
  payments: PaymentLedger;
  config: Config;
  logger: Logger;
}
