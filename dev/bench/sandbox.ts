import pino from 'pino';
import { startSandbox } from '../../sandbox/server';

/**
 * The provider sandbox as its own process, in memory. `sandbox/main.ts` writes its whole state to a
 * file on every change, which grows with each request and would make the stand-in for the payment
 * and SMS providers the bottleneck of a run with thousands of cases; its own process keeps its CPU
 * apart from the driver's in the figures.
 */
const port = Number(process.env.SANDBOX_PORT);
startSandbox({ port, apiKey: process.env.PROVIDER_API_KEY ?? 'sandbox-key', logger: pino({ level: 'silent' }) }).catch(
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
