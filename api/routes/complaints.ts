import { Router, type Response } from 'express';
import { createCarriersClient } from '../../clients/carriers';
import type { CaseViewV1 } from '../../shared/caseView';
import type { ProposeResolutionV1 } from '../../shared/commands';
import type { Actor } from '../../shared/intake';
import { listCases, decodeCursor } from '../../store/cases';
import { ACTIONS, actionPath } from '../actions';
import { callerOf } from '../auth';
import { createCaseGateway } from '../cases';
import { parcelKey, parcelOf, trailsOf } from '../customerRecord';
import type { AppDeps } from '../deps';
import { prepareComplaint, submitComplaint } from '../intake';
import { allow, isParty } from '../permissions';
import { requireRefundWithinPaid } from '../refunds';
import { type ChoiceResponseV1, ComplaintParams, ListComplaintsQuery, OpenComplaintRequest } from '../schemas';
import { parseBody, parseQuery } from '../validate';
import { timelineShownTo, viewShownTo, withPolicyWindows, withWindowShares } from '../views';

/** The case a `/:id` route is about, validated and recorded (for logs and error bodies) by the param handler. */
function caseOf(res: Response): string {
  return ComplaintParams.parse({ id: res.locals.complaintId }).id;
}

/** docs/domain.md §7.9: the options offered, the window, the choice; `open` while the customer may still choose. */
function choiceOf(view: CaseViewV1): ChoiceResponseV1 {
  const choice = view.choice ?? null;
  return { choice, open: choice !== null && choice.chosen === null && !choice.lapsed && view.status === 'in_progress' };
}

/** `/v1/complaints`: open, read, list and act on cases. */
export function complaintRoutes(deps: AppDeps): Router {
  const router = Router();
  const cases = createCaseGateway(deps.temporal, deps.db);
  const carriers = createCarriersClient({
    baseUrl: deps.config.CARRIER_URL,
    apiKey: deps.config.PROVIDER_API_KEY,
    logger: deps.logger,
  });
  const shown = async (actor: Actor, view: CaseViewV1) => {
    // A running case keeps the version it opened with (docs/domain.md §4.1's service hours among it): its
    // windows are measured on that calendar; the start-up policy's only when the version is not known.
    const policy = await deps.policies.published(view.policyVersion);
    return withPolicyWindows(withWindowShares(viewShownTo(actor, view), policy ?? deps.config.policy), policy);
  };

  router.param('id', (_req, res, next, id: string) => {
    res.locals.complaintId = ComplaintParams.parse({ id }).id;
    next();
  });

  router.post('/', allow('POST /v1/complaints'), async (req, res) => {
    const actor = callerOf(res);
    const prepared = await prepareComplaint(deps, parseBody(OpenComplaintRequest, req), actor);
    const id = prepared.input.complaintId;
    res.locals.complaintId = id;
    const { joined, view } = await submitComplaint(deps, prepared);
    res
      .status(joined ? 200 : 201)
      .location(`/v1/complaints/${encodeURIComponent(id)}`)
      .json(await shown(actor, view));
  });

  router.get('/', allow('GET /v1/complaints'), async (req, res) => {
    const { limit, cursor, from, to, ...filter } = parseQuery(ListComplaintsQuery, req);
    const actor = callerOf(res);
    // A merchant sees its own cases whatever it asks for.
    const merchantId = actor.role === 'merchant' ? actor.merchantId : filter.merchantId;
    const page = await listCases(
      deps.db.cases,
      { ...filter, merchantId, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
      { limit, after: cursor ? (decodeCursor(cursor) ?? undefined) : undefined },
    );
    res.json({ ...page, items: await Promise.all(page.items.map((view) => shown(actor, view))) });
  });

  router.get('/:id', allow('GET /v1/complaints/:id'), async (req, res) => {
    const actor = callerOf(res);
    const found = await cases.caseFor(caseOf(res), actor);
    if (isParty(actor)) return void res.json(await shown(actor, found));
    // Staff investigating read who signed for the parcel (docs/domain.md §6.1); a carrier that does not answer leaves it `unavailable`.
    const key = parcelKey(found);
    const trails = await trailsOf(carriers, [found], (err, parcel) =>
      req.log.warn({ err, parcel }, 'carrier trail unavailable for the case view'),
    );
    res.json({ ...(await shown(actor, found)), parcel: parcelOf(found, key ? trails.get(key) : undefined) });
  });

  router.get('/:id/timeline', allow('GET /v1/complaints/:id/timeline'), async (_req, res) => {
    const actor = callerOf(res);
    res.json(timelineShownTo(actor, await cases.timelineFor(caseOf(res), actor)));
  });

  router.get('/:id/choice', allow('GET /v1/complaints/:id/choice'), async (_req, res) => {
    const view = await cases.caseFor(caseOf(res), callerOf(res));
    res.json(choiceOf(view));
  });

  for (const { operation, body, update } of ACTIONS) {
    router.post(actionPath(operation), allow(operation), async (req, res) => {
      const id = caseOf(res);
      const command = parseBody(body, req) as object;
      // The workflow knows its own case's refunds only; what other cases paid on the order is the gateway's to say.
      if (operation === 'POST /v1/complaints/:id/resolution') {
        await requireRefundWithinPaid(deps.payments, await cases.view(id), command as ProposeResolutionV1, req.log);
      }
      const actor = callerOf(res);
      res.json(await shown(actor, await cases.act(id, actor, update, command)));
    });
  }

  return router;
}
