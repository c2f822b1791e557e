import { Router } from 'express';
import { z } from 'zod';
import { listUnmendable } from '../../store/stuckCases';
import type { AppDeps } from '../deps';
import { allow } from '../permissions';

/**
 * `/v1/ops`: what the platform could not handle on its own. `GET /stuck-cases` lists the cases the
 * case doctor (workflows/doctor.ts) found stuck and could not mend: each waits for a person
 * (docs/operations.md, "The case doctor"). The worker's metric `case_doctor_unmendable` counts them.
 */
export const StuckCasesV1 = z
  .object({
    items: z.array(
      z.object({
        complaintId: z.string(),
        workflowType: z.string(),
        runId: z.string().describe('the run that is stuck'),
        failure: z
          .string()
          .describe("the failing workflow task's failure, e.g. the SDK's [TMPRL1100] nondeterminism error"),
        attempt: z.number().int().describe('attempts of the failing workflow task when the doctor last looked'),
        resets: z.number().int().describe('resets the doctor made before giving up'),
        reason: z.string().nullable().describe('why the doctor gave up'),
        firstSeenAt: z.iso.datetime(),
        updatedAt: z.iso.datetime(),
      }),
    ),
    count: z.number().int(),
  })
  .meta({ id: 'StuckCasesV1' });

export function opsRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.get('/stuck-cases', allow('GET /v1/ops/stuck-cases'), async (_req, res) => {
    const items = (await listUnmendable(db.stuckCases)).map((d) => ({
      complaintId: d.workflowId,
      workflowType: d.workflowType,
      runId: d.runId,
      failure: d.failure,
      attempt: d.attempt,
      resets: d.resets,
      reason: d.reason,
      firstSeenAt: d.firstSeenAt.toISOString(),
      updatedAt: d.updatedAt.toISOString(),
    }));
    res.json(StuckCasesV1.parse({ items, count: items.length }));
  });

  return router;
}
