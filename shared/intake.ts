import { z } from 'zod';
import { apiTextMax } from './apiTexts';
import {
  Category,
  Channel,
  CustomerLocale,
  DesiredOutcome,
  EVIDENCE_ITEMS_PER_REQUEST_MAX,
  EvidenceItem,
  MemberTier,
  Order,
  Priority,
  SubType,
} from './domain';

/** Body of `POST /v1/complaints` (docs/domain.md §1.2). */
export const OpenComplaintV1 = z.object({
  channel: Channel,
  customer: z.object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(apiTextMax('POST /v1/complaints customer.name')),
    phone: z.string().regex(/^\+?[0-9]{6,16}$/, 'must be a phone number such as +8613800000000'),
    memberTier: MemberTier.default('regular'),
  }),
  order: z.object({
    orderId: z.string().min(1).max(64),
    merchantId: z.string().min(1).max(64),
    sku: z.string().min(1).max(64),
  }),
  category: Category.optional(),
  subType: SubType,
  /** Copied to the merchant whole, so it must fit the merchant portal's notice. */
  description: z.string().min(1).max(apiTextMax('POST /v1/complaints description')),
  desiredOutcome: DesiredOutcome,
  priority: Priority.optional(),
  evidence: z.array(EvidenceItem).max(EVIDENCE_ITEMS_PER_REQUEST_MAX).default([]),
});
export type OpenComplaintV1 = z.infer<typeof OpenComplaintV1>;

export const Actor = z.object({
  sub: z.string(),
  role: z.enum(['customer', 'agent', 'supervisor', 'ops_manager', 'compliance', 'merchant', 'system']),
  merchantId: z.string().optional(),
  customerId: z.string().optional(),
  /** Staff of a department (docs/domain.md §6.5): the department their token names. */
  department: z.string().optional(),
});
export type Actor = z.infer<typeof Actor>;

/**
 * The customer as the case records them: the caller's details and, from the customer directory,
 * their language; absent (cases opened before it was recorded) it is zh-CN, as for most customers.
 */
export const IntakeCustomer = OpenComplaintV1.shape.customer.extend({ locale: CustomerLocale.optional() });
export type IntakeCustomer = z.infer<typeof IntakeCustomer>;

/** What the workflow starts with: the classified intake, the looked-up order and the policy in force. */
export interface ClassifiedIntake {
  channel: Channel;
  customer: IntakeCustomer;
  order: Order & { sku: string };
  category: Category;
  subType: SubType;
  description: string;
  desiredOutcome: z.infer<typeof DesiredOutcome>;
  priority: Priority;
  priorityReasons: string[];
  evidence: EvidenceItem[];
  /** docs/domain.md §7.1: the customer's dedicated agent, whom the case is assigned to as it opens; absent for most. */
  dedicatedAgentId?: string;
}
