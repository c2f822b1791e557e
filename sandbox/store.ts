import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  Coupon,
  DirectoryCustomer,
  MerchantNotice,
  Refund,
  StoredOrder,
  SmsMessage,
  WaybillTrail,
  type CouponRequest,
  type MerchantNoticeRequest,
  type MerchantOrderFigures,
  type PaymentRefusal,
  type RefundRequest,
  type SmsRequest,
} from '../shared/providers';

/**
 * Everything the sandbox's providers received, kept the way those providers keep it: refunds,
 * coupons, and messages and notices that carry one, by idempotency key, so a repeated request is
 * answered with the first result.
 * With a data file every change is written through before the answer goes out, so a test can
 * kill the process and count refunds after a restart.
 */

/**
 * One request to move money as the gateway saw it, whatever became of it: the record a test reads
 * to see a payment made twice (two accepted requests for one step) or more paid than the order.
 */
export const PaymentRequestRecord = z.object({
  at: z.string(),
  operation: z.enum(['refund', 'coupon']),
  complaintId: z.string(),
  idempotencyKey: z.string(),
  /** The refund's kind (refund, partial_refund, compensation); `coupon` for a coupon. */
  kind: z.string(),
  orderId: z.string().optional(),
  amountFen: z.number(),
  /** accepted: money moved now; repeated: a known key, answered with the first result; refused: the gateway said no; unavailable: an injected 503. */
  outcome: z.enum(['accepted', 'repeated', 'refused', 'unavailable']),
  /** Why it was refused. */
  code: z.string().optional(),
});
export type PaymentRequestRecord = z.infer<typeof PaymentRequestRecord>;

const State = z.object({
  orders: z.record(z.string(), StoredOrder).default({}),
  customers: z.record(z.string(), DirectoryCustomer).default({}),
  waybills: z.record(z.string(), WaybillTrail).default({}),
  refunds: z.array(Refund).default([]),
  coupons: z.array(Coupon).default([]),
  messages: z.array(SmsMessage).default([]),
  notices: z.array(MerchantNotice).default([]),
  paymentRequests: z.array(PaymentRequestRecord).default([]),
});
type State = z.infer<typeof State>;

export type RefundOutcome =
  { outcome: 'created' | 'repeated'; refund: Refund } | { outcome: 'refused'; code: PaymentRefusal; message: string };

export interface Filter {
  complaintId?: string;
  to?: string;
  merchantId?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function matches(record: Record<string, unknown>, filter: Filter): boolean {
  return Object.entries(filter).every(([field, wanted]) => wanted === undefined || record[field] === wanted);
}

function load(file: string): State {
  if (!existsSync(file)) return State.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`sandbox data file ${file} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = State.safeParse(raw);
  if (!parsed.success)
    throw new Error(`sandbox data file ${file} is not sandbox state: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** A mobile number of the sandbox's own (+86 199…), the same for the same customer id. */
export function sandboxPhone(customerId: string): string {
  const n = parseInt(createHash('sha256').update(customerId).digest('hex').slice(0, 12), 16) % 100_000_000;
  return `+86199${String(n).padStart(8, '0')}`;
}

export class SandboxStore {
  private readonly state: State;

  constructor(private readonly file?: string) {
    this.state = file ? load(file) : State.parse({});
  }

  get hasOrders(): boolean {
    return Object.keys(this.state.orders).length > 0;
  }

  putOrder(order: StoredOrder): StoredOrder {
    this.state.orders[order.orderId] = order;
    this.save();
    return order;
  }

  getOrder(orderId: string): StoredOrder | undefined {
    return this.state.orders[orderId];
  }

  /** Per merchant over `[from, to)`: orders paid in it, and orders whose goods came back in it. */
  merchantFigures(from: Date, to: Date): MerchantOrderFigures['merchants'] {
    const within = (iso: string | undefined) =>
      iso !== undefined && Date.parse(iso) >= from.getTime() && Date.parse(iso) < to.getTime();
    const figures = new Map<string, { merchantId: string; orders: number; returns: number }>();
    for (const order of Object.values(this.state.orders)) {
      const paid = within(order.paidAt);
      const returned = within(order.returnedAt);
      if (!paid && !returned) continue;
      const f = figures.get(order.merchantId) ?? { merchantId: order.merchantId, orders: 0, returns: 0 };
      if (paid) f.orders += 1;
      if (returned) f.returns += 1;
      figures.set(order.merchantId, f);
    }
    return [...figures.values()].sort((a, b) => a.merchantId.localeCompare(b.merchantId));
  }

  putCustomer(customer: DirectoryCustomer): DirectoryCustomer {
    this.state.customers[customer.customerId] = customer;
    this.save();
    return customer;
  }

  /**
   * The directory's answer for anyone it does not know: a regular customer who reads Chinese (docs/domain.md §10.5).
   * Every customer has a phone here, one derived from their id unless a test put one, so cases opened
   * on the dev stack reach a handset the sandbox records.
   */
  getCustomer(customerId: string): DirectoryCustomer {
    const known = this.state.customers[customerId] ?? DirectoryCustomer.parse({ customerId });
    return { ...known, phone: known.phone ?? sandboxPhone(customerId) };
  }

  putWaybill(trail: WaybillTrail): WaybillTrail {
    this.state.waybills[`${trail.carrier}/${trail.waybillNo}`] = trail;
    this.save();
    return trail;
  }

  getWaybill(carrier: string, waybillNo: string): WaybillTrail | undefined {
    return this.state.waybills[`${carrier}/${waybillNo}`];
  }

  /** A refund (or partial refund) never takes an order past what was paid; compensation is on top. */
  refund(idempotencyKey: string, req: RefundRequest): RefundOutcome {
    const earlier = this.state.refunds.find((r) => r.idempotencyKey === idempotencyKey);
    if (earlier) return { outcome: 'repeated', refund: earlier };
    const order = this.state.orders[req.orderId];
    if (!order) return { outcome: 'refused', code: 'unknown_order', message: `order ${req.orderId} is unknown` };
    if (req.kind !== 'compensation') {
      const refunded = this.refundedFen(req.orderId);
      if (refunded + req.amountFen > order.amountPaidFen) {
        return {
          outcome: 'refused',
          code: 'amount_exceeds_paid',
          message: `order ${req.orderId}: ${req.amountFen} fen asked, ${order.amountPaidFen - refunded} fen of ${order.amountPaidFen} left to refund`,
        };
      }
    }
    const refund: Refund = {
      ...req,
      refundId: `rf_${randomUUID()}`,
      status: 'succeeded',
      idempotencyKey,
      createdAt: new Date().toISOString(),
    };
    this.state.refunds.push(refund);
    this.save();
    return { outcome: 'created', refund };
  }

  /** Paid back on an order over every complaint and key; compensation is on top of the price, so not counted. */
  refundedFen(orderId: string): number {
    return this.state.refunds
      .filter((r) => r.orderId === orderId && r.kind !== 'compensation')
      .reduce((sum, r) => sum + r.amountFen, 0);
  }

  /** Appends to the payment request log; the outcome is the gateway's answer to this request. */
  logPaymentRequest(entry: Omit<PaymentRequestRecord, 'at'>): void {
    this.state.paymentRequests.push({ at: new Date().toISOString(), ...entry });
    this.save();
  }

  paymentRequests(filter: Filter): PaymentRequestRecord[] {
    return this.state.paymentRequests.filter((r) => matches(r, filter));
  }

  refunds(filter: Filter): Refund[] {
    return this.state.refunds.filter((r) => matches(r, filter));
  }

  issueCoupon(idempotencyKey: string, req: CouponRequest): { created: boolean; coupon: Coupon } {
    const earlier = this.state.coupons.find((c) => c.idempotencyKey === idempotencyKey);
    if (earlier) return { created: false, coupon: earlier };
    const now = Date.now();
    const coupon: Coupon = {
      ...req,
      couponId: `cp_${randomUUID()}`,
      status: 'active',
      idempotencyKey,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + req.validDays * DAY_MS).toISOString(),
    };
    this.state.coupons.push(coupon);
    this.save();
    return { created: true, coupon };
  }

  /** Revoking a revoked coupon changes nothing and answers the same. */
  revokeCoupon(couponId: string): Coupon | undefined {
    const coupon = this.state.coupons.find((c) => c.couponId === couponId);
    if (coupon && coupon.status === 'active') {
      coupon.status = 'revoked';
      coupon.revokedAt = new Date().toISOString();
      this.save();
    }
    return coupon;
  }

  coupons(filter: Filter): Coupon[] {
    return this.state.coupons.filter((c) => matches(c, filter));
  }

  recordMessage(idempotencyKey: string | undefined, req: SmsRequest): { created: boolean; message: SmsMessage } {
    const earlier = idempotencyKey && this.state.messages.find((m) => m.idempotencyKey === idempotencyKey);
    if (earlier) return { created: false, message: earlier };
    const message: SmsMessage = {
      ...req,
      messageId: `sms_${randomUUID()}`,
      idempotencyKey,
      sentAt: new Date().toISOString(),
    };
    this.state.messages.push(message);
    this.save();
    return { created: true, message };
  }

  messages(filter: Filter): SmsMessage[] {
    return this.state.messages.filter((m) => matches(m, filter));
  }

  recordNotice(
    idempotencyKey: string | undefined,
    req: MerchantNoticeRequest,
  ): { created: boolean; notice: MerchantNotice } {
    const earlier = idempotencyKey && this.state.notices.find((n) => n.idempotencyKey === idempotencyKey);
    if (earlier) return { created: false, notice: earlier };
    const notice: MerchantNotice = {
      ...req,
      noticeId: `mn_${randomUUID()}`,
      idempotencyKey,
      sentAt: new Date().toISOString(),
    };
    this.state.notices.push(notice);
    this.save();
    return { created: true, notice };
  }

  notices(filter: Filter): MerchantNotice[] {
    return this.state.notices.filter((n) => matches(n, filter));
  }

  /**
   * Write-through, atomically: a temporary file renamed over the old one, so a crash mid-write
   * leaves the previous state, never half a file. Synchronous, so the answer leaves after the write.
   */
  private save(): void {
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.file);
  }
}
