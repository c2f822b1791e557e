import { ApplicationFailure } from '@temporalio/common';
import { ProviderUnavailable } from '../../clients/http';
import { createPaymentActivities, type PaymentActivities } from '../../activities/payments';
import type { Coupon, Refund } from '../../shared/providers';
import { failure, uid, useSandbox } from '../sandbox/testSandbox';

const t = useSandbox();
let payments: PaymentActivities;

beforeAll(() => {
  payments = createPaymentActivities({ ...t.provider, timeoutMs: 500 });
});

afterEach(async () => {
  await t.send('DELETE', '/_faults');
});

async function newCase(amountPaidFen = 12_900) {
  const complaintId = uid('C');
  const orderId = uid('o');
  await t.putOrder(orderId, { amountPaidFen });
  const refund = (amountFen: number, idempotencyKey = uid(`${complaintId}:refund`)) =>
    payments.payRefund({ complaintId, idempotencyKey, orderId, amountFen, kind: 'refund', reason: 'kettle leaks' });
  const refunds = () => t.inspect<Refund[]>(`/payments/refunds?complaintId=${complaintId}`);
  return { complaintId, orderId, refund, refunds };
}

describe('payment activities', () => {
  it('pays a refund and returns its id and amount', async () => {
    const c = await newCase();
    const paid = await c.refund(5_000, `${c.complaintId}:refund-1`);
    expect(paid.refundId).toMatch(/^rf_/);
    expect(paid.amountFen).toBe(5_000);
    expect(await c.refunds()).toEqual([
      expect.objectContaining({
        refundId: paid.refundId,
        idempotencyKey: `${c.complaintId}:refund-1`,
        orderId: c.orderId,
      }),
    ]);
  });

  it('pays once for a repeated idempotency key', async () => {
    const c = await newCase();
    const key = uid('key');
    const first = await c.refund(3_000, key);
    const second = await c.refund(3_000, key);
    expect(second).toEqual(first);
    expect(await c.refunds()).toHaveLength(1);
  });

  it('turns a decline into a non-retryable failure of type declined', async () => {
    const c = await newCase();
    await t.arm({ service: 'payments', mode: 'decline', rate: 1, count: 1 });
    const err = await failure(c.refund(1_000));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'declined', nonRetryable: true });
    expect((err as ApplicationFailure).message).toContain(c.complaintId);
    expect((err as ApplicationFailure).details).toEqual([
      expect.objectContaining({ complaintId: c.complaintId, code: 'declined', status: 402 }),
    ]);
  });

  it('refuses more than was paid with a non-retryable amount_exceeds_paid', async () => {
    const c = await newCase(10_000);
    await c.refund(8_000);
    const err = await failure(c.refund(2_001));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'amount_exceeds_paid', nonRetryable: true });
    expect(await c.refunds()).toHaveLength(1);
  });

  it('refuses, non-retryably, a second complaint refunding the order past what was paid; a retried key still answers its first refund', async () => {
    const orderId = uid('o');
    await t.putOrder(orderId, { amountPaidFen: 10_000 });
    const pay = (complaintId: string, idempotencyKey: string, amountFen: number) =>
      payments.payRefund({
        complaintId,
        idempotencyKey,
        orderId,
        amountFen,
        kind: 'partial_refund',
        reason: 'kettle leaks',
      });
    const [quality, delivery] = [uid('C-quality'), uid('C-late')];

    const first = await pay(quality, `${quality}:refund`, 6_000);
    const err = await failure(pay(delivery, `${delivery}:refund`, 4_001));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'amount_exceeds_paid', nonRetryable: true });
    expect((err as ApplicationFailure).details).toEqual([
      expect.objectContaining({ complaintId: delivery, orderId, status: 422 }),
    ]);
    // Temporal retrying the first payment (same key) gets its first result, though the order has no room left for more.
    await pay(delivery, `${delivery}:refund-2`, 4_000);
    expect(await pay(quality, `${quality}:refund`, 6_000)).toEqual(first);
    const paid = await t.inspect<Refund[]>(`/payments/refunds`);
    expect(paid.filter((r) => r.orderId === orderId).map((r) => [r.complaintId, r.amountFen])).toEqual([
      [quality, 6_000],
      [delivery, 4_000],
    ]);
  });

  it('refuses an unknown order with a non-retryable unknown_order', async () => {
    const complaintId = uid('C');
    const err = await failure(
      payments.payRefund({
        complaintId,
        idempotencyKey: uid('key'),
        orderId: uid('o-missing'),
        amountFen: 100,
        kind: 'compensation',
        reason: 'late',
      }),
    );
    expect(err).toMatchObject({ type: 'unknown_order', nonRetryable: true });
  });

  it('surfaces a 5xx as a retryable error, and the next attempt pays', async () => {
    const c = await newCase();
    const key = uid('key');
    await t.arm({ service: 'payments', mode: 'error', rate: 1, count: 1 });
    const err = await failure(c.refund(1_000, key));
    expect(err).toBeInstanceOf(ProviderUnavailable);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ status: 503, complaintId: c.complaintId });
    expect(await c.refunds()).toHaveLength(0);

    await c.refund(1_000, key);
    expect(await c.refunds()).toHaveLength(1);
  });

  it('surfaces a timeout as a retryable error; the retry with the same key finds the refund already paid', async () => {
    const c = await newCase();
    const key = uid('key');
    await t.arm({ service: 'payments', mode: 'timeout', rate: 1, count: 1 });
    const started = Date.now();
    const err = await failure(c.refund(1_000, key));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(err).toBeInstanceOf(ProviderUnavailable);
    expect((err as Error).message).toMatch(/no answer within 500 ms/);

    const retried = await c.refund(1_000, key);
    const refunds = await c.refunds();
    expect(refunds).toHaveLength(1);
    expect(refunds[0].refundId).toBe(retried.refundId);
  });

  it('issues a coupon once per key and revokes it (twice is fine)', async () => {
    const complaintId = uid('C');
    const key = uid('key');
    const input = { complaintId, idempotencyKey: key, customerId: 'c-1', amountFen: 500, validDays: 7 };
    const { couponId } = await payments.issueCoupon(input);
    expect(await payments.issueCoupon(input)).toEqual({ couponId });

    await payments.revokeCoupon({ complaintId, couponId });
    await payments.revokeCoupon({ complaintId, couponId });
    const coupons = await t.inspect<Coupon[]>(`/payments/coupons?complaintId=${complaintId}`);
    expect(coupons).toEqual([expect.objectContaining({ couponId, status: 'revoked', idempotencyKey: key })]);
  });

  it('fails for good on a coupon the gateway does not know', async () => {
    const err = await failure(payments.revokeCoupon({ complaintId: uid('C'), couponId: 'cp_nope' }));
    expect(err).toMatchObject({ type: 'ProviderRejected', nonRetryable: true });
  });

  it('fails for good when the gateway refuses our key', async () => {
    const wrongKey = createPaymentActivities({ ...t.provider, apiKey: 'wrong' });
    const c = await newCase();
    const err = await failure(
      wrongKey.payRefund({
        complaintId: c.complaintId,
        idempotencyKey: uid('key'),
        orderId: c.orderId,
        amountFen: 1,
        kind: 'refund',
        reason: 'x',
      }),
    );
    expect(err).toMatchObject({
      type: 'ProviderRejected',
      nonRetryable: true,
      details: [expect.objectContaining({ status: 401 })],
    });
  });
});
