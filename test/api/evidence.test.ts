import request from 'supertest';
import { useApiHarness, callers, errorOf, openBody, party, putOrder, viewOf, type ApiHarness } from './support';

/**
 * Evidence is bounded (docs/api-limits.md): a link of at most 2 048 characters, at most 20 items a
 * request and 50 a case. Unbounded, some twenty posts of long links pushed a case past Temporal's
 * payload limit and stuck it. The figures are the documented ones, written here, not read from code.
 */

const URL_MAX = 2048;
const PER_REQUEST = 20;
const PER_CASE = 50;

const h = useApiHarness({ worker: true });
type Claims = Parameters<ApiHarness['bearer']>[0];
const post = async (claims: Claims, path: string, body: object) =>
  request(h.app)
    .post(path)
    .set('authorization', await h.bearer(claims))
    .send(body);

/** An https link of exactly `length` characters. */
const linkOf = (length: number, tag = 'x') => {
  const head = `https://img.example.com/${tag}/`;
  return head + 'a'.repeat(length - head.length);
};
const items = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({ kind: 'photo', url: linkOf(200, `${tag}-${i}`), note: '' }));

describe('a link', () => {
  const p = party();
  const as = callers(p.customerId, p.merchantId);
  let id = '';
  beforeAll(async () => {
    putOrder(h.sandbox, p);
    const opened = await post(as.customer, '/v1/complaints', openBody(p));
    expect(opened.status).toBe(201);
    id = viewOf(opened).complaintId;
  });

  it(`of ${URL_MAX} characters is taken`, async () => {
    const res = await post(as.customer, `/v1/complaints/${id}/evidence`, {
      items: [{ kind: 'photo', url: linkOf(URL_MAX) }],
    });
    expect(res.status).toBe(200);
    expect(viewOf(res).evidence.map((e) => e.url)).toContain(linkOf(URL_MAX));
  });

  it(`of ${URL_MAX + 1} characters is refused with 400 naming the item, on an action and when opening a case`, async () => {
    const res = await post(as.customer, `/v1/complaints/${id}/evidence`, {
      items: [
        { kind: 'photo', url: linkOf(URL_MAX) },
        { kind: 'photo', url: linkOf(URL_MAX + 1) },
      ],
    });
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toEqual(['items.1.url']);
    const q = party();
    putOrder(h.sandbox, q);
    const opened = await post(
      callers(q.customerId, q.merchantId).customer,
      '/v1/complaints',
      openBody(q, { evidence: [{ kind: 'photo', url: linkOf(12_000) }] }),
    );
    expect(opened.status).toBe(400);
    expect(errorOf(opened).details.map((d) => d.path)).toEqual(['evidence.0.url']);
  });
});

describe('a case', () => {
  const p = party();
  const as = callers(p.customerId, p.merchantId);
  let id = '';
  beforeAll(async () => {
    putOrder(h.sandbox, p);
    const opened = await post(as.customer, '/v1/complaints', openBody(p, { evidence: items(PER_REQUEST, 'open') }));
    expect(opened.status).toBe(201);
    id = viewOf(opened).complaintId;
  });

  it(`takes ${PER_REQUEST} items a request, no more (400)`, async () => {
    const res = await post(as.customer, `/v1/complaints/${id}/evidence`, { items: items(PER_REQUEST + 1, 'too-many') });
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toEqual(['items']);
  });

  it(`holds ${PER_CASE} items; one more is refused with 422 naming the field, and the case keeps what it had`, async () => {
    // 20 at opening + 20 + 10 = the case's whole allowance.
    expect(
      (await post(as.customer, `/v1/complaints/${id}/evidence`, { items: items(PER_REQUEST, 'second') })).status,
    ).toBe(200);
    const full = await post(as.agent, `/v1/complaints/${id}/evidence`, {
      items: items(PER_CASE - 2 * PER_REQUEST, 'third'),
    });
    expect(full.status).toBe(200);
    expect(viewOf(full).evidence).toHaveLength(PER_CASE);

    const over = await post(as.customer, `/v1/complaints/${id}/evidence`, { items: items(1, 'one-more') });
    expect(over.status).toBe(422);
    expect(errorOf(over)).toMatchObject({ code: 'policy_refused', complaintId: id });
    expect(errorOf(over).details.map((d) => d.path)).toEqual(['items']);
    expect(errorOf(over).details[0]?.message).toContain(`at most ${PER_CASE}`);

    // The same complaint sent again with evidence joins the case: its evidence counts too.
    const again = await post(as.customer, '/v1/complaints', openBody(p, { evidence: items(1, 'joined') }));
    expect(again.status).toBe(422);
    expect(errorOf(again).details.map((d) => d.path)).toEqual(['evidence']);
    // Sent again without evidence, it still joins.
    expect((await post(as.customer, '/v1/complaints', openBody(p, { evidence: [] }))).status).toBe(200);

    const view = await request(h.app)
      .get(`/v1/complaints/${id}`)
      .set('authorization', await h.bearer(as.agent));
    expect(viewOf(view).evidence).toHaveLength(PER_CASE);
  });
});
