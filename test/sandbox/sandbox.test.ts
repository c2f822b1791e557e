import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Order } from '../../shared/domain';
import {
  SMS_MAX_TEXT,
  type Coupon,
  type MerchantNotice,
  type Refund,
  type SmsMessage,
  type WaybillTrail,
} from '../../shared/providers';
import { startTestSandbox, uid, type TestSandbox } from './testSandbox';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
});

afterAll(async () => {
  await t.close();
});

afterEach(async () => {
  await t.send('DELETE', '/_faults');
});

function refundBody(complaintId: string, orderId: string, amountFen: number, kind = 'refund') {
  return { complaintId, orderId, amountFen, kind, reason: 'kettle leaks' };
}

async function refund(key: string, body: unknown) {
  return t.send<Refund & { code?: string }>('POST', '/payments/refunds', {
    key: true,
    body,
    headers: { 'Idempotency-Key': key },
  });
}

describe('provider sandbox: access and validation', () => {
  it('answers its health check', async () => {
    expect(await t.send('GET', '/healthz')).toEqual({ status: 200, body: { ok: true } });
  });

  it.each([
    ['POST', '/payments/refunds'],
    ['POST', '/payments/coupons'],
    ['DELETE', '/payments/coupons/cp_x'],
    ['POST', '/sms/messages'],
    ['GET', '/carriers/SF/waybills/1'],
    ['POST', '/merchants/notices'],
    ['GET', '/orders/o-1'],
    ['GET', '/customers/c-1'],
  ])('refuses %s %s without the api key (401)', async (method, route) => {
    const missing = await t.send(method, route, { body: method === 'POST' ? {} : undefined });
    const wrong = await t.send(method, route, { headers: { 'x-api-key': 'not-the-key' } });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ error: { code: 'unauthorized' } });
    expect(wrong.status).toBe(401);
  });

  it('answers 400 with the path of each bad field', async () => {
    const res = await refund(uid('key'), { complaintId: 'C-1', orderId: 'o-1', amountFen: '12', kind: 'cash' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_request' } });
    const paths = (res.body as unknown as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.amountFen', 'body.kind', 'body.reason']));
  });

  it('wants an Idempotency-Key for money (400 without)', async () => {
    const res = await t.send('POST', '/payments/refunds', { key: true, body: refundBody('C-1', 'o-1', 100) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { details: [{ path: 'headers.idempotency-key' }] } });
  });

  it('answers 400 to a body that is not JSON and to a bad fault', async () => {
    const notJson = await t.send('POST', '/sms/messages', {
      key: true,
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    const badFault = await t.send('POST', '/_faults', { body: { service: 'payments', mode: 'error', rate: 2 } });
    expect(badFault.status).toBe(400);
    expect(badFault.body).toMatchObject({ error: { details: [{ path: 'body.rate' }] } });
  });
});

describe('provider sandbox: payments', () => {
  it('refunds once per idempotency key and answers a repeat with the first result', async () => {
    const complaintId = uid('C');
    const orderId = uid('o');
    await t.putOrder(orderId, { amountPaidFen: 12_900 });
    const key = uid('key');

    const first = await refund(key, refundBody(complaintId, orderId, 5_000));
    const again = await refund(key, refundBody(complaintId, orderId, 5_000));

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'succeeded',
      amountFen: 5_000,
      orderId,
      complaintId,
      kind: 'refund',
      idempotencyKey: key,
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await t.inspect<Refund[]>(`/payments/refunds?complaintId=${complaintId}`)).toEqual([first.body]);
  });

  it('never refunds an order past what was paid, but compensates on top', async () => {
    const complaintId = uid('C');
    const orderId = uid('o');
    await t.putOrder(orderId, { amountPaidFen: 10_000 });

    expect((await refund(uid('key'), refundBody(complaintId, orderId, 6_000, 'partial_refund'))).status).toBe(201);
    const over = await refund(uid('key'), refundBody(complaintId, orderId, 4_001));
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'amount_exceeds_paid' });
    expect((await refund(uid('key'), refundBody(complaintId, orderId, 4_000))).status).toBe(201);
    expect((await refund(uid('key'), refundBody(complaintId, orderId, 2_000, 'compensation'))).status).toBe(201);

    const kinds = (await t.inspect<Refund[]>(`/payments/refunds?complaintId=${complaintId}`)).map((r) => [
      r.kind,
      r.amountFen,
    ]);
    expect(kinds).toEqual([
      ['partial_refund', 6_000],
      ['refund', 4_000],
      ['compensation', 2_000],
    ]);
  });

  it('caps refunds per order across complaints; a repeated key still answers its first refund', async () => {
    const orderId = uid('o');
    await t.putOrder(orderId, { amountPaidFen: 10_000 });
    const [first, second] = [uid('C'), uid('C')];
    const firstKey = uid('key');

    expect((await refund(firstKey, refundBody(first, orderId, 7_000, 'partial_refund'))).status).toBe(201);
    // Another complaint on the same order: 7 000 + 3 001 > 10 000.
    const over = await refund(uid('key'), refundBody(second, orderId, 3_001, 'partial_refund'));
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'amount_exceeds_paid' });
    expect((await refund(uid('key'), refundBody(second, orderId, 3_000, 'partial_refund'))).status).toBe(201);
    // The order is now fully refunded; the first request sent again is a repeat, not a new refund.
    const repeat = await refund(firstKey, refundBody(first, orderId, 7_000, 'partial_refund'));
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ idempotencyKey: firstKey, amountFen: 7_000 });

    const ledger = await t.send('GET', `/payments/orders/${orderId}`, { key: true });
    expect(ledger).toEqual({ status: 200, body: { orderId, paidFen: 10_000, refundedFen: 10_000 } });
  });

  it("answers an order's paid and refunded totals, compensation not counted, with the key only", async () => {
    const orderId = uid('o');
    await t.putOrder(orderId, { amountPaidFen: 12_900 });
    expect(await t.send('GET', `/payments/orders/${orderId}`, { key: true })).toEqual({
      status: 200,
      body: { orderId, paidFen: 12_900, refundedFen: 0 },
    });
    await refund(uid('key'), refundBody(uid('C'), orderId, 2_500));
    await refund(uid('key'), refundBody(uid('C'), orderId, 1_000, 'compensation'));
    expect((await t.send('GET', `/payments/orders/${orderId}`, { key: true })).body).toMatchObject({
      refundedFen: 2_500,
    });

    expect((await t.send('GET', `/payments/orders/${orderId}`)).status).toBe(401);
    const unknown = await t.send('GET', `/payments/orders/${uid('o-missing')}`, { key: true });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'unknown_order' } });
  });

  it('refuses a refund for an unknown order (422 unknown_order)', async () => {
    const res = await refund(uid('key'), refundBody(uid('C'), uid('o-missing'), 100));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'unknown_order' });
  });

  it('issues a coupon once per key and revokes it idempotently', async () => {
    const complaintId = uid('C');
    const key = uid('key');
    const body = { complaintId, customerId: 'c-1', amountFen: 500, validDays: 7 };
    const issue = () =>
      t.send<Coupon>('POST', '/payments/coupons', { key: true, body, headers: { 'Idempotency-Key': key } });

    const first = await issue();
    const again = await issue();
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.couponId).toBe(first.body.couponId);
    expect(Date.parse(first.body.expiresAt) - Date.parse(first.body.createdAt)).toBe(7 * 24 * 3600 * 1000);

    const revoke = () => t.send<Coupon>('DELETE', `/payments/coupons/${first.body.couponId}`, { key: true });
    expect((await revoke()).body.status).toBe('revoked');
    expect((await revoke()).status).toBe(200);
    expect((await t.send('DELETE', '/payments/coupons/cp_unknown', { key: true })).status).toBe(404);
    const coupons = await t.inspect<Coupon[]>(`/payments/coupons?complaintId=${complaintId}`);
    expect(coupons.map((c) => c.status)).toEqual(['revoked']);
  });
});

describe('provider sandbox: messages, carriers, merchants, orders', () => {
  it('keeps SMS and finds them by recipient and complaint', async () => {
    const complaintId = uid('C');
    const to = `+86${Date.now()}`;
    const sent = await t.send('POST', '/sms/messages', {
      key: true,
      body: { to, complaintId, template: 'acknowledgement', text: 'hello', channel: 'app' },
    });
    await t.send('POST', '/sms/messages', {
      key: true,
      body: { to: 'staff:supervisor', complaintId, template: 'staff:escalated', text: 'look' },
    });

    expect(sent.status).toBe(201);
    expect(sent.body.messageId).toEqual(expect.any(String));
    expect(await t.inspect<SmsMessage[]>(`/sms/messages?complaintId=${complaintId}`)).toHaveLength(2);
    const mine = await t.inspect<SmsMessage[]>(`/sms/messages?to=${encodeURIComponent(to)}&complaintId=${complaintId}`);
    expect(mine).toEqual([expect.objectContaining({ to, template: 'acknowledgement', channel: 'app' })]);
  });

  it('refuses a customer SMS past the gateway limit, not a staff alert', async () => {
    const complaintId = uid('C');
    const send = (template: string, text: string) =>
      t.send('POST', '/sms/messages', { key: true, body: { to: '+8613800000000', complaintId, template, text } });
    expect((await send('case_closed', '关'.repeat(SMS_MAX_TEXT))).status).toBe(201);
    const tooLong = await send('case_closed', '关'.repeat(SMS_MAX_TEXT + 1));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ error: { details: [{ path: 'body.text' }] } });
    expect((await send('staff:escalated', 'x'.repeat(SMS_MAX_TEXT + 1))).status).toBe(201);
  });

  it('answers a repeated SMS idempotency key with the first message', async () => {
    const complaintId = uid('C');
    const body = { to: '+8613800000000', complaintId, template: 'case_closed', text: 'closed' };
    const headers = { 'Idempotency-Key': uid('key') };
    const first = await t.send<SmsMessage>('POST', '/sms/messages', { key: true, body, headers });
    const again = await t.send<SmsMessage>('POST', '/sms/messages', { key: true, body, headers });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toEqual(first.body);
    expect(await t.inspect(`/sms/messages?complaintId=${complaintId}`)).toHaveLength(1);
  });

  it('serves the customer directory: the tier, language and phone a test put, regular and zh-CN for anyone else, each with a phone', async () => {
    const customerId = uid('c');
    const put = await t.send('PUT', `/customers/${customerId}`, {
      body: { name: 'Alice', tier: 'vip', locale: 'en', phone: '+8613912345678' },
    });
    expect(put.status).toBe(200);
    expect(await t.send('GET', `/customers/${customerId}`, { key: true })).toEqual({
      status: 200,
      body: { customerId, name: 'Alice', tier: 'vip', locale: 'en', phone: '+8613912345678' },
    });
    const unknown = uid('c');
    const answer = (await t.send('GET', `/customers/${unknown}`, { key: true })).body as { phone?: unknown };
    expect(answer).toMatchObject({ customerId: unknown, tier: 'regular', locale: 'zh-CN' });
    expect(Object.keys(answer).sort()).toEqual(['customerId', 'locale', 'phone', 'tier']);
    expect(answer.phone).toMatch(/^\+86199[0-9]{8}$/);
    // The same number every time: messages to one customer go to one handset.
    expect((await t.send('GET', `/customers/${unknown}`, { key: true })).body).toEqual(answer);
    expect((await t.send('PUT', `/customers/${customerId}`, { body: { locale: 'fr' } })).status).toBe(400);
  });

  it('serves the tracking trail a test set, and 404 for an unknown waybill', async () => {
    const waybillNo = uid('SF');
    const trail = {
      status: 'delivered',
      events: [{ at: '2026-11-02T14:00:00+08:00', status: 'delivered', location: 'Shanghai' }],
      signedBy: 'Li',
    };
    expect((await t.send('PUT', `/carriers/SF/waybills/${waybillNo}`, { body: trail })).status).toBe(200);

    const found = await t.send<WaybillTrail>('GET', `/carriers/SF/waybills/${waybillNo}`, { key: true });
    expect(found).toEqual({ status: 200, body: { carrier: 'SF', waybillNo, ...trail } });
    expect((await t.send('GET', `/carriers/SF/waybills/${uid('none')}`, { key: true })).status).toBe(404);
    expect(
      (await t.send('PUT', `/carriers/SF/waybills/${waybillNo}`, { body: { status: 'unknown', events: [] } })).status,
    ).toBe(400);
  });

  it('sends one merchant notice per idempotency key', async () => {
    const merchantId = uid('m');
    const complaintId = uid('C');
    const body = { merchantId, complaintId, kind: 'complaint_copy', text: 'Please answer within 24 h' };
    const key = uid('key');
    const first = await t.send<MerchantNotice>('POST', '/merchants/notices', {
      key: true,
      body,
      headers: { 'Idempotency-Key': key },
    });
    const again = await t.send<MerchantNotice>('POST', '/merchants/notices', {
      key: true,
      body,
      headers: { 'Idempotency-Key': key },
    });
    const unkeyed = await t.send<MerchantNotice>('POST', '/merchants/notices', {
      key: true,
      body: { ...body, kind: 'reminder' },
    });

    expect([first.status, again.status, unkeyed.status]).toEqual([201, 200, 201]);
    expect(again.body.noticeId).toBe(first.body.noticeId);
    const notices = await t.inspect<MerchantNotice[]>(
      `/merchants/notices?merchantId=${merchantId}&complaintId=${complaintId}`,
    );
    expect(notices.map((n) => n.kind)).toEqual(['complaint_copy', 'reminder']);
  });

  it('serves the orders a test put, and 404 for an unknown one', async () => {
    const orderId = uid('o');
    await t.putOrder(orderId, { customerId: 'c-9', carrier: 'SF', waybillNo: 'SF1' });
    const found = await t.send<Order>('GET', `/orders/${orderId}`, { key: true });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ orderId, customerId: 'c-9', amountPaidFen: 10_000, carrier: 'SF' });
    expect((await t.send('GET', `/orders/${uid('o')}`, { key: true })).status).toBe(404);
  });
});

describe('provider sandbox: faults', () => {
  it('disarms a fault after `count` hits', async () => {
    await t.arm({ service: 'sms', mode: 'error', rate: 1, count: 2 });
    const body = { to: '+8613800000000', complaintId: uid('C'), template: 'acknowledgement', text: 'hi' };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.send('POST', '/sms/messages', { key: true, body })).status);
    expect(statuses).toEqual([503, 503, 201]);
    expect(await t.inspect('/_faults')).toEqual([]);
  });

  it('never hits at rate 0 and hits every request at rate 1 until cleared', async () => {
    const orderId = uid('o');
    await t.putOrder(orderId);
    await t.arm({ service: 'orders', mode: 'error', rate: 0 });
    expect((await t.send('GET', `/orders/${orderId}`, { key: true })).status).toBe(200);
    await t.arm({ service: 'orders', mode: 'error', rate: 1 });
    for (let i = 0; i < 3; i++) expect((await t.send('GET', `/orders/${orderId}`, { key: true })).status).toBe(503);
    await t.send('DELETE', '/_faults');
    expect((await t.send('GET', `/orders/${orderId}`, { key: true })).status).toBe(200);
  });

  it('declines payments with 402 and other services with 422, recording nothing', async () => {
    const complaintId = uid('C');
    const orderId = uid('o');
    await t.putOrder(orderId);
    await t.arm({ service: 'payments', mode: 'decline', rate: 1, count: 1 });
    const declined = await refund(uid('key'), refundBody(complaintId, orderId, 100));
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ code: 'declined' });
    expect(await t.inspect(`/payments/refunds?complaintId=${complaintId}`)).toEqual([]);

    await t.arm({ service: 'merchants', mode: 'decline', rate: 1, count: 1 });
    const notice = await t.send('POST', '/merchants/notices', {
      key: true,
      body: { merchantId: 'm-1', complaintId, kind: 'reminder', text: 'x' },
    });
    expect(notice.status).toBe(422);
  });

  it('records a refund before a payments timeout holds the answer back', async () => {
    const complaintId = uid('C');
    const orderId = uid('o');
    await t.putOrder(orderId);
    await t.arm({ service: 'payments', mode: 'timeout', rate: 1, count: 1 });

    const stalled = fetch(`${t.sandbox.url}/payments/refunds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'test-key', 'idempotency-key': uid('key') },
      body: JSON.stringify(refundBody(complaintId, orderId, 100)),
      signal: AbortSignal.timeout(500),
    });
    await expect(stalled).rejects.toThrow();
    expect(await t.inspect<Refund[]>(`/payments/refunds?complaintId=${complaintId}`)).toHaveLength(1);
  });

  it('holds other services without doing the work', async () => {
    const complaintId = uid('C');
    await t.arm({ service: 'sms', mode: 'timeout', rate: 1, count: 1 });
    const stalled = fetch(`${t.sandbox.url}/sms/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'test-key' },
      body: JSON.stringify({ to: '+8613800000000', complaintId, template: 'acknowledgement', text: 'hi' }),
      signal: AbortSignal.timeout(500),
    });
    await expect(stalled).rejects.toThrow();
    expect(await t.inspect(`/sms/messages?complaintId=${complaintId}`)).toEqual([]);
  });
});

describe('provider sandbox: lifecycle', () => {
  it('keeps refunds across a restart with the same data file', async () => {
    const dataFile = path.join(mkdtempSync(path.join(tmpdir(), 'sandbox-')), 'nested', 'sandbox.json');
    const complaintId = uid('C');
    const orderId = uid('o');
    const key = uid('key');

    const before = await startTestSandbox({ dataFile });
    await before.putOrder(orderId, { amountPaidFen: 3_000 });
    const paid = await before.send<Refund>('POST', '/payments/refunds', {
      key: true,
      body: refundBody(complaintId, orderId, 2_000),
      headers: { 'Idempotency-Key': key },
    });
    await before.close();
    expect(existsSync(dataFile)).toBe(true);
    expect(existsSync(`${dataFile}.${process.pid}.tmp`)).toBe(false);

    const after = await startTestSandbox({ dataFile });
    try {
      expect(await after.inspect<Refund[]>(`/payments/refunds?complaintId=${complaintId}`)).toEqual([paid.body]);
      const repeat = await after.send<Refund>('POST', '/payments/refunds', {
        key: true,
        body: refundBody(complaintId, orderId, 2_000),
        headers: { 'Idempotency-Key': key },
      });
      expect(repeat).toEqual({ status: 200, body: paid.body });
      const over = await after.send('POST', '/payments/refunds', {
        key: true,
        body: refundBody(complaintId, orderId, 1_001),
        headers: { 'Idempotency-Key': uid('key') },
      });
      expect(over.body).toMatchObject({ code: 'amount_exceeds_paid' });
    } finally {
      await after.close();
    }
    expect(JSON.parse(readFileSync(dataFile, 'utf8'))).toMatchObject({ refunds: [{ idempotencyKey: key }] });
  });

  it('refuses to start on a data file that is not its state', async () => {
    const dataFile = path.join(mkdtempSync(path.join(tmpdir(), 'sandbox-')), 'sandbox.json');
    writeFileSync(dataFile, '{"refunds": 3}');
    await expect(startTestSandbox({ dataFile })).rejects.toThrow(/sandbox\.json is not sandbox state/);
  });

  it('closes at once even while a timeout fault holds an answer', async () => {
    const other = await startTestSandbox();
    await other.arm({ service: 'carriers', mode: 'timeout', rate: 1 });
    const stalled = fetch(`${other.sandbox.url}/carriers/SF/waybills/1`, { headers: { 'x-api-key': 'test-key' } });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(stalled).rejects.toThrow();
  });
});
