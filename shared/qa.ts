/**
 * Sampling QA (docs/domain.md §11.3): each month a share of the cases closed that month is drawn into
 * a review queue, at least one of each agent who closed any, and a supervisor scores each against a
 * checklist. Constants here until the policy carries them; plain data, no imports.
 */

/** The share of a month's closed cases drawn (docs/domain.md §11.3: 5 %), rounded up. */
export const QA_SAMPLE_SHARE = 0.05;
/** Each agent who closed a case that month has at least this many drawn. */
export const QA_MIN_PER_AGENT = 1;

/** The checklist (docs/domain.md §11.3): response times, wording, solution fit and follow-up, and the record itself. */
export const QA_CHECKLIST = [
  { item: 'first_response_timely', 'zh-CN': '首次响应及时', en: 'First response on time' },
  { item: 'wording', 'zh-CN': '用语规范', en: 'Wording within the rules' },
  { item: 'solution_fit', 'zh-CN': '方案合理', en: 'The solution fits the case' },
  { item: 'record_complete', 'zh-CN': '记录完整', en: 'The record is complete' },
  { item: 'follow_up', 'zh-CN': '回访完成', en: 'Follow-up done' },
] as const;

export type QaItem = (typeof QA_CHECKLIST)[number]['item'];
export const QA_ITEMS = QA_CHECKLIST.map((c) => c.item) as [QaItem, ...QaItem[]];

/** A month as `YYYY-MM`, in the platform's time zone. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
