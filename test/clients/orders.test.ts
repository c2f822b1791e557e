import { ProviderUnavailable } from '../../clients/http';
import { createOrdersClient, type OrdersClient } from '../../clients/orders';
import { uid, useSandbox } from '../sandbox/testSandbox';

const t = useSandbox();
let orders: OrdersClient;

beforeAll(() => {
  orders = createOrdersClient(t.provider);
});

describe('order lookup', () => {
  it('finds an order with the amount paid, merchant and carrier', async () => {
    const orderId = uid('o');
    await t.putOrder(orderId, {
      customerId: 'c-7',
      merchantId: 'm-7',
      amountPaidFen: 25_900,
      carrier: 'YTO',
      waybillNo: 'YT1',
    });
    expect(await orders.lookupOrder(orderId)).toEqual({
      orderId,
      customerId: 'c-7',
      merchantId: 'm-7',
      amountPaidFen: 25_900,
      items: [{ sku: 'sku-1', quantity: 1, priceFen: 10_000 }],
      paidAt: '2026-11-01T10:00:00+08:00',
      carrier: 'YTO',
      waybillNo: 'YT1',
    });
  });

  it('answers null for an unknown order', async () => {
    expect(await orders.lookupOrder(uid('o-missing'))).toBeNull();
  });

  it('throws ProviderUnavailable when the order service fails, so the API can answer 503', async () => {
    await t.arm({ service: 'orders', mode: 'error', rate: 1, count: 1 });
    await expect(orders.lookupOrder(uid('o'))).rejects.toThrow(ProviderUnavailable);
  });
});

describe('customer directory', () => {
  it("answers a customer's tier, language and phone, and regular zh-CN for one it does not know", async () => {
    const customerId = uid('c');
    await t.send('PUT', `/customers/${customerId}`, {
      body: { name: 'Alice', tier: 'vip', locale: 'en', phone: '+8613912345678' },
    });
    expect(await orders.lookupCustomer(customerId)).toEqual({
      customerId,
      name: 'Alice',
      tier: 'vip',
      locale: 'en',
      phone: '+8613912345678',
    });
    expect(await orders.lookupCustomer(uid('c-unknown'))).toMatchObject({ tier: 'regular', locale: 'zh-CN' });
  });

  it('throws ProviderUnavailable when the directory fails, so the API can answer 503', async () => {
    await t.arm({ service: 'customers', mode: 'error', rate: 1, count: 1 });
    await expect(orders.lookupCustomer(uid('c'))).rejects.toThrow(ProviderUnavailable);
  });
});
