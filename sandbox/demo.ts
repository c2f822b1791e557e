import type { SandboxStore } from './store';

/** Orders and waybills `npm start` offers to try, written once into an empty sandbox. */

const day = (d: number, time = '10:00:00') => `2026-11-${String(d).padStart(2, '0')}T${time}+08:00`;

export function seedDemoData(store: SandboxStore): void {
  if (store.hasOrders) return;

  store.putOrder({
    orderId: 'o-100',
    customerId: 'c-1',
    merchantId: 'm-1',
    amountPaidFen: 12_900,
    items: [{ sku: 'sku-9', name: 'Electric kettle 1.7 L', quantity: 1, priceFen: 12_900 }],
    paidAt: day(10),
    paymentMethod: 'bank_card',
    carrier: 'SF',
    waybillNo: 'SF1000000001',
  });
  store.putWaybill({
    carrier: 'SF',
    waybillNo: 'SF1000000001',
    status: 'delivered',
    events: [
      { at: day(10, '18:00:00'), status: 'picked_up', location: 'Shenzhen' },
      { at: day(11, '22:30:00'), status: 'in_transit', location: 'Hangzhou hub' },
      { at: day(12, '14:05:00'), status: 'delivered', location: 'Shanghai Xuhui', note: 'left at parcel locker' },
    ],
    signedBy: 'parcel locker',
  });

  // Above the 500 CNY an agent may grant alone: a refund needs a supervisor.
  store.putOrder({
    orderId: 'o-101',
    customerId: 'c-1',
    merchantId: 'm-2',
    amountPaidFen: 89_900,
    items: [{ sku: 'sku-21', name: 'Robot vacuum', quantity: 1, priceFen: 89_900 }],
    paidAt: day(8),
    paymentMethod: 'alipay',
    carrier: 'JD',
    waybillNo: 'JD2000000002',
  });
  store.putWaybill({
    carrier: 'JD',
    waybillNo: 'JD2000000002',
    status: 'lost',
    events: [
      { at: day(8, '20:00:00'), status: 'picked_up', location: 'Beijing' },
      { at: day(9, '06:10:00'), status: 'in_transit', location: 'Tianjin hub' },
      { at: day(13, '09:00:00'), status: 'lost', note: 'parcel not found at hub' },
    ],
  });

  store.putOrder({
    orderId: 'o-102',
    customerId: 'c-2',
    merchantId: 'm-1',
    amountPaidFen: 4_500,
    items: [{ sku: 'sku-3', name: 'Phone case', quantity: 3, priceFen: 1_500 }],
    paidAt: day(15),
    paymentMethod: 'wallet',
    carrier: 'YTO',
    waybillNo: 'YT3000000003',
  });
  store.putWaybill({
    carrier: 'YTO',
    waybillNo: 'YT3000000003',
    status: 'in_transit',
    events: [{ at: day(15, '19:00:00'), status: 'picked_up', location: 'Yiwu' }],
  });
}
