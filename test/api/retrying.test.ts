import request from 'supertest';
import { CaseResponseV1 } from '../../api/schemas';
import { complaintWorkflowId } from '../../shared/identity';
import { useApiHarness, callers, openBody, party, putOrder } from './support';
import { eventually } from '../support/poll';

/**
 * A refund the payment gateway keeps failing: the workflow only learns of it when an attempt
 * succeeds, so staff see the retries (attempt, failure, next try) from Temporal through the case read.
 */

const h = useApiHarness({ worker: true });
const p = party();
const as = callers(p.customerId, p.merchantId);
const id = complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');

beforeAll(() => {
  putOrder(h.sandbox, p);
});
afterAll(() => {
  h.sandbox.faults.clear();
});

const get = async (claims: (typeof as)[keyof typeof as]) =>
  request(h.app)
    .get(`/v1/complaints/${id}`)
    .set('authorization', await h.bearer(claims));
const post = async (path: string, body: object, claims = as.agent) =>
  request(h.app)
    .post(`/v1/complaints/${id}${path}`)
    .set('authorization', await h.bearer(claims))
    .send(body);

it('shows staff the refund the gateway keeps failing, and the parties nothing of it', async () => {
  expect(
    (
      await request(h.app)
        .post('/v1/complaints')
        .set('authorization', await h.bearer(as.customer))
        .send(openBody(p))
    ).status,
  ).toBe(201);
  expect((await post('/assign', { agentId: as.agent.sub })).status).toBe(200);
  expect(
    (await post('/first-response', { message: 'We are checking the kettle.', requestEvidence: false })).status,
  ).toBe(200);
  await eventually(
    () => get(as.agent),
    (res) => CaseResponseV1.parse(res.body).investigation.dueAt !== null,
    'the investigation opened',
    30_000,
  );
  expect(
    (await post('/investigation/brief', { responsibility: 'merchant', findings: 'Defect confirmed' })).status,
  ).toBe(200);

  h.sandbox.faults.arm({ service: 'payments', mode: 'error', rate: 1 });
  expect((await post('/resolution', { type: 'refund', amountFen: 12_900, note: 'Full refund' })).status).toBe(200);

  const failing = await eventually(
    () => get(as.agent),
    (res) => (CaseResponseV1.parse(res.body).retrying?.[0]?.attempt ?? 0) >= 2,
    'a second failing attempt shown',
    30_000,
  );
  const view = CaseResponseV1.parse(failing.body);
  expect(view.status).toBe('executing');
  expect(view.retrying).toHaveLength(1);
  const [call] = view.retrying!;
  expect(call.activity).toBe('payRefund');
  expect(call.attempt).toBeGreaterThanOrEqual(2);
  expect(call.lastFailure).toContain('503');
  for (const party of [as.customer, as.merchant]) {
    const res = await get(party);
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('retrying');
  }

  h.sandbox.faults.clear();
  const paid = await eventually(
    () => get(as.agent),
    (res) => CaseResponseV1.parse(res.body).status === 'awaiting_customer',
    'the refund paid',
    60_000,
  );
  expect(CaseResponseV1.parse(paid.body)).toMatchObject({
    status: 'awaiting_customer',
    resolution: { refundedFen: 12_900 },
  });
  expect(paid.body).not.toHaveProperty('retrying');
  expect(h.sandbox.store.refunds({ complaintId: id })).toHaveLength(1);
});
