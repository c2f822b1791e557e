import request from 'supertest';
import { createPaymentLedger, requireRefundWithinPaid } from '../../api/refunds';
import { complaintWorkflowId } from '../../shared/identity';
import { caseView } from '../../dev/builders';
import { useApiHarness, callers, errorOf, openBody, party, putOrder, silent, viewOf } from './support';
import { eventually } from '../support/poll';

/**
 * docs/domain.md §8.4: the money paid back on one order never exceeds what was paid for it, across cases.
 * Two complaints about one order (different problems, so different cases), each with a partial
 * refund: the second asks for more than the first left, and the API refuses it before the case moves.
 */

const h = useApiHarness({ worker: true });
const p = party();
const as = callers(p.customerId, p.merchantId);
const PAID = 12_900;

beforeAll(() => {
  putOrder(h.sandbox, p, PAID);
});

/** Opens a case for `subType` on the party's order and takes it to the point where a solution is proposed. */
async function caseReadyToPropose(
  subType: string,
): Promise<{ id: string; post: (path: string, body: object) => Promise<request.Response> }> {
  const id = complaintWorkflowId(p.customerId, p.orderId, subType);
  const post = async (path: string, body: object) =>
    request(h.app)
      .post(`/v1/complaints/${id}${path}`)
      .set('authorization', await h.bearer(as.agent))
      .send(body);
  const opened = await request(h.app)
    .post('/v1/complaints')
    .set('authorization', await h.bearer(as.customer))
    .send(openBody(p, { subType }));
  expect(opened.status).toBe(201);
  expect((await post('/assign', { agentId: as.agent.sub })).status).toBe(200);
  expect(
    (
      await post('/first-response', {
        message: 'We are checking your order with the merchant.',
        requestEvidence: false,
      })
    ).status,
  ).toBe(200);
  const read = async () =>
    request(h.app)
      .get(`/v1/complaints/${id}`)
      .set('authorization', await h.bearer(as.agent));
  await eventually(read, (res) => viewOf(res).investigation.dueAt !== null, 'the investigation opened', 30_000);
  expect((await post('/investigation/brief', { responsibility: 'merchant', findings: 'Confirmed' })).status).toBe(200);
  return { id, post };
}

it('refuses a second case on the same order a refund past what the first left (422), and takes one within it', async () => {
  const quality = await caseReadyToPropose('quality_defect');
  const damaged = await caseReadyToPropose('damaged_in_transit');
  expect(damaged.id).not.toBe(quality.id);

  // 8 000 of 12 900 paid back on the first case: under the approval threshold, so it pays at once.
  expect(
    (
      await quality.post('/resolution', {
        type: 'partial_refund',
        amountFen: 8_000,
        note: 'Partial refund for the leak',
      })
    ).status,
  ).toBe(200);
  const refunded = await eventually(
    () => Promise.resolve(h.sandbox.store.refunds({ complaintId: quality.id })),
    (r) => r.length === 1,
    'one refund',
    30_000,
  );
  expect(refunded).toEqual([expect.objectContaining({ orderId: p.orderId, amountFen: 8_000 })]);

  // Each case alone would allow 5 000 (its own refundedFen is 0); the order has 4 900 left.
  const over = await damaged.post('/resolution', {
    type: 'partial_refund',
    amountFen: 5_000,
    note: 'Partial refund for the dent',
  });
  expect(over.status).toBe(422);
  const refusal = errorOf(over);
  expect(refusal).toMatchObject({ code: 'amount_exceeds_paid', complaintId: damaged.id });
  expect(refusal.details).toEqual([
    { path: 'amountFen', message: `at most 4900 fen is left to refund on order ${p.orderId}` },
  ]);
  const unchanged = viewOf(
    await request(h.app)
      .get(`/v1/complaints/${damaged.id}`)
      .set('authorization', await h.bearer(as.agent)),
  );
  expect(unchanged).toMatchObject({ status: 'in_progress', resolution: { proposal: null } });

  const within = await damaged.post('/resolution', {
    type: 'partial_refund',
    amountFen: 4_900,
    note: 'Partial refund for the dent',
  });
  expect(within.status).toBe(200);
  await eventually(
    () => Promise.resolve(h.sandbox.store.refunds({ complaintId: damaged.id })),
    (r) => r.length === 1,
    'one refund',
    30_000,
  );
  expect(h.sandbox.store.refundedFen(p.orderId)).toBe(PAID);
});

it('lets the proposal through when the gateway does not answer: its own refusal still holds the cap', async () => {
  const unreachable = createPaymentLedger({
    baseUrl: 'http://127.0.0.1:1',
    apiKey: 'k',
    timeoutMs: 500,
    logger: silent,
  });
  await expect(
    requireRefundWithinPaid(unreachable, caseView(), { type: 'refund', amountFen: 100, note: 'x' }, silent),
  ).resolves.toBeUndefined();
});
