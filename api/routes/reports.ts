import { Router } from 'express';
import { summaryReport } from '../../store/reports';
import type { AppDeps } from '../deps';
import { allow } from '../permissions';
import { ReportQuery } from '../schemas';
import { parseQuery } from '../validate';

/** `/v1/reports`: analytics computed by the database over the projection and the SLA events. */
export function reportRoutes({ db, config }: AppDeps): Router {
  const router = Router();

  router.get('/summary', allow('GET /v1/reports/summary'), async (req, res) => {
    const { from, to } = parseQuery(ReportQuery, req);
    // Days are the platform's days (docs/domain.md §4.1: Asia/Shanghai by default), not the server's.
    res.json(await summaryReport(db, { from: new Date(from), to: new Date(to), timeZone: config.policy.calendar.timeZone }));
  });

  return router;
}
