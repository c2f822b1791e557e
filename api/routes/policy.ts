import { Router } from 'express';
import type { AppDeps } from '../deps';
import { allow } from '../permissions';

/** `/v1/policy`: the SLA policy new cases open with (running cases keep the one they opened with). */
export function policyRoutes({ config }: AppDeps): Router {
  const router = Router();

  router.get('/', allow('GET /v1/policy'), (_req, res) => {
    res.json(config.policy);
  });

  return router;
}
