import request from 'supertest';
import { act, callers, complaintIdOf, readyToPropose, useApiHarness } from './support';
import { eventually } from '../support/poll';

/**
 * docs/domain.md §7.1, §7.4: an apology proposal may carry the words staff want the customer to read; a
 * supervisor approves them with it, and they reach the customer whole, in one SMS beside the longest case
 * id, at the longest the published contract allows. Words go with an apology only (400 otherwise), pass
 * the outgoing-wording check (docs/domain.md §10.4, 422) and are refused past their limit (400).
 */

const h = useApiHarness({ worker: true });

type Claims = Parameters<typeof h.bearer>[0];
interface OpenApi {
  paths: Record<
    string,
    {
      post: {
        requestBody: {
          content: { 'application/json': { schema: { properties: Record<string, { maxLength?: number }> } } };
        };
      };
    }
  >;
}

// The longest ids there are: 64 characters each.
const tag = Math.random().toString(36).slice(2, 10);
const p = {
  customerId: `c-${tag}`.padEnd(64, 'c'),
  orderId: `o-${tag}`.padEnd(64, 'o'),
  merchantId: `m-${tag}`.padEnd(64, 'm'),
  sku: `s-${tag}`.padEnd(64, 's'),
};
const id = complaintIdOf(p);
const as = callers(p.customerId, p.merchantId);
const post = (claims: Claims, action: string, body: object) => act(h, p, claims, action, body);

let longestWords: number;
beforeAll(async () => {
  const doc = (await request(h.app).get('/openapi.json')).body as OpenApi;
  const max =
    doc.paths['/v1/complaints/{id}/resolution'].post.requestBody.content['application/json'].schema.properties.apology
      ?.maxLength;
  if (max === undefined) throw new Error('the contract sets no maximum length for an apology');
  longestWords = max;
  await readyToPropose(h, p, { responsibility: 'platform', findings: '客服答复不当' });
});

it('refuses words beside any other type, past their limit, or in wording the customer must not read', async () => {
  const withWords = await post(as.agent, 'resolution', {
    type: 'refund',
    amountFen: 1_000,
    note: '退款',
    apology: '抱歉',
  });
  expect(withWords.status).toBe(400);
  expect(JSON.stringify(withWords.body)).toContain('apology');
  const tooLong = await post(as.agent, 'resolution', {
    type: 'apology',
    note: '致歉',
    apology: '很'.repeat(longestWords + 1),
  });
  expect(tooLong.status).toBe(400);
  expect(JSON.stringify(tooLong.body)).toContain('apology');
  // One of the phrases docs/domain.md §10.4 forbids in outgoing text.
  const blaming = await post(as.agent, 'resolution', {
    type: 'apology',
    note: '致歉',
    apology: '您理解错了，我们向您道歉。',
  });
  expect(blaming.status).toBe(422);
});

it('sends the approved words whole, at their longest, with the longest case id', async () => {
  const words = '由于我们的客服答复不当，给您带来困扰，我们深表歉意并已整改。'.repeat(20).slice(0, longestWords);
  const proposed = await post(as.agent, 'resolution', { type: 'apology', note: '客服致歉', apology: words });
  expect(proposed.status).toBe(200);
  expect((await post(as.supervisor, 'approval', { decision: 'approve', reason: '措辞得当' })).status).toBe(200);
  const messages = await eventually(
    () => Promise.resolve(h.sandbox.store.messages({ complaintId: id })),
    (m) => m.some((x) => x.template === 'apology'),
    'the apology',
    60_000,
  );
  const apology = messages.find((m) => m.template === 'apology');
  expect(apology?.text).toContain(words);
  expect(apology?.text).toContain(id);
});
