import { createHmac, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { caseViewQuery, timelineQuery } from '../../shared/messages';
import { useApiHarness, callers, errorOf, openBody, party, viewOf } from './support';
import { eventually } from '../support/poll';

/**
 * POST /v1/carrier-events (docs/helpdesks.md): carriers push parcel events signed with an HMAC of their own
 * secret; a good one reaches every open case on that waybill, a bad signature is 401, a replay is
 * refused. Signatures here are made by hand from the documented scheme (t=<unix s>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>">), not with the API's own signing function.
 */

const SECRET = 'sf-test-secret-0123456789';
const h = useApiHarness({ worker: true, env: { CARRIER_SECRETS: `SF=${SECRET},YTO=yto-test-secret-0123456789` } });
let server: Server;
let apiUrl: string;

beforeAll(() => {
  server = h.app.listen(0);
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.close();
});

function sign(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

function event(waybillNo: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    eventId: `ev-${randomUUID()}`,
    waybillNo,
    status,
    at: new Date().toISOString(),
    location: 'Shenzhen hub',
    ...extra,
  };
}

const post = (body: string, headers: Record<string, string>) =>
  request(h.app)
    .post('/v1/carrier-events')
    .set({ 'content-type': 'application/json', ...headers })
    .send(body);

/** A case about an order shipped by SF under its own waybill, opened through the API. */
async function caseOnWaybill(): Promise<{ id: string; waybillNo: string; customerId: string }> {
  const p = party();
  const waybillNo = `SF${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  h.sandbox.store.putOrder({
    orderId: p.orderId,
    customerId: p.customerId,
    merchantId: p.merchantId,
    amountPaidFen: 12_900,
    items: [{ sku: p.sku, quantity: 1, priceFen: 12_900 }],
    paidAt: '2026-11-01T10:00:00+08:00',
    carrier: 'SF',
    waybillNo,
  });
  const as = callers(p.customerId, p.merchantId);
  const res = await request(h.app)
    .post('/v1/complaints')
    .set('authorization', await h.bearer(as.customer))
    .send(openBody(p, { subType: 'delayed', description: 'My parcel has not arrived' }));
  expect(res.status).toBe(201);
  const id = viewOf(res).complaintId;
  // Events find cases through the projection: wait until the workflow wrote it.
  await eventually(
    async () => h.db.cases.findById(id).lean(),
    (doc) => doc !== null,
    'the case projected',
  );
  return { id, waybillNo, customerId: p.customerId };
}

describe('POST /v1/carrier-events', () => {
  it('routes a signed event to the open case on that waybill: a timeline fact and the carrier status', async () => {
    const c = await caseOnWaybill();
    const body = JSON.stringify(event(c.waybillNo, 'in_transit'));
    const res = await post(body, { 'x-carrier-id': 'SF', 'x-carrier-signature': sign(SECRET, body) });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: true, cases: 1 });
    const handle = h.temporal.workflow.getHandle(c.id);
    const timeline = await eventually(
      () => handle.query(timelineQuery),
      (t) => t.some((e) => e.action === 'carrier_event'),
      'the carrier event on the timeline',
    );
    expect(timeline.find((e) => e.action === 'carrier_event')?.detail).toMatchObject({
      waybillNo: c.waybillNo,
      status: 'in_transit',
      carrier: 'SF',
      location: 'Shenzhen hub',
    });
    expect((await handle.query(caseViewQuery)).investigation.carrierStatus).toBe('in_transit');
  });

  it('a delay asks the carrier to expedite and tells the customer, once', async () => {
    const c = await caseOnWaybill();
    for (const e of [
      event(c.waybillNo, 'delayed', { expectedDeliveryAt: '2026-12-03T18:00:00+08:00' }),
      event(c.waybillNo, 'delayed'),
    ]) {
      const body = JSON.stringify(e);
      expect((await post(body, { 'x-carrier-id': 'SF', 'x-carrier-signature': sign(SECRET, body) })).status).toBe(202);
    }
    const expedites = await eventually(
      async () =>
        (await fetch(`${h.sandbox.url}/carriers/expedites?waybillNo=${c.waybillNo}`)).json() as Promise<
          Array<{ carrier: string; complaintId: string }>
        >,
      (list) => list.length > 0,
      'the expedite request',
    );
    expect(expedites).toEqual([expect.objectContaining({ carrier: 'SF', complaintId: c.id })]);
    const sms = await eventually(
      async () =>
        (await fetch(`${h.sandbox.url}/sms/messages?complaintId=${encodeURIComponent(c.id)}`)).json() as Promise<
          Array<{ template: string; text: string }>
        >,
      (list) => list.some((m) => m.template === 'delivery_delayed'),
      'the delay message',
    );
    const told = sms.filter((m) => m.template === 'delivery_delayed');
    expect(told).toHaveLength(1);
    // In the customer's language (zh-CN by default), with the carrier's new estimate in Beijing time.
    expect(told[0].text).toContain(c.waybillNo);
    expect(told[0].text).toContain('2026年12月3日 18:00');
  });

  it('refuses a wrong signature, an unknown carrier and a stale signature with 401, and changes no case', async () => {
    const c = await caseOnWaybill();
    const body = JSON.stringify(event(c.waybillNo, 'lost'));
    const wrong = await post(body, {
      'x-carrier-id': 'SF',
      'x-carrier-signature': sign('not-the-secret-0123456789', body),
    });
    expect(wrong.status).toBe(401);
    expect(errorOf(wrong).code).toBe('unauthenticated');
    expect((await post(body, { 'x-carrier-id': 'ZTO', 'x-carrier-signature': sign(SECRET, body) })).status).toBe(401);
    expect((await post(body, { 'x-carrier-id': 'SF' })).status).toBe(401);
    const stale = await post(body, {
      'x-carrier-id': 'SF',
      'x-carrier-signature': sign(SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60),
    });
    expect(stale.status).toBe(401);
    // Signed for one body, sent with another.
    const tampered = JSON.stringify({ ...JSON.parse(body), status: 'delivered' });
    expect((await post(tampered, { 'x-carrier-id': 'SF', 'x-carrier-signature': sign(SECRET, body) })).status).toBe(
      401,
    );
    const t = await h.temporal.workflow.getHandle(c.id).query(timelineQuery);
    expect(t.filter((e) => e.action === 'carrier_event')).toEqual([]);
  });

  it('refuses the same event again (409) and a malformed one (400, naming the field)', async () => {
    const c = await caseOnWaybill();
    const body = JSON.stringify(event(c.waybillNo, 'out_for_delivery'));
    const headers = { 'x-carrier-id': 'SF', 'x-carrier-signature': sign(SECRET, body) };
    expect((await post(body, headers)).status).toBe(202);
    const again = await post(body, headers);
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('replayed');
    const bad = JSON.stringify({ ...event(c.waybillNo, 'teleported') });
    const res = await post(bad, { 'x-carrier-id': 'SF', 'x-carrier-signature': sign(SECRET, bad) });
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain('status');
  });

  it('an event for a waybill of another carrier, or of no open case, reaches nobody', async () => {
    const c = await caseOnWaybill();
    const body = JSON.stringify(event(c.waybillNo, 'delivered'));
    const res = await post(body, {
      'x-carrier-id': 'YTO',
      'x-carrier-signature': sign('yto-test-secret-0123456789', body),
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: true, cases: 0 });
  });

  it('the sandbox sends events as a carrier would', async () => {
    const c = await caseOnWaybill();
    const res = await fetch(`${h.sandbox.url}/_carriers/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        url: `${apiUrl}/v1/carrier-events`,
        carrier: 'SF',
        secret: SECRET,
        event: event(c.waybillNo, 'delivered'),
      }),
    });
    expect(await res.json()).toEqual({ status: 202, body: { accepted: true, cases: 1 } });
  });
});
