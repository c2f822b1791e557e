import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';

/**
 * The search attributes a generation-2 case keeps current, frozen (a copy of the keys it uses from
 * shared/searchAttributes.ts): upserting them is a command in its history, so their names and
 * types must not move with the live list.
 */
export const SA = {
  status: defineSearchAttributeKey('ComplaintStatus', SearchAttributeType.KEYWORD),
  priority: defineSearchAttributeKey('Priority', SearchAttributeType.KEYWORD),
  escalationLevel: defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT),
  slaBreached: defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL),
  ownerId: defineSearchAttributeKey('OwnerId', SearchAttributeType.KEYWORD),
} as const;
