import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createOrdersClient } from '../clients/orders';
import { apiHost, loadConfig, requireApiSecret } from '../config';
import { openStore } from '../store/connection';
import { createApp } from './app';
import { createPolicyBook, seedPolicy } from './policyBook';
import { resumePendingRollout } from './policyRollout';
import { createPaymentLedger } from './refunds';
import { UPDATE_DEADLINE_MS } from './cases';

const ROLLOUT_RESUME_EVERY_MS = 60_000;

/** The API process: configuration once, its connections, listen, and a clean stop on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  // Before any connection is opened: a deployment without real secrets stops here.
  requireApiSecret(config);
  const logger = pino({ name: 'api', level: config.LOG_LEVEL });
  // Lazy: the API starts (and answers 503 / not ready) while Temporal is still coming up.
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const db = await openStore(config.MONGODB_URI);
  const orders = createOrdersClient({ baseUrl: config.ORDERS_URL, apiKey: config.PROVIDER_API_KEY, logger });

  const payments = createPaymentLedger({ baseUrl: config.PAYMENT_URL, apiKey: config.PROVIDER_API_KEY, logger });
  // COMPLAINT_POLICY_FILE (validated by loadConfig) seeds version 1 of an empty policy store; once
  // the store holds versions, new cases take the newest published one and the file is not read again.
  await seedPolicy(db, config);
  const policies = createPolicyBook({ db, config });
  // A rollout a publish could not start (Temporal down at that moment) is started again.
  const resume = () =>
    resumePendingRollout({ temporal, db, config, logger }).catch((err: unknown) =>
      logger.warn({ err }, 'policy rollout: could not check for a pending rollout'),
    );
  void resume();
  const resuming = setInterval(() => void resume(), ROLLOUT_RESUME_EVERY_MS);
  resuming.unref();

  const server = createApp({ temporal, db, orders, payments, config, policies, logger }).listen(
    config.API_PORT,
    apiHost(config),
    () => {
      logger.info(
        {
          host: apiHost(config),
          port: config.API_PORT,
          temporal: config.TEMPORAL_ADDRESS,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
        },
        'api listening',
      );
    },
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(resuming);
    logger.info({ signal }, 'api stopping: finishing requests in flight');
    // A request waits at most for an update's deadline; past that, stop anyway.
    setTimeout(() => process.exit(1), UPDATE_DEADLINE_MS + 5_000).unref();
    // Idle keep-alive sockets would hold close() open; requests in flight still finish.
    server.closeIdleConnections();
    server.close((err) => {
      void Promise.allSettled([db.connection.close(), connection.close()]).then(() => {
        logger.info('api stopped');
        process.exit(err ? 1 : 0);
      });
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
