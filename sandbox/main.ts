import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../config';
import { seedDemoData } from './demo';
import { startSandbox } from './server';

/** `npm run sandbox`: the provider sandbox as its own process, on SANDBOX_PORT, keeping what it receives in a file. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ name: 'sandbox', level: config.LOG_LEVEL });
  const dataFile = config.SANDBOX_DATA_FILE ?? path.join(config.DATA_DIR, 'sandbox.json');

  const sandbox = await startSandbox({
    port: config.SANDBOX_PORT,
    host: config.SANDBOX_HOST,
    dataFile,
    apiKey: config.PROVIDER_API_KEY,
    logger,
  });
  seedDemoData(sandbox.store);
  logger.info({ url: sandbox.url, dataFile }, 'provider sandbox listening');

  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'provider sandbox stopping');
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'provider sandbox did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  pino({ name: 'sandbox' }).fatal({ err }, 'provider sandbox failed to start');
  process.exit(1);
});
