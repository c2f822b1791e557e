import { z } from 'zod';
import type { CarriersClient, SignedFor } from '../clients/carriers';
import type { CaseViewV1 } from '../shared/caseView';
import { CaseViewV1 as CaseView } from '../shared/caseView';
import { expectedBy, expectedByMs } from '../shared/customerTime';
import { DeadlineKind } from '../shared/domain';
import { ParcelTrailV1 } from './schemas';

/**
 * The customer's own record (售后服务记录, docs/domain.md §7): each of their cases with its status,
 * who handles it as a customer may know it (a role, never a staff id), when it is expected done and
 * the next thing the platform owes them, and who signed for the parcel and when, if its carrier says.
 */

/** Who handles a case, as the customer reads it: the rung of the ladder (docs/domain.md §5.1), not the person. */
export const HandlerRole = z.enum(['unassigned', 'agent', 'supervisor', 'ops_manager']);
export type HandlerRole = z.infer<typeof HandlerRole>;

export const HANDLER_LABELS: Record<HandlerRole, { 'zh-CN': string; en: string }> = {
  unassigned: { 'zh-CN': '待分配客服', en: 'Waiting for an agent' },
  agent: { 'zh-CN': '客服专员', en: 'Customer service agent' },
  supervisor: { 'zh-CN': '客服主管', en: 'Customer service supervisor' },
  ops_manager: { 'zh-CN': '运营经理', en: 'Operations manager' },
};

/** Waits on the customer (objecting, rating, sending evidence or the goods back): not something owed to them. */
const THE_CUSTOMERS_TO_DO: ReadonlySet<string> = new Set([
  'objection_window',
  'satisfaction_callback',
  'feedback',
  'evidence',
  'return_shipment',
]);

export const CustomerRecordItemV1 = z.object({
  complaintId: z.string(),
  status: CaseView.shape.status,
  category: CaseView.shape.category,
  subType: CaseView.shape.subType,
  order: z.object({ orderId: z.string(), merchantId: z.string(), sku: z.string() }),
  description: z.string(),
  desiredOutcome: CaseView.shape.desiredOutcome,
  handler: z
    .object({ role: HandlerRole, label: z.string() })
    .describe('who handles the case, as a role of the escalation ladder; never a staff id'),
  expectedBy: z
    .object({ at: z.string(), text: z.string(), locale: z.string(), timeZone: z.string() })
    .nullable()
    .describe(
      "when the case is expected to be done: the latest of the platform's running deadlines, in the customer's time zone and language; null when closed or nothing of ours runs",
    ),
  nextDue: z
    .object({ kind: DeadlineKind, dueAt: z.string() })
    .nullable()
    .describe('the soonest deadline the platform owes the customer now; null when none runs'),
  investigation: z.object({
    carrierStatus: z.string().nullable().describe("the parcel's status as the case last heard it"),
    parcel: ParcelTrailV1.nullable().describe('null when the order names no parcel'),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  closeReason: CaseView.shape.closeReason,
});
export type CustomerRecordItemV1 = z.infer<typeof CustomerRecordItemV1>;

export const CustomerRecordV1 = z
  .object({ items: z.array(CustomerRecordItemV1), nextCursor: z.string().nullable() })
  .meta({ id: 'CustomerRecordV1' });

export function handlerOf(view: CaseViewV1): HandlerRole {
  if (view.owner === null) return 'unassigned';
  if (view.escalationLevel >= 2) return 'ops_manager';
  // A reopened case is handled one level up (docs/domain.md §9.3): a supervisor and above decide its second round.
  if (view.escalationLevel === 1 || view.round > 1) return 'supervisor';
  return 'agent';
}

export function nextDueOf(view: CaseViewV1): CustomerRecordItemV1['nextDue'] {
  if (view.status === 'closed') return null;
  const owed = view.deadlines
    .filter((d) => !THE_CUSTOMERS_TO_DO.has(d.kind) && !d.paused)
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  return owed[0] ? { kind: owed[0].kind, dueAt: owed[0].dueAt } : null;
}

type Trail = { answer: 'answered'; signed: SignedFor } | { answer: 'unknown_waybill' | 'unavailable' };

export function recordItem(view: CaseViewV1, timeZone: string, trail?: Trail): CustomerRecordItemV1 {
  const locale = view.customer.locale ?? 'zh-CN';
  const role = handlerOf(view);
  // Views written before the case kept its own figure lack it: the same rule, computed here.
  const ms = view.expectedBy === undefined ? expectedByMs(view) : null;
  return {
    complaintId: view.complaintId,
    status: view.status,
    category: view.category,
    subType: view.subType,
    order: { orderId: view.order.orderId, merchantId: view.order.merchantId, sku: view.order.sku },
    description: view.description,
    desiredOutcome: view.desiredOutcome,
    handler: { role, label: HANDLER_LABELS[role][locale] },
    expectedBy: view.expectedBy !== undefined ? view.expectedBy : ms === null ? null : expectedBy(ms, locale, timeZone),
    nextDue: nextDueOf(view),
    investigation: {
      carrierStatus: view.investigation.carrierStatus,
      parcel: parcelOf(view, trail),
    },
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    closedAt: view.closedAt,
    closeReason: view.closeReason,
  };
}

/** The order's parcel with what its trail said; null when the order names no parcel. */
export function parcelOf(view: CaseViewV1, trail?: Trail): ParcelTrailV1 | null {
  const { carrier, waybillNo } = view.order;
  if (!carrier || !waybillNo || !trail) return null;
  return {
    carrier,
    waybillNo,
    signedBy: trail.answer === 'answered' ? trail.signed.signedBy : null,
    deliveredAt: trail.answer === 'answered' ? trail.signed.deliveredAt : null,
    trail: trail.answer,
  };
}

/** The key of the case's parcel in `trailsOf`'s answer; undefined when the order names no parcel. */
export function parcelKey(view: CaseViewV1): string | undefined {
  return view.order.carrier && view.order.waybillNo ? `${view.order.carrier}/${view.order.waybillNo}` : undefined;
}

/** Each distinct parcel of the page asked once; a carrier that fails leaves its parcels `unavailable`. */
export async function trailsOf(
  carriers: CarriersClient,
  views: CaseViewV1[],
  onError: (err: unknown, parcel: string) => void,
): Promise<Map<string, Trail>> {
  const parcels = [...new Set(views.flatMap((v) => parcelKey(v) ?? []))];
  const answers = await Promise.all(
    parcels.map(async (parcel): Promise<[string, Trail]> => {
      const [carrier, waybillNo] = parcel.split('/') as [string, string];
      try {
        const signed = await carriers.signedFor(carrier, waybillNo);
        return [parcel, signed ? { answer: 'answered', signed } : { answer: 'unknown_waybill' }];
      } catch (err) {
        onError(err, parcel);
        return [parcel, { answer: 'unavailable' }];
      }
    }),
  );
  return new Map(answers);
}
