import express, { type ErrorRequestHandler, type Express } from 'express';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { carrierRoutes } from './carriers';
import { controlRoutes } from './controlRoutes';
import { Faults } from './faults';
import { providerRoutes } from './providerRoutes';
import { RequestInvalid, sendError, Stalls } from './requests';
import { SandboxStore } from './store';

/**
 * The provider sandbox: one Express app standing in for the payment gateway, SMS gateway,
 * carrier tracking, merchant portal and order service, so the stack and its tests run against
 * real HTTP without any outside system.
 */

export interface SandboxAppOptions {
  /** Where received requests are kept across restarts; without it, memory only. */
  dataFile?: string;
  /** The key provider-facing routes want in `x-api-key`. */
  apiKey: string;
  logger?: Logger;
}

export interface SandboxApp {
  app: Express;
  store: SandboxStore;
  faults: Faults;
  /** Ends every answer a timeout fault is holding, so the server can close at once. */
  releaseStalls(): void;
}

export function createSandboxApp({
  dataFile,
  apiKey,
  logger = pino({ name: 'sandbox' }),
}: SandboxAppOptions): SandboxApp {
  const store = new SandboxStore(dataFile);
  const faults = new Faults();
  const stalls = new Stalls();
  const app = express();

  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger,
      // Method and URL say what happened; headers would put the provider key into the log.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(express.json({ limit: '256kb' }));
  app.use(controlRoutes(store, faults, stalls));
  app.use(providerRoutes({ apiKey, store, faults, stalls }));
  app.use(carrierRoutes(apiKey, faults));
  app.use((req, res) => sendError(res, 404, 'not_found', `no route ${req.method} ${req.path}`));

  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    if (err instanceof RequestInvalid) return sendError(res, 400, 'invalid_request', err.message, err.details);
    // body-parser marks a body it cannot read (bad JSON, too large) with the status to answer.
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, status, 'invalid_request', (err as Error).message, [
        { path: 'body', message: (err as Error).message },
      ]);
    }
    req.log.error({ err }, 'sandbox route failed');
    sendError(res, 500, 'internal', 'the sandbox failed; see its log');
  };
  app.use(onError);

  return { app, store, faults, releaseStalls: () => stalls.releaseAll() };
}
