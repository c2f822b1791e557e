import { SUB_TYPES, type Category, type Priority, type SubType } from './domain';

/**
 * Keyword pre-screening and priority rules (docs/domain.md §2). Pure: the API classifies
 * at intake, the workflow re-applies the group rule later.
 */

const KEYWORD_CATEGORIES: ReadonlyArray<{ category: Category; template: string; words: string[] }> = [
  {
    category: 'compliance',
    template: 'qc_report',
    words: ['counterfeit', 'fake', 'knock-off', 'false advertising', '假货', '假冒', '虚假宣传', '侵权'],
  },
  {
    category: 'after_sales',
    template: 'refund_progress',
    words: ['refund', 'return', 'exchange', 'warranty', '退款', '退货', '换货', '保修'],
  },
  {
    category: 'logistics',
    template: 'carrier_check',
    words: ['courier', 'delivery', 'parcel', 'lost', 'waybill', '快递', '物流', '丢件', '未收到'],
  },
  {
    category: 'service',
    template: 'service_apology',
    words: ['rude', 'attitude', 'ignored', 'no reply', '态度', '不回复'],
  },
  {
    category: 'product',
    template: 'quality_check',
    words: ['broken', 'defect', 'leak', 'faulty', 'expired', '质量', '破损', '过期', '坏了'],
  },
];

const SAFETY_WORDS = [
  'spoiled',
  'food poisoning',
  'electric shock',
  'electrical leakage',
  'fire',
  'burn',
  'injury',
  'injured',
  'explode',
  '变质',
  '食物中毒',
  '漏电',
  '触电',
  '起火',
  '受伤',
  '爆炸',
];
const EXPOSURE_WORDS = [
  'journalist',
  'media',
  'reporter',
  'regulator',
  'lawyer',
  'expose',
  'go public',
  '12315',
  '媒体',
  '记者',
  '曝光',
  '监管',
  '律师',
];
const MEDIUM_SUB_TYPES: ReadonlySet<SubType> = new Set([
  'quality_defect',
  'damaged_in_transit',
  'lost',
  'rude_agent',
  'refund_blocked',
  'exchange_blocked',
  'warranty_dispute',
]);

export function categoryOfSubType(subType: SubType): Category {
  const found = (Object.keys(SUB_TYPES) as Category[]).find((c) =>
    (SUB_TYPES[c] as readonly string[]).includes(subType),
  );
  return found ?? 'other';
}

/** Category keywords are stems ("defect" in "defective"): they only suggest, and the agent may override. */
function mentions(text: string, words: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return words.filter((w) => lower.includes(w));
}

const LATIN = /[a-z0-9]/;
const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A Latin word with its plural and verb forms (fire, fires, fired; expose, exposing; injury, injuries), never inside another word. */
function wholeWord(word: string): RegExp {
  const forms = [`${escaped(word)}(?:s|es|d|ed|ing)?`];
  if (word.endsWith('e')) forms.push(`${escaped(word.slice(0, -1))}ing`);
  if (word.endsWith('y')) forms.push(`${escaped(word.slice(0, -1))}ies`);
  return new RegExp(`(?<![a-z0-9])(?:${forms.join('|')})(?![a-z0-9])`);
}

/**
 * The words of a priority rule the text names. A rule that makes a case a crisis must not fire on a
 * word that merely holds it ("immediately" holds "media"), so Latin words match whole; Chinese has no
 * word breaks, and its words are long enough to stand alone.
 */
function names(text: string, words: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return words.filter((w) => (LATIN.test(w) ? wholeWord(w).test(lower) : lower.includes(w)));
}

export interface CategorySuggestion {
  category: Category;
  template: string;
  matched: string[];
}

/** The category and reply template the description's keywords suggest; the agent may override. */
export function suggestCategory(description: string): CategorySuggestion | null {
  for (const rule of KEYWORD_CATEGORIES) {
    const matched = mentions(description, rule.words);
    if (matched.length > 0) return { category: rule.category, template: rule.template, matched };
  }
  return null;
}

export interface PriorityInput {
  description: string;
  category: Category;
  subType: SubType;
  memberTier: 'regular' | 'vip';
  amountPaidFen: number;
  largeAmountFen: number;
  requested?: Priority;
}

const RANK: Record<Priority, number> = { low: 0, medium: 1, high: 2 };

/** Derives priority with the reasons, so the case view can say why a case is red. */
export function derivePriority(input: PriorityInput): { priority: Priority; reasons: string[] } {
  const reasons: string[] = [];
  let priority: Priority = input.requested ?? 'low';
  const raise = (to: Priority, reason: string) => {
    reasons.push(reason);
    if (RANK[to] > RANK[priority]) priority = to;
  };
  if (input.requested) reasons.push(`requested:${input.requested}`);
  const safety = names(input.description, SAFETY_WORDS);
  if (safety.length) raise('high', `personal_safety:${safety.join(',')}`);
  const exposure = names(input.description, EXPOSURE_WORDS);
  if (exposure.length) raise('high', `media_or_regulator:${exposure.join(',')}`);
  if (!input.requested) {
    if (MEDIUM_SUB_TYPES.has(input.subType)) raise('medium', `sub_type:${input.subType}`);
    if (input.category === 'compliance') raise('medium', 'compliance_review');
    if (input.amountPaidFen > input.largeAmountFen) raise('medium', 'large_amount');
    if (input.memberTier === 'vip') raise('medium', 'vip_member');
  }
  return { priority, reasons };
}
