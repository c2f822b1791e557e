import { DateTime } from 'luxon';

/**
 * Supplier tiering and the monthly merchant summary (docs/domain.md §11.6): the shapes the supplier
 * watch (workflows/supplierWatch.ts), its activities and the API share, and the texts it sends.
 */

/** A merchant flagged for suspension review, with the figures that flagged it. */
export interface RaisedFlag {
  flagId: string;
  merchantId: string;
  /** The window measured, `[from, to)`, ISO instants. */
  from: string;
  to: string;
  orders: number;
  returns: number;
  /** returns / orders. */
  rate: number;
  /** The policy's `supplierTiering.returnRateAbove` it was above. */
  threshold: number;
  policyVersion: number;
}

/** One merchant's month: its cases opened that month, by sub-type and category, most first. */
export interface MerchantMonth {
  merchantId: string;
  month: string;
  total: number;
  subTypes: Array<{ subType: string; count: number }>;
  categories: Array<{ category: string; count: number }>;
}

/** Sub-types a summary names: the merchant's most frequent problems, not every one. */
export const SUMMARY_TOP_SUB_TYPES = 5;

/** The month (`YYYY-MM`) before the one `atMs` falls in, in the time zone. */
export function previousMonth(atMs: number, timeZone: string): string {
  return DateTime.fromMillis(atMs, { zone: timeZone }).startOf('month').minus({ months: 1 }).toFormat('yyyy-MM');
}

/** The start of service (`HH:MM`) on the local day after `atMs`: when the next round runs. */
export function nextMorning(atMs: number, timeZone: string, serviceStart: string): number {
  const [hour, minute] = serviceStart.split(':').map(Number);
  return DateTime.fromMillis(atMs, { zone: timeZone })
    .plus({ days: 1 })
    .set({ hour, minute, second: 0, millisecond: 0 })
    .toMillis();
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;
const day = (iso: string, timeZone: string) => DateTime.fromISO(iso, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm');

/** What merchant operations are told of a new flag: the figures, the window and the threshold. */
export function flagAlertText(f: RaisedFlag, timeZone: string): string {
  const window = `${day(f.from, timeZone)} – ${day(f.to, timeZone)} (${timeZone})`;
  return (
    `供应商待暂停审核：商户 ${f.merchantId} 退货率 ${percent(f.rate)}（退货 ${f.returns} / 订单 ${f.orders}，${window}），高于政策阈值 ${percent(f.threshold)}。请在控制台「供应商」页处理（${f.flagId}）。` +
    ` Merchant ${f.merchantId} flagged for suspension review: return rate ${percent(f.rate)} (${f.returns} returns of ${f.orders} orders, ${window}), above the policy's ${percent(f.threshold)}.`
  );
}

/** The merchant's monthly summary of its high-frequency problems. */
export function summaryText(m: MerchantMonth): string {
  const zh = (items: Array<[string, number]>) => items.map(([k, n]) => `${k} ${n} 件`).join('、');
  const en = (items: Array<[string, number]>) => items.map(([k, n]) => `${k} ${n}`).join(', ');
  const subTypes = m.subTypes.map((s) => [s.subType, s.count] as [string, number]);
  const categories = m.categories.map((c) => [c.category, c.count] as [string, number]);
  return (
    `【${m.month} 月度投诉汇总】商户 ${m.merchantId} 本月共 ${m.total} 件投诉。高频问题：${zh(subTypes)}；按类别：${zh(categories)}。` +
    ` Monthly summary ${m.month}: ${m.total} complaint(s). Most frequent problems: ${en(subTypes)}; by category: ${en(categories)}.`
  );
}
