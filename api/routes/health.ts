import { Router } from 'express';
import { pingStore } from '../../store/connection';
import { within } from '../cases';
import type { AppDeps } from '../deps';

/** A dependency that does not answer within this is as good as down for a readiness probe. */
const CHECK_DEADLINE_MS = 2_000;

/** `/healthz` (the process is up) and `/readyz` (it can serve: Temporal and MongoDB answer). */
export function healthRoutes({ temporal, db }: AppDeps): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (req, res) => {
    const timeout = <T>(check: Promise<T>) =>
      Promise.race([
        check,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`no answer within ${CHECK_DEADLINE_MS} ms`)), CHECK_DEADLINE_MS).unref(),
        ),
      ]);
    const [temporalCheck, mongoCheck] = await Promise.allSettled([
      within(temporal, CHECK_DEADLINE_MS, () => temporal.workflowService.getSystemInfo({})),
      timeout(pingStore(db)),
    ]);
    const describe = (r: PromiseSettledResult<unknown>) =>
      r.status === 'fulfilled' ? 'ok' : String((r.reason as Error).message);
    const checks = { temporal: describe(temporalCheck), mongodb: describe(mongoCheck) };
    const ready = temporalCheck.status === 'fulfilled' && mongoCheck.status === 'fulfilled';
    if (!ready) req.log.warn({ checks }, 'not ready');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks });
  });

  return router;
}
