import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createOrdersClient } from '../../clients/orders';
import { prepareComplaint, submitComplaint } from '../../api/intake';
import { OpenComplaintRequest } from '../../api/schemas';
import { complaintWorkflowId } from '../../shared/identity';
import {
  useApiHarness,
  callers,
  errorOf,
  openBody,
  party,
  putOrder,
  viewOf,
  pageOf,
  silent,
  type ApiHarness,
} from './support';
import { eventually } from '../support/poll';

/**
 * The security findings (docs/api-guide.md, docs/configuration.md, docs/domain.md §1.2, §2.3,
 * §10.3), each as the request an attacker or a careless client would send.
 */

const h = useApiHarness({ worker: true });

type Claims = Parameters<ApiHarness['bearer']>[0];
const post = async (claims: Claims, path: string, body: object) =>
  request(h.app)
    .post(path)
    .set('authorization', await h.bearer(claims))
    .send(body);
const get = async (claims: Claims, path: string) =>
  request(h.app)
    .get(path)
    .set('authorization', await h.bearer(claims));

describe('case ids', () => {
  it('gives c-1 + o-100 and c + 1-o-100 two cases: the second customer never joins the first one', async () => {
    const tag = randomUUID().slice(0, 8);
    const first = { customerId: `c${tag}-1`, orderId: `o-100-${tag}`, merchantId: `m-${tag}`, sku: `sku-${tag}` };
    // Joined with "-", customer "c<tag>" and order "1-o-100-<tag>" spell the first case's id.
    const second = { ...first, customerId: `c${tag}`, orderId: `1-o-100-${tag}` };
    putOrder(h.sandbox, first);
    putOrder(h.sandbox, second);
    const opened = await post(
      callers(first.customerId, first.merchantId).customer,
      '/v1/complaints',
      openBody(first, { customer: { id: first.customerId, name: 'First Customer', phone: '+8613811111111' } }),
    );
    expect(opened.status).toBe(201);

    const res = await post(
      callers(second.customerId, second.merchantId).customer,
      '/v1/complaints',
      openBody(second, { customer: { id: second.customerId, name: 'Second Customer', phone: '+8613822222222' } }),
    );
    expect(res.status).toBe(201);
    expect(viewOf(res).complaintId).not.toBe(viewOf(opened).complaintId);
    expect(JSON.stringify(res.body)).not.toMatch(/First Customer|8613811111111/);
  });

  it('refuses a customer whose submission reaches a running case of another customer (404, nothing joined)', async () => {
    const owner = party();
    const intruder = party();
    putOrder(h.sandbox, owner);
    putOrder(h.sandbox, intruder);
    // A running case that holds the id the intruder's complaint maps to (a case an older version opened, or a bug).
    const deps = {
      ...h,
      orders: createOrdersClient({ baseUrl: h.sandbox.url, apiKey: h.config.PROVIDER_API_KEY, logger: silent }),
    };
    const prepared = await prepareComplaint(
      deps,
      OpenComplaintRequest.parse(
        openBody(owner, { customer: { id: owner.customerId, name: 'Owner Name', phone: '+8613833333333' } }),
      ),
      callers(owner.customerId, owner.merchantId).customer,
    );
    const takenId = complaintWorkflowId(intruder.customerId, intruder.orderId, 'quality_defect');
    await submitComplaint(deps, { ...prepared, input: { ...prepared.input, complaintId: takenId } });

    const res = await post(
      callers(intruder.customerId, intruder.merchantId).customer,
      '/v1/complaints',
      openBody(intruder),
    );
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toMatch(/Owner Name|8613833333333/);
    const seen = await get(callers(owner.customerId, owner.merchantId).agent, `/v1/complaints/${takenId}`);
    expect(viewOf(seen).evidence).toHaveLength(1);
  });
});

describe('identifiers accept a documented character set only', () => {
  const p = party();
  const as = callers(p.customerId, p.merchantId);
  it.each([
    [
      'a customer id with a dot',
      { customer: { id: `${p.customerId}.x`, name: 'Li', phone: '+8613800000000' } },
      'customer.id',
    ],
    ['a customer id with a space', { customer: { id: 'c 1', name: 'Li', phone: '+8613800000000' } }, 'customer.id'],
    ['an order id with a slash', { order: { orderId: 'o/1', merchantId: p.merchantId, sku: p.sku } }, 'order.orderId'],
    [
      'a merchant id with a percent sign',
      { order: { orderId: p.orderId, merchantId: 'm%1', sku: p.sku } },
      'order.merchantId',
    ],
    ['a sku with unicode', { order: { orderId: p.orderId, merchantId: p.merchantId, sku: 'sku-水壶' } }, 'order.sku'],
  ])('400 for %s', async (_what, change, field) => {
    const res = await post(as.agent, '/v1/complaints', openBody(p, change));
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain(field);
  });

  it('400 for an agent id outside the set', async () => {
    const res = await post(as.supervisor, '/v1/complaints/cmp.c-1.o-1.quality_defect/assign', { agentId: 'agent 7' });
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain('agentId');
  });

  it('400 for a case id in the path outside the set', async () => {
    const res = await get(as.agent, `/v1/complaints/${encodeURIComponent('cmp c 1')}`);
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain('id');
  });

  it('400 for a merchant filter outside the set', async () => {
    const res = await get(as.agent, '/v1/complaints?merchantId=m*');
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain('merchantId');
  });
});

describe('priority', () => {
  it("ignores a customer's own priority and member tier: the rules and the customer directory decide", async () => {
    const p = party();
    putOrder(h.sandbox, p);
    const res = await post(
      callers(p.customerId, p.merchantId).customer,
      '/v1/complaints',
      openBody(p, {
        priority: 'high',
        priorityReason: 'I want it fast',
        customer: { id: p.customerId, name: 'Li Lei', phone: '+8613800000000', memberTier: 'vip' },
        subType: 'suggestion',
        category: 'other',
      }),
    );
    expect(res.status).toBe(201);
    expect(viewOf(res).priority).toBe('low');
    expect(viewOf(res).customer.memberTier).toBe('regular');
  });

  it("ignores a customer's own priority without a reason too (docs/domain.md §2.3: ignored, not refused)", async () => {
    const p = party();
    putOrder(h.sandbox, p);
    const res = await post(
      callers(p.customerId, p.merchantId).customer,
      '/v1/complaints',
      openBody(p, { priority: 'high', subType: 'suggestion', category: 'other' }),
    );
    expect(res.status).toBe(201);
    // A suggestion from a regular customer about a small order: the rules say low.
    expect(viewOf(res).priority).toBe('low');
  });

  it('400 for staff setting a priority without a reason', async () => {
    const p = party();
    putOrder(h.sandbox, p);
    const res = await post(
      callers(p.customerId, p.merchantId).agent,
      '/v1/complaints',
      openBody(p, { priority: 'high' }),
    );
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain('priorityReason');
  });

  it('takes a priority from staff with its reason, recorded with who set it', async () => {
    const p = party();
    putOrder(h.sandbox, p);
    const res = await post(
      callers(p.customerId, p.merchantId).agent,
      '/v1/complaints',
      openBody(p, {
        priority: 'high',
        priorityReason: 'journalist on the phone',
        subType: 'suggestion',
        category: 'other',
      }),
    );
    expect(res.status).toBe(201);
    expect(viewOf(res).priority).toBe('high');
    expect(viewOf(res).priorityReasons).toEqual(
      expect.arrayContaining([expect.stringContaining('journalist on the phone')]),
    );
  });
});

describe('what a customer and a merchant see of a case is theirs (docs/domain.md §10.3)', () => {
  const p = party();
  const as = callers(p.customerId, p.merchantId);
  const PHONE = '+8613844444444';
  const FINDINGS = 'INTERNAL-FINDINGS-merchant-lied';
  const REJECTION = 'SUPERVISOR-REASON-too-generous';
  const NOTE = 'AGENT-NOTE-refund-as-she-is-a-regular';
  let id = '';

  beforeAll(async () => {
    putOrder(h.sandbox, p, 100_000);
    // The phone the case holds is the directory's; the one typed is ignored.
    h.sandbox.store.putCustomer({ customerId: p.customerId, tier: 'regular', locale: 'zh-CN', phone: PHONE });
    const opened = await post(
      as.customer,
      '/v1/complaints',
      openBody(p, { customer: { id: p.customerId, name: 'Li Lei', phone: '+8613800000000' } }),
    );
    id = viewOf(opened).complaintId;
    const steps: Array<[Claims, string, object]> = [
      [as.agent, 'assign', { agentId: as.agent.sub }],
      [as.agent, 'first-response', { message: 'We are checking the kettle with the merchant.' }],
      [as.merchant, 'merchant-reply', { message: 'We will take it back', accepts: true }],
      [as.agent, 'investigation/brief', { responsibility: 'merchant', findings: FINDINGS }],
      [as.agent, 'resolution', { type: 'refund', amountFen: 60_000, note: NOTE }],
      [as.supervisor, 'approval', { decision: 'reject', reason: REJECTION }],
    ];
    for (const [claims, action, body] of steps) {
      const res = await post(claims, `/v1/complaints/${id}/${action}`, body);
      if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  });

  // The owner is the one staff id a party reads (docs/domain.md §10.2: the customer sees who handles the case); the supervisor's is not theirs.
  const secrets = [FINDINGS, REJECTION, NOTE, as.supervisor.sub];

  /** A party's timeline: no staff id, no detail, no internal action name. */
  function expectPartyTimeline(entries: Array<{ actor: { sub: string }; action: string; detail: object }>): void {
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['complaint_received', 'agent_assigned', 'solution_proposed']),
    );
    for (const e of entries) {
      expect(e.actor.sub).not.toBe(as.agent.sub);
      expect(e.detail).toEqual({});
      expect(['assigned', 'resolution_proposed', 'resolution_rejected', 'staff_notified']).not.toContain(e.action);
    }
  }

  it("the customer reads neither staff notes nor supervisors' reasons, in the view, the timeline or an action's answer", async () => {
    const view = await get(as.customer, `/v1/complaints/${id}`);
    expect(view.status).toBe(200);
    expect(viewOf(view)).toMatchObject({ complaintId: id, status: 'in_progress', customer: { phone: PHONE } });
    const timeline = await get(as.customer, `/v1/complaints/${id}/timeline`);
    expect(timeline.status).toBe(200);
    const acted = await post(as.customer, `/v1/complaints/${id}/evidence`, {
      items: [{ kind: 'photo', url: 'https://img.example.com/3.jpg' }],
    });
    expect(acted.status).toBe(200);
    const joined = await post(
      as.customer,
      '/v1/complaints',
      openBody(p, { customer: { id: p.customerId, name: 'Li Lei', phone: PHONE } }),
    );
    expect(joined.status).toBe(200);
    for (const res of [view, timeline, acted, joined]) {
      for (const secret of secrets) expect(JSON.stringify(res.body)).not.toContain(secret);
    }
    expectPartyTimeline(timeline.body as Parameters<typeof expectPartyTimeline>[0]);
  });

  it("the merchant reads neither staff notes, supervisors' reasons nor the customer's phone, in the view, the timeline, the list or an action's answer", async () => {
    const view = await get(as.merchant, `/v1/complaints/${id}`);
    expect(view.status).toBe(200);
    const timeline = await get(as.merchant, `/v1/complaints/${id}/timeline`);
    const list = await eventually(
      async () => get(as.merchant, '/v1/complaints'),
      (res) => pageOf(res).items.some((v) => v.resolution.rejections.length > 0 || v.status === 'in_progress'),
      "the merchant's list showing the case",
    );
    expect(pageOf(list).items.map((v) => v.complaintId)).toContain(id);
    const acted = await post(as.merchant, `/v1/complaints/${id}/merchant-reply`, { message: 'again' });
    expect(acted.status).toBe(409);
    for (const res of [view, timeline, list]) {
      for (const secret of [...secrets, PHONE]) expect(JSON.stringify(res.body)).not.toContain(secret);
    }
    expectPartyTimeline(timeline.body as Parameters<typeof expectPartyTimeline>[0]);
  });

  it('staff still read everything', async () => {
    const view = await get(as.supervisor, `/v1/complaints/${id}`);
    expect(JSON.stringify(view.body)).toContain(FINDINGS);
    expect(JSON.stringify(view.body)).toContain(REJECTION);
    expect(JSON.stringify(view.body)).toContain(PHONE);
    expect(JSON.stringify(view.body)).toContain(NOTE);
  });
});

describe('customer messages go to the phone the customer directory holds (docs/domain.md §1.2)', () => {
  const sms = async (query: string) =>
    (await fetch(`${h.sandbox.url}/sms/messages?${query}`)).json() as Promise<Array<{ to: string; template: string }>>;

  it("a phone the caller types is ignored: the receipt goes to the directory's number, none to the typed one", async () => {
    const p = party();
    putOrder(h.sandbox, p);
    const onFile = '+8613866660001';
    const typed = `+86137${randomUUID().replace(/\D/g, '').padEnd(8, '0').slice(0, 8)}`;
    h.sandbox.store.putCustomer({ customerId: p.customerId, tier: 'regular', locale: 'zh-CN', phone: onFile });
    for (const caller of ['customer', 'agent'] as const) {
      const opened = await post(
        callers(p.customerId, p.merchantId)[caller],
        '/v1/complaints',
        openBody(p, {
          customer: { id: p.customerId, name: 'Li Lei', phone: typed },
          subType: caller === 'customer' ? 'quality_defect' : 'not_as_described',
        }),
      );
      expect(opened.status).toBe(201);
      const id = viewOf(opened).complaintId;
      expect(viewOf(opened).customer.phone).toBe(onFile);
      const sent = await eventually(
        () => sms(`complaintId=${encodeURIComponent(id)}`),
        (m) => m.some((x) => x.template === 'acknowledgement'),
        'the receipt',
      );
      const toCustomer = sent.filter((m) => !m.to.startsWith('staff:'));
      expect(toCustomer.map((m) => m.template)).toContain('acknowledgement');
      expect(new Set(toCustomer.map((m) => m.to))).toEqual(new Set([onFile]));
    }
    expect(await sms(`to=${encodeURIComponent(typed)}`)).toEqual([]);
  });

  it('a body without a phone opens the case (the field is ignored, so it may be left out)', async () => {
    const p = party();
    putOrder(h.sandbox, p);
    const body = openBody(p);
    const res = await post(callers(p.customerId, p.merchantId).customer, '/v1/complaints', {
      ...body,
      customer: { id: p.customerId, name: 'Li Lei' },
    });
    expect(res.status).toBe(201);
  });
});
