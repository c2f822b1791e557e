import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes ops filter cases by in Temporal Web UI; registered by `npm start` and tests. */
export const SA = {
  status: defineSearchAttributeKey('ComplaintStatus', SearchAttributeType.KEYWORD),
  priority: defineSearchAttributeKey('Priority', SearchAttributeType.KEYWORD),
  category: defineSearchAttributeKey('Category', SearchAttributeType.KEYWORD),
  merchantId: defineSearchAttributeKey('MerchantId', SearchAttributeType.KEYWORD),
  escalationLevel: defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT),
  slaBreached: defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL),
  ownerId: defineSearchAttributeKey('OwnerId', SearchAttributeType.KEYWORD),
  /** docs/domain.md §6.5: the department the case is routed to; unset when customer service handles it alone. */
  department: defineSearchAttributeKey('Department', SearchAttributeType.KEYWORD),
} as const;

/** `NAME=Type` pairs in the form `temporal server start-dev --search-attribute` takes. */
export const SEARCH_ATTRIBUTE_FLAGS: string[] = Object.values(SA).map(
  (key) => `${key.name}=${key.type[0]}${key.type.slice(1).toLowerCase()}`,
);
