import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Store } from '../store/connection';
import type { MerchantOrderFigures } from '../shared/providers';
import type { OrderLookup } from './intake';
import type { PolicyBook } from './policyBook';
import type { PaymentLedger } from './refunds';

/** What the API is built from; tests pass real clients pointed at their own servers. */
export interface AppDeps {
  temporal: Client;
  db: Store;
  /** The order service: orders at intake, and the orders and returns the reports divide by (docs/domain.md §11.4). */
  orders: OrderLookup & { merchantFigures(from: Date, to: Date): Promise<MerchantOrderFigures> };
  payments: PaymentLedger;
  config: Config;
  /** The policy new cases open with: the newest published version (config.policy only seeds version 1). */
  policies: PolicyBook;
  logger: Logger;
}
