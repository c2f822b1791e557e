import request from 'supertest';
import type { PaymentMethod } from '../../shared/domain';
import { complaintWorkflowId } from '../../shared/identity';
import { useApiHarness, callers, openBody, party, putOrder, viewOf } from './support';
import { eventually } from '../support/poll';

/**
 * docs/domain.md §7.2: the customer is told when a refund's money arrives, by how the order was
 * paid (the order service says): wallet balance at once, a bank card in 1–3 working days. Driven
 * through the API from the order service to the SMS the customer gets.
 */

const h = useApiHarness({ worker: true });

async function refundAndReadSolution(paymentMethod?: PaymentMethod): Promise<{ text: string; method: unknown }> {
  const p = party();
  putOrder(h.sandbox, p, 12_900, paymentMethod);
  const as = callers(p.customerId, p.merchantId);
  const call = async (claims: (typeof as)[keyof typeof as], path: string, body: object) =>
    request(h.app)
      .post(`/v1/complaints${path}`)
      .set('authorization', await h.bearer(claims))
      .send(body);
  const opened = await call(as.customer, '', openBody(p));
  expect(opened.status).toBe(201);
  const id = complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');
  await eventually(
    () => call(as.agent, `/${id}/assign`, { agentId: as.agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
  expect((await call(as.agent, `/${id}/first-response`, { message: '您好，我们正在核实。' })).status).toBe(200);
  expect(
    (await call(as.agent, `/${id}/investigation/brief`, { responsibility: 'merchant', findings: '密封圈缺陷' })).status,
  ).toBe(200);
  const proposed = await call(as.agent, `/${id}/resolution`, { type: 'refund', amountFen: 12_900, note: '全额退款' });
  expect(proposed.status).toBe(200);
  const messages = () => Promise.resolve(h.sandbox.store.messages({ complaintId: id }));
  const solution = (
    await eventually(messages, (m) => m.some((x) => x.template === 'solution'), 'the solution message', 60_000)
  ).find((m) => m.template === 'solution');
  return { text: solution?.text ?? '', method: viewOf(proposed).order.paymentMethod };
}

describe('when the customer is told a refund arrives', () => {
  it('a refund to the wallet balance arrives at once', async () => {
    const { text, method } = await refundAndReadSolution('wallet');
    expect(method).toBe('wallet');
    expect(text).toContain('退回平台余额，即时到账。');
  });

  it('a refund to a bank card arrives in 1–3 working days', async () => {
    const { text, method } = await refundAndReadSolution('bank_card');
    expect(method).toBe('bank_card');
    expect(text).toContain('退回银行卡，一般 1–3 个工作日到账。');
  });

  it('an order service that does not say how the order was paid leaves the usual 1–3 working days', async () => {
    const { text, method } = await refundAndReadSolution();
    expect(method).toBeUndefined();
    expect(text).toContain('一般 1–3 个工作日到账。');
    expect(text).not.toMatch(/平台余额|银行卡|即时到账/);
  });
});
