import request from 'supertest';
import { complaintWorkflowId } from '../../shared/identity';
import { ChoiceResponseV1 } from '../../api/schemas';
import { useApiHarness, callers, errorOf, openBody, party, viewOf } from './support';
import { eventually } from '../support/poll';

/**
 * docs/domain.md §7.8, §7.9, driven through the API from the order service (over HTTP) to the
 * customer's choice: the merchant offers options, the case's customer reads them and chooses
 * (`GET`/`POST /v1/complaints/:id/choice`); only that customer may; an option not offered is 422,
 * nothing to choose or a second choice 409. A return chosen 3 days after delivery, for goods that
 * carry the 7-day no-reason return, is granted without approval although it is above the 500 CNY an
 * agent grants alone.
 */

const h = useApiHarness({ worker: true });

const DAY = 86_400_000;
const APPROVAL_THRESHOLD_FEN = 500 * 100;

async function briefedCase(
  opts: { options?: object[]; deliveredAt?: string; sevenDayReturn?: boolean; amountPaidFen?: number } = {},
) {
  const p = party();
  const amountPaidFen = opts.amountPaidFen ?? 12_900;
  h.sandbox.store.putOrder({
    orderId: p.orderId,
    customerId: p.customerId,
    merchantId: p.merchantId,
    amountPaidFen,
    items: [
      {
        sku: p.sku,
        quantity: 1,
        priceFen: amountPaidFen,
        ...(opts.sevenDayReturn !== undefined ? { sevenDayReturn: opts.sevenDayReturn } : {}),
      },
    ],
    paidAt: '2026-11-01T10:00:00+08:00',
    ...(opts.deliveredAt ? { deliveredAt: opts.deliveredAt } : {}),
  });
  const as = callers(p.customerId, p.merchantId);
  const call = async (claims: (typeof as)[keyof typeof as], path: string, body: object) =>
    request(h.app)
      .post(`/v1/complaints${path}`)
      .set('authorization', await h.bearer(claims))
      .send(body);
  const read = async (claims: (typeof as)[keyof typeof as], id: string) =>
    request(h.app)
      .get(`/v1/complaints/${id}/choice`)
      .set('authorization', await h.bearer(claims));
  const opened = await call(as.customer, '', openBody(p));
  expect(opened.status).toBe(201);
  const id = complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');
  await eventually(
    () => call(as.agent, `/${id}/assign`, { agentId: as.agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
  expect((await call(as.agent, `/${id}/first-response`, { message: '您好，我们正在核实。' })).status).toBe(200);
  const reply = await call(as.merchant, `/${id}/merchant-reply`, {
    message: '同意处理',
    accepts: true,
    ...(opts.options ? { options: opts.options } : {}),
  });
  expect(reply.status).toBe(200);
  expect(
    (await call(as.agent, `/${id}/investigation/brief`, { responsibility: 'merchant', findings: '密封圈缺陷' })).status,
  ).toBe(200);
  return { id, p, as, call, read, opened };
}

describe('the customer chooses among the merchant options', () => {
  it('the case customer reads the options and chooses a return 3 days after delivery: the no-reason return, granted without approval', async () => {
    const deliveredAt = new Date(Date.now() - 3 * DAY).toISOString();
    const amountPaidFen = 89_900;
    const { id, p, as, call, read, opened } = await briefedCase({
      options: [{ option: 'return' }, { option: 'exchange' }],
      deliveredAt,
      sevenDayReturn: true,
      amountPaidFen,
    });
    // What the order service said of delivery is on the case.
    expect(viewOf(opened).order).toMatchObject({ deliveredAt, sevenDayReturn: true });

    const shown = await read(as.customer, id);
    expect(shown.status).toBe(200);
    const offered = ChoiceResponseV1.parse(shown.body);
    expect(offered.open).toBe(true);
    expect(offered.choice?.offered.map((o) => o.option)).toEqual(['return', 'exchange']);
    expect((await read(as.agent, id)).status).toBe(200);
    expect((await read(as.merchant, id)).status).toBe(403);
    expect((await read(callers(`${p.customerId}-x`, p.merchantId).customer, id)).status).toBe(404);

    // Only the case's own customer chooses.
    expect((await call(as.agent, `/${id}/choice`, { option: 'return' })).status).toBe(403);
    expect(
      (await call(callers(`${p.customerId}-x`, p.merchantId).customer, `/${id}/choice`, { option: 'return' })).status,
    ).toBe(404);
    const notOffered = await call(as.customer, `/${id}/choice`, { option: 'repair' });
    expect(notOffered.status).toBe(422);

    const chosen = await call(as.customer, `/${id}/choice`, { option: 'return' });
    expect(chosen.status).toBe(200);
    const v = viewOf(chosen);
    expect(amountPaidFen).toBeGreaterThan(APPROVAL_THRESHOLD_FEN);
    expect(v.resolution.proposal).toMatchObject({ type: 'refund', amountFen: amountPaidFen, returnFirst: true });
    expect(v.resolution.approval?.required).toBe(false);
    expect(v.status).toBe('executing');

    const again = await call(as.customer, `/${id}/choice`, { option: 'exchange' });
    expect(again.status).toBe(409);
    expect((await read(as.customer, id)).body).toMatchObject({ open: false, choice: { chosen: 'return' } });
  });

  it('nothing offered: 409; an option that does not exist: 400 naming it', async () => {
    const { id, as, call, read } = await briefedCase();
    expect((await read(as.customer, id)).body).toEqual({ choice: null, open: false });
    const nothing = await call(as.customer, `/${id}/choice`, { option: 'exchange' });
    expect(nothing.status).toBe(409);
    const unknown = await call(as.customer, `/${id}/choice`, { option: 'gift' });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown).details?.map((d) => d.path)).toEqual(['option']);
  });

  it('a merchant offering to keep the goods names the compensation (400 without it)', async () => {
    const p = party();
    h.sandbox.store.putOrder({
      orderId: p.orderId,
      customerId: p.customerId,
      merchantId: p.merchantId,
      amountPaidFen: 12_900,
      items: [{ sku: p.sku, quantity: 1, priceFen: 12_900 }],
      paidAt: '2026-11-01T10:00:00+08:00',
    });
    const as = callers(p.customerId, p.merchantId);
    expect(
      (
        await request(h.app)
          .post('/v1/complaints')
          .set('authorization', await h.bearer(as.customer))
          .send(openBody(p))
      ).status,
    ).toBe(201);
    const id = complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');
    const res = await request(h.app)
      .post(`/v1/complaints/${id}/merchant-reply`)
      .set('authorization', await h.bearer(as.merchant))
      .send({ message: '可换货或补偿', options: [{ option: 'exchange' }, { option: 'keep_with_compensation' }] });
    expect(res.status).toBe(400);
    expect(errorOf(res).details?.map((d) => d.path)).toEqual(['options.1.compensationFen']);
  });
});
