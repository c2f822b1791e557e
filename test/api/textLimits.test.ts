import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { complaintWorkflowId } from '../../shared/identity';
import { useApiHarness, callers, openBody, putOrder, viewOf } from './support';
import { eventually } from '../support/poll';

/**
 * What the API accepts, the providers take: one case driven through the running API, worker and
 * sandbox with every text at the longest the API's own OpenAPI document allows and the longest ids
 * (shared/apiTexts.ts is the table, test/shared/apiTexts.test.ts walks each field on its own). A
 * text a provider refuses after the API answered 200 leaves the case broken: the merchant never
 * copied, the extension silently reverted, a refund that never pays.
 */

const h = useApiHarness({ worker: true });

type Claims = Parameters<typeof h.bearer>[0];
interface BodySchema {
  properties: Record<string, { maxLength?: number }>;
}
interface OpenApi {
  paths: Record<string, { post: { requestBody: { content: { 'application/json': { schema: BodySchema } } } } }>;
}

const tag = randomUUID().slice(0, 8);
// The longest ids there are: 64 characters each, and the longest sub-type.
const p = {
  customerId: `c-${tag}`.padEnd(64, 'c'),
  orderId: `o-${tag}`.padEnd(64, 'o'),
  merchantId: `m-${tag}`.padEnd(64, 'm'),
  sku: `s-${tag}`.padEnd(64, 's'),
};
const SUB_TYPE = 'compensation_dispute';
const id = complaintWorkflowId(p.customerId, p.orderId, SUB_TYPE);
const as = callers(p.customerId, p.merchantId);

/** Plain text of exactly `n` characters that passes the wording check. */
const fill = (sentence: string, n: number) => sentence.repeat(Math.ceil(n / sentence.length)).slice(0, n);
const AGENT_TEXT = '我们正在与商家核实商品情况，请您耐心等待。';

let doc: OpenApi;
/** The longest text the API's contract lets a client send in a field of a route's body. */
function longest(path: string, field: string): number {
  const max = doc.paths[path].post.requestBody.content['application/json'].schema.properties[field].maxLength;
  if (max === undefined) throw new Error(`${path} ${field}: the contract sets no maximum length`);
  return max;
}

const post = async (claims: Claims, path: string, body: object) =>
  request(h.app)
    .post(path)
    .set('authorization', await h.bearer(claims))
    .send(body);
const act = async (claims: Claims, action: string, body: object) => {
  const res = await post(claims, `/v1/complaints/${id}/${action}`, body);
  if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
  return viewOf(res);
};
const read = async () =>
  viewOf(
    await request(h.app)
      .get(`/v1/complaints/${id}`)
      .set('authorization', await h.bearer(as.agent)),
  );
const timeline = async () =>
  (
    await request(h.app)
      .get(`/v1/complaints/${id}/timeline`)
      .set('authorization', await h.bearer(as.agent))
  ).body as Array<{ action: string }>;
const messages = () => Promise.resolve(h.sandbox.store.messages({ complaintId: id }));

beforeAll(async () => {
  doc = (await request(h.app).get('/openapi.json')).body as OpenApi;
  putOrder(h.sandbox, p, 100_000);
});

it('takes each text at its longest from the API to every provider it reaches', async () => {
  const description = fill('水壶用了两天就开始漏水，底座也有裂纹。', longest('/v1/complaints', 'description'));
  const opened = await post(
    as.customer,
    '/v1/complaints',
    openBody(p, { subType: SUB_TYPE, category: 'after_sales', description }),
  );
  expect(opened.status).toBe(201);

  await act(as.agent, 'assign', { agentId: as.agent.sub });
  const answer = fill(AGENT_TEXT, longest('/v1/complaints/{id}/first-response', 'message'));
  await act(as.agent, 'first-response', { message: answer, requestEvidence: false });
  await eventually(
    messages,
    (m) => m.some((x) => x.template === 'first_response' && x.text.includes(answer)),
    'the first response sent',
    30_000,
  );
  await eventually(read, (v) => v.investigation.dueAt !== null, 'the investigation opened', 30_000);

  // The customer is told of the extension (its reason cut to fit one SMS), and the extension holds.
  const reason = fill(AGENT_TEXT, longest('/v1/complaints/{id}/investigation/extend', 'reason'));
  await act(as.agent, 'investigation/extend', { reason });
  const told = await eventually(
    timeline,
    (t) => t.some((e) => e.action === 'investigation_extended' || e.action === 'investigation_extension_failed'),
    'the extension decided',
    30_000,
  );
  expect(told.map((e) => e.action)).toContain('investigation_extended');
  expect((await messages()).find((x) => x.template === 'extension_notice')?.text).toContain(reason.slice(0, 50));
  expect((await read()).investigation).toMatchObject({ extended: true, extensionReason: reason });

  await act(as.agent, 'investigation/brief', { responsibility: 'merchant', findings: 'The base is cracked' });
  const note = fill(AGENT_TEXT, longest('/v1/complaints/{id}/resolution', 'note'));

  // Above the approval threshold: rejected with the longest reason, which reaches the owner's pager whole.
  await act(as.agent, 'resolution', { type: 'refund', amountFen: 60_000, note });
  const rejection = fill('金额超出订单应退部分，请重新核算。', longest('/v1/complaints/{id}/approval', 'reason'));
  await act(as.supervisor, 'approval', { decision: 'reject', reason: rejection });
  await eventually(
    messages,
    (m) => m.some((x) => x.template === 'staff:proposal_rejected' && x.text.includes(rejection)),
    'the rejection alert',
    30_000,
  );

  // Within the threshold it pays at once: the gateway takes the note as the refund's reason.
  await act(as.agent, 'resolution', { type: 'refund', amountFen: 10_000, note });
  const refunds = await eventually(
    () => Promise.resolve(h.sandbox.store.refunds({ complaintId: id })),
    (r) => r.length > 0,
    'the refund',
    30_000,
  );
  expect(refunds).toEqual([expect.objectContaining({ orderId: p.orderId, amountFen: 10_000, reason: note })]);

  // The merchant's copy (sent by now, whenever the workflow sends it) holds the whole description.
  const copies = await eventually(
    () => Promise.resolve(h.sandbox.store.notices({ merchantId: p.merchantId })),
    (n) => n.some((x) => x.kind === 'complaint_copy'),
    'the merchant copy',
    30_000,
  );
  expect(copies.find((x) => x.kind === 'complaint_copy')?.text).toContain(description);
});
