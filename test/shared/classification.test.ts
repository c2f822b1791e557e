import { categoryOfSubType, derivePriority, suggestCategory, type PriorityInput } from '../../shared/classification';
import { SUB_TYPES, type Category } from '../../shared/domain';

/** Keyword pre-screening and priority rules (docs/domain.md §2), shared/classification.ts. */

describe('categoryOfSubType', () => {
  it('finds the category that owns every sub-type', () => {
    for (const [category, subTypes] of Object.entries(SUB_TYPES)) {
      for (const subType of subTypes) expect(categoryOfSubType(subType)).toBe(category as Category);
    }
  });
});

describe('suggestCategory', () => {
  it.each([
    ['This is a counterfeit, not the brand I paid for', 'compliance', 'qc_report', ['counterfeit']],
    ['I want a REFUND for this', 'after_sales', 'refund_progress', ['refund']],
    ['快递一直没到，物流也不更新', 'logistics', 'carrier_check', ['快递', '物流']],
    ['the agent was rude and ignored me', 'service', 'service_apology', ['rude', 'ignored']],
    ['the kettle is broken and leaks', 'product', 'quality_check', ['broken', 'leak']],
  ])('%s → %s', (description, category, template, matched) => {
    expect(suggestCategory(description)).toEqual({ category, template, matched });
  });

  it('takes the first rule in order when several match (compliance before after-sales)', () => {
    expect(suggestCategory('fake item, I want a refund')?.category).toBe('compliance');
  });

  it('suggests nothing when no keyword matches', () => {
    expect(suggestCategory('I have a question about my order')).toBeNull();
  });
});

describe('derivePriority', () => {
  const base: PriorityInput = {
    description: 'the colour is not as pictured',
    category: 'product',
    subType: 'not_as_described',
    memberTier: 'regular',
    amountPaidFen: 10_000,
    largeAmountFen: 100_000,
  };

  it('is low with no reason when no rule applies', () => {
    expect(derivePriority(base)).toEqual({ priority: 'low', reasons: [] });
  });

  it('raises to high for personal safety or media and regulators, naming the words', () => {
    expect(derivePriority({ ...base, description: 'it caught fire' })).toEqual({
      priority: 'high',
      reasons: ['personal_safety:fire'],
    });
    expect(derivePriority({ ...base, description: '我要找媒体曝光' })).toEqual({
      priority: 'high',
      reasons: ['media_or_regulator:媒体,曝光'],
    });
  });

  // Priority words are whole words: "immediately" holds "media", "fireproof" holds "fire", neither is a crisis.
  it.each([
    'Please refund immediately',
    'I want it replaced IMMEDIATELY.',
    'the fireproof case cracked',
    'please mediate between me and the seller',
    '请立即退款',
    '马上给我退款',
    '请立即处理，马上回复我',
  ])('does not raise %j to high', (description) => {
    expect(derivePriority({ ...base, description })).toEqual({ priority: 'low', reasons: [] });
  });

  it.each([
    ['I will talk to the media immediately', 'media_or_regulator:media'],
    ['Two journalists called me', 'media_or_regulator:journalist'],
    ['I will expose this shop', 'media_or_regulator:expose'],
    ['the battery exploded', 'personal_safety:explode'],
    ['it burned my hand', 'personal_safety:burn'],
    ['我要立即找记者', 'media_or_regulator:记者'],
    ['我要打12315投诉', 'media_or_regulator:12315'],
  ])('still raises %j to high (%s)', (description, reason) => {
    expect(derivePriority({ ...base, description })).toEqual({ priority: 'high', reasons: [reason] });
  });

  it('raises to medium for the listed sub-types, compliance, a large amount and VIP members', () => {
    expect(derivePriority({ ...base, subType: 'quality_defect' })).toEqual({
      priority: 'medium',
      reasons: ['sub_type:quality_defect'],
    });
    expect(derivePriority({ ...base, category: 'compliance', subType: 'counterfeit' }).reasons).toEqual([
      'compliance_review',
    ]);
    expect(derivePriority({ ...base, amountPaidFen: 100_001 }).reasons).toEqual(['large_amount']);
    expect(derivePriority({ ...base, amountPaidFen: 100_000 }).priority).toBe('low');
    expect(derivePriority({ ...base, memberTier: 'vip' }).reasons).toEqual(['vip_member']);
  });

  it('keeps every reason but never lowers: high stays high', () => {
    const { priority, reasons } = derivePriority({
      ...base,
      description: 'injured by the blender',
      memberTier: 'vip',
      subType: 'quality_defect',
    });
    expect(priority).toBe('high');
    expect(reasons).toEqual(['personal_safety:injured', 'sub_type:quality_defect', 'vip_member']);
  });

  it('takes a requested priority as the floor, and only safety or exposure raise it further', () => {
    expect(derivePriority({ ...base, requested: 'medium', memberTier: 'vip' })).toEqual({
      priority: 'medium',
      reasons: ['requested:medium'],
    });
    expect(derivePriority({ ...base, requested: 'low', description: 'a journalist asked me' })).toEqual({
      priority: 'high',
      reasons: ['requested:low', 'media_or_regulator:journalist'],
    });
  });
});
