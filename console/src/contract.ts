/**
 * What the console reads of the API's answers (the case view of `/openapi.json`). Written
 * against the published contract, as any client is, not imported from the server's code.
 */

export interface Deadline {
  kind: string;
  dueAt: string;
  since: string;
  paused: boolean;
  rung: number;
  topRungAlerts: number;
  /** ISO-8601 duration: the window in the case's own policy, for a deadline whose window is one figure of it. */
  window?: string;
}

export interface Step {
  name: string;
  status: string;
  owner: string;
  dueAt?: string;
  detail?: string;
  updatedAt: string;
}

export interface CaseView {
  complaintId: string;
  workflowId: string;
  status: string;
  stage: string;
  category: string;
  subType: string;
  priority: string;
  /** Why the priority is what it is (staff only): an agent's mark of an extremely upset customer is `extremely_upset:<who>`. */
  priorityReasons: string[];
  channel: string;
  customer: { id: string; name: string; phone: string; memberTier: string };
  order: {
    orderId: string;
    merchantId: string;
    sku: string;
    amountPaidFen: number;
    paymentMethod?: 'wallet' | 'alipay' | 'wechat_pay' | 'bank_card' | 'credit_card';
    deliveredAt?: string;
    sevenDayReturn?: boolean;
  };
  /** docs/domain.md §7.9: the merchant's options offered to the customer, the window and the choice. */
  choice?: {
    offered: Array<{ option: string; compensationFen?: number }>;
    offeredAt: string;
    dueAt: string;
    chosen: string | null;
    chosenAt: string | null;
    lapsed: boolean;
  } | null;
  description: string;
  desiredOutcome: string;
  evidence: Array<{ kind: string; url: string; note: string; addedBy: string; at: string }>;
  owner: string | null;
  escalationLevel: number;
  deadlines: Deadline[];
  breaches: Array<{ kind: string; dueAt: string; at: string; escalatedTo: string }>;
  firstResponse: { by: string; message: string; at: string } | null;
  investigation: {
    dueAt: string | null;
    extended: boolean;
    extensionReason: string | null;
    brief: { responsibility: string; findings: string; by: string; at: string } | null;
    merchantReply: { message: string; accepts: boolean | null; by: string; at: string } | null;
    carrierStatus: string | null;
  };
  resolution: {
    proposal: {
      type: string;
      amountFen?: number;
      couponFen?: number;
      note: string;
      testingLab?: string;
      dedicatedAgentId?: string;
      /** docs/domain.md §7.1: an extended warranty's months, an apology's words (absent: the formal apology). */
      warrantyMonths?: number;
      apology?: string;
      proposedBy: string;
      at: string;
    } | null;
    approval: {
      required: boolean;
      approverRole: string | null;
      reason: string | null;
      decision: string | null;
      decidedBy: string | null;
      decisionReason: string | null;
      at: string | null;
    } | null;
    steps: Step[];
    rejections: Array<{ by: string; reason: string; at: string }>;
    refundedFen: number;
    paidOutFen: number;
    /** docs/domain.md §8.6: the lab's result of the latest joint third-party test. */
    testingResult?: {
      lab: string;
      defectConfirmed: boolean;
      reportUrl: string;
      note: string;
      by: string;
      at: string;
    } | null;
  };
  satisfaction: { rating: number | null; comment: string | null; rounds: Array<{ round: number; rating: number }> };
  /** docs/domain.md §9.4: the phone call a person owes a high-priority customer (staff only). */
  phoneCallback?: {
    round: number;
    dueAt: string;
    outcome: { reached: boolean; rating: number | null; notes: string | null; by: string; at: string } | null;
  } | null;
  /** docs/domain.md §6.5: the department the case is routed to (null: customer service alone); absent on cases opened before routing. */
  department?: string | null;
  /** docs/domain.md §6.5: the department's findings, oldest first (staff only); absent while there is none. */
  departmentFindings?: Array<{ department: string; text: string; by: string; at: string }>;
  round: number;
  /** The policy version the case opened with (`GET /v1/policy/versions/:v`). */
  policyVersion: string;
  createdAt: string;
  closedAt: string | null;
  closeReason: string | null;
  /**
   * Staff only: the order's parcel as its carrier's trail says when read (docs/domain.md §6.1: signed by whom?);
   * null when the order names no parcel. `unavailable`: the carrier did not answer now.
   */
  parcel?: {
    carrier: string;
    waybillNo: string;
    signedBy: string | null;
    deliveredAt: string | null;
    trail: 'answered' | 'unknown_waybill' | 'unavailable';
  } | null;
  /** Staff only: outside calls the case waits on that failed and will be tried again. */
  retrying?: Array<{ activity: string; attempt: number; lastFailure: string | null; nextAttemptAt: string | null }>;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  actor: { sub: string; role: string };
  action: string;
  detail: Record<string, unknown>;
  result: string;
}

export interface SummaryReport {
  period: { from: string; to: string; timeZone: string };
  volume: { total: number; perDay: Array<{ day: string; count: number }> };
  topProducts: Array<{ sku: string; count: number }>;
  topMerchants: Array<{ merchantId: string; count: number }>;
  /** docs/domain.md §6.5, §11.1: each department's share of the period's cases; key null: customer service alone. */
  byDepartment: Share[];
  firstContactResolutionRate: number | null;
  satisfaction: {
    average: number | null;
    firstRoundAverage: number | null;
    finalAverage: number | null;
    distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  };
  slaBreachRate: Array<{ kind: string; met: number; breached: number; rate: number | null }>;
  averageResolutionHours: number | null;
  carriers: Array<{
    carrier: string;
    cases: number;
    logistics: number;
    carrierResponsible: number;
    errorRate: number | null;
  }>;
  trend: { previous: { from: string; to: string }; volume: Change; byCategory: Array<Change & { key: string }> };
  repeats: { customers: Repeaters; orders: Repeaters };
  satisfiedCustomers: { atOrAbove: number; count: number };
  rates: {
    source: 'order_service' | 'unavailable';
    orders: number | null;
    returns: number | null;
    complaintRate: number | null;
    returnRate: number | null;
    returnedCases: number;
  };
}

export interface Share {
  key: string | null;
  count: number;
  share: number;
}

export interface Change {
  current: number;
  previous: number;
  change: number | null;
}
export interface Repeaters {
  of: number;
  repeating: number;
  cases: number;
  rate: number | null;
  top: Array<{ id: string; count: number }>;
}

/** JSON Schema of an action's body, as `/openapi.json` publishes it. */
export interface JsonSchema {
  /** A named schema of the document's components. */
  $ref?: string;
  type?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
  format?: string;
}

/** The statuses of an open case, in order (docs/api-guide.md). */
export const OPEN_STATUSES = [
  'received',
  'acknowledged',
  'in_progress',
  'awaiting_approval',
  'executing',
  'awaiting_customer',
  'awaiting_feedback',
];
