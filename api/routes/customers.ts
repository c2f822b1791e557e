import { Router } from 'express';
import { z } from 'zod';
import { recordDedicatedAgent } from '../../store/dedicatedAgents';
import { callerOf } from '../auth';
import type { AppDeps } from '../deps';
import { allow } from '../permissions';
import { Identifier } from '../schemas';
import { parseBody } from '../validate';

/**
 * docs/domain.md §7.1: a supervisor or an operations manager records a customer's dedicated agent by hand,
 * with a reason: when the record a dedicated-agent plan makes could not be written (the owner is alerted,
 * naming this route), or to move the customer to another agent. The same record the plan writes, which
 * intake reads; each grant stays in its trail with who recorded it and why.
 */

export const CustomerParams = z.object({ customerId: Identifier.describe("the customer's id") });

export const DedicatedAgentRequestV1 = z
  .strictObject({
    agentId: Identifier.describe("the agent the customer's next complaints are assigned to as they open"),
    reason: z
      .string()
      .trim()
      .min(1)
      // Kept in the record's trail for staff only.
      .max(500)
      .regex(/\S/, 'must not be blank'),
    complaintId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,200}$/, 'must be a complaint id')
      .optional()
      .describe('the case whose plan granted the agent, when recorded for one'),
  })
  .meta({ id: 'DedicatedAgentRequestV1' });

const Actor = z.object({ sub: z.string(), role: z.string() });
export const DedicatedAgentV1 = z
  .object({
    customerId: z.string(),
    agentId: z.string(),
    complaintId: z.string().nullable(),
    grantedAt: z.iso.datetime(),
    events: z
      .array(
        z.object({
          agentId: z.string(),
          complaintId: z.string().nullable(),
          grantedAt: z.iso.datetime(),
          by: Actor.nullable().describe('who recorded it by hand; null for a plan that granted it'),
          reason: z.string().nullable(),
        }),
      )
      .describe('every grant, oldest first'),
  })
  .meta({ id: 'DedicatedAgentV1' });

export function customerRoutes({ db }: AppDeps): Router {
  const router = Router();
  const model = db.dedicatedAgents;

  router.post(
    '/:customerId/dedicated-agent',
    allow('POST /v1/customers/:customerId/dedicated-agent'),
    async (req, res) => {
      const { customerId } = CustomerParams.parse(req.params);
      const { agentId, reason, complaintId } = parseBody(DedicatedAgentRequestV1, req);
      const caller = callerOf(res);
      await recordDedicatedAgent(model, {
        customerId,
        agentId,
        complaintId: complaintId ?? null,
        grantedAt: new Date().toISOString(),
        by: { sub: caller.sub, role: caller.role },
        reason,
      });
      req.log.info({ customerId, agentId, complaintId, by: caller.sub }, 'dedicated agent recorded by hand');
      const doc = (await model.findById(customerId).lean())!;
      res.json(
        DedicatedAgentV1.parse({
          customerId,
          agentId: doc.agentId,
          complaintId: doc.complaintId ?? null,
          grantedAt: doc.grantedAt.toISOString(),
          events: doc.events.map((e) => ({
            agentId: e.agentId,
            complaintId: e.complaintId ?? null,
            grantedAt: e.grantedAt.toISOString(),
            by: e.by?.sub ? { sub: e.by.sub, role: e.by.role ?? '' } : null,
            reason: e.reason ?? null,
          })),
        }),
      );
    },
  );

  return router;
}
