import request from 'supertest';
import type { CustomerLocale } from '../../shared/domain';
import { complaintWorkflowId } from '../../shared/identity';
import { useApiHarness, callers, openBody, party, putOrder, viewOf } from './support';
import { eventually } from '../support/poll';

/**
 * docs/domain.md §10.5: customer messages go out in the customer's language, from the customer directory:
 * Simplified Chinese by default, English where the record says so; never from the request.
 */

const h = useApiHarness({ worker: true });

async function openAndReadReceipt(locale?: CustomerLocale) {
  const p = party();
  putOrder(h.sandbox, p);
  if (locale) h.sandbox.store.putCustomer({ customerId: p.customerId, tier: 'regular', locale });
  const as = callers(p.customerId, p.merchantId);
  const res = await request(h.app)
    .post('/v1/complaints')
    .set('authorization', await h.bearer(as.customer))
    .send(openBody(p, { customer: { id: p.customerId, name: 'Li Lei', phone: '+8613800000000', locale: 'en' } }));
  expect(res.status).toBe(201);
  const id = complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');
  const messages = () => Promise.resolve(h.sandbox.store.messages({ complaintId: id }));
  const receipt = (
    await eventually(messages, (m) => m.some((x) => x.template === 'acknowledgement'), 'the receipt')
  ).find((m) => m.template === 'acknowledgement');
  return { view: viewOf(res), text: receipt?.text };
}

describe('the language of customer messages', () => {
  it('is Simplified Chinese for a customer the directory does not know, whatever the request says', async () => {
    const { view, text } = await openAndReadReceipt();
    expect(view.customer.locale).toBe('zh-CN');
    expect(text).toMatch(/^您的投诉已受理，投诉单号 /);
  });

  it('is English for a customer whose directory record says so', async () => {
    const { view, text } = await openAndReadReceipt('en');
    expect(view.customer.locale).toBe('en');
    expect(text).toMatch(/^We have received your complaint, number /);
  });
});
