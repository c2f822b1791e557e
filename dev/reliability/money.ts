/**
 * What the payment gateway saw, per case: every request to move money (GET /payments/requests on
 * the sandbox) with its key, amount and outcome. A case pays one step (a partial refund or a
 * compensation), so two accepted requests for that step are money paid twice, whatever their keys;
 * a request repeated with a known key is the retry idempotency keys exist for.
 */

export interface PaymentRequest {
  at: string;
  operation: 'refund' | 'coupon';
  complaintId: string;
  idempotencyKey: string;
  kind: string;
  orderId?: string;
  amountFen: number;
  outcome: 'accepted' | 'repeated' | 'refused' | 'unavailable';
  code?: string;
}

export interface CaseMoney {
  complaintId: string;
  requests: number;
  distinctKeys: number;
  accepted: number;
  repeated: number;
  refused: number;
  /** Accepted amounts, refunds and compensations alike. */
  movedFen: number;
  /** Steps (kinds) with more than one accepted request. */
  paidTwice: number;
  paidMoreThanOrder: boolean;
  /** The case's step was never accepted. */
  lost: boolean;
}

export async function paymentRequests(sandboxUrl: string): Promise<PaymentRequest[]> {
  const res = await fetch(`${sandboxUrl}/payments/requests`);
  if (!res.ok) throw new Error(`GET ${sandboxUrl}/payments/requests: ${res.status}`);
  return (await res.json()) as PaymentRequest[];
}

export function moneyByCase(
  all: PaymentRequest[],
  cases: Array<{ id: string; order: { amountPaidFen: number } }>,
): CaseMoney[] {
  const by = new Map<string, PaymentRequest[]>();
  for (const r of all) by.set(r.complaintId, [...(by.get(r.complaintId) ?? []), r]);
  return cases.map((c) => {
    const mine = by.get(c.id) ?? [];
    const accepted = mine.filter((r) => r.outcome === 'accepted');
    const perStep = new Map<string, number>();
    for (const r of accepted) perStep.set(r.kind, (perStep.get(r.kind) ?? 0) + 1);
    const movedFen = accepted.reduce((sum, r) => sum + r.amountFen, 0);
    return {
      complaintId: c.id,
      requests: mine.length,
      distinctKeys: new Set(mine.map((r) => r.idempotencyKey)).size,
      accepted: accepted.length,
      repeated: mine.filter((r) => r.outcome === 'repeated').length,
      refused: mine.filter((r) => r.outcome === 'refused' || r.outcome === 'unavailable').length,
      movedFen,
      paidTwice: [...perStep.values()].filter((n) => n > 1).length,
      paidMoreThanOrder: movedFen > c.order.amountPaidFen,
      lost: accepted.length === 0,
    };
  });
}
