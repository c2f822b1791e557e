/**
 * The outgoing-wording check of docs/domain.md §10.4: no promise beyond an agent's authority and no phrase
 * that dismisses the customer, blames them or pushes the blame onto someone else. Pure, so the
 * workflow, the API and the notification activity all run the same check before anything is sent.
 * Text is checked as the reader sees it: invisible characters dropped, full-width folded, Traditional
 * script read as Simplified.
 */

export type WordingVerdict = { ok: true } | { ok: false; phrases: string[] };

interface Rule {
  /** The phrase as reported back to the writer. */
  phrase: string;
  pattern: RegExp;
}

/** English rules match whole words on lower-cased text with single spaces. */
const english: Rule[] = [
  // Promises beyond authority.
  { phrase: 'absolutely guarantee', pattern: /\babsolutely guarantee(?:s|d)?\b/ },
  { phrase: '100% guarantee', pattern: /\b100 ?% guarantee(?:s|d)?\b|\bguarantee(?:s|d)? 100 ?%/ },
  { phrase: 'full compensation', pattern: /\bfull compensation\b/ },
  { phrase: 'compensate you in full', pattern: /\bcompensate you (?:in full|fully)\b/ },
  { phrase: 'double compensation', pattern: /\b(?:double|triple|tenfold|ten times(?: the)?) compensation\b/ },
  {
    phrase: 'we promise a refund',
    pattern: /\bwe (?:promise|guarantee) (?:you )?(?:a |the )?(?:full )?(?:refund|compensation)\b/,
  },
  // Dismissive phrases.
  { phrase: 'this is normal', pattern: /\b(?:this is|that is|that's) (?:completely |totally |perfectly )?normal\b/ },
  {
    phrase: 'you misunderstood',
    pattern:
      /\byou(?: have|'ve)? misunderst(?:ood|and)\b|\byou(?: have|'ve)? (?:got|get|read|understood) (?:it|that|this) wrong\b|\byou(?: are|'re) wrong\b/,
  },
  // Blaming the customer.
  {
    phrase: 'your own fault',
    pattern:
      /\b(?:it is|it's|this is|that is|that's) your (?:own )?(?:fault|problem)\b|\byou used it (?:wrong(?:ly)?|incorrectly|improperly)\b/,
  },
  { phrase: 'nothing we can do', pattern: /\bnothing (?:we|i) can do\b/ },
  // Shifting the blame.
  {
    phrase: 'not our problem',
    pattern:
      /\bnot our (?:problem|business|concern)\b|\bnothing to do with us\b|\btake it up with the (?:carrier|courier|merchant|seller|manufacturer)\b/,
  },
  {
    phrase: 'not our fault',
    pattern:
      /\bnot our (?:fault|responsibility)\b|\b(?:it is|it's|this is|that is|that's) the (?:carrier|courier|merchant|seller|manufacturer)(?:'s)? (?:fault|problem|responsibility)\b/,
  },
];

/**
 * Chinese rules are written in Simplified script and match on text without whitespace, so
 * "全 额 赔 偿" is caught too; Traditional text is first folded to Simplified, so one
 * rule catches 全額賠償, 全额赔偿 and any mix of the two.
 */
const chinese: Rule[] = [
  // Promises beyond authority.
  { phrase: '绝对保证', pattern: /绝对(?:保证|承诺|担保)/ },
  { phrase: '百分之百保证', pattern: /(?:百分之百|100%)(?:保证|承诺)/ },
  { phrase: '全额赔偿', pattern: /全额赔偿/ },
  { phrase: '全额补偿', pattern: /全额(?:补偿|赔付)|足额赔偿|(?:赔偿|补偿)(?:您|你)全部损失/ },
  { phrase: '双倍赔偿', pattern: /(?:双倍|三倍|十倍)赔偿|假一赔十/ },
  {
    phrase: '一定给您退款',
    pattern: /(?:一定|保证|承诺|肯定)(?:会|能|可以)?(?:给|为|帮)?(?:您|你)?(?:全额|足额|全部)?(?:退款|赔偿|补偿|赔付)/,
  },
  // Dismissive phrases. "这是正常的流程" (the usual procedure) is fine; "这是正常的。" dismisses.
  { phrase: '这很正常', pattern: /这很正常|这(?:是|属于)正常现象|这是正常的(?=$|[，。！？,.!?])/ },
  { phrase: '您误会了', pattern: /(?:您|你)(?:误会|误解)了/ },
  // Blaming the customer.
  { phrase: '您理解错了', pattern: /(?:您|你)(?:可能|肯定|应该)?(?:理解|看|搞|弄|记|听)错/ },
  { phrase: '您操作不当', pattern: /(?:您|你)的?(?:操作|使用)(?:不当|有误|错误|不规范)/ },
  { phrase: '您自己的问题', pattern: /(?:您|你)自己的(?:问题|责任)/ },
  { phrase: '我们也没办法', pattern: /我们也?没(?:有)?办法|我们无能为力/ },
  // Shifting the blame.
  {
    phrase: '这是物流的问题',
    pattern: /(?:这|那)(?:是|属于)(?:物流|快递|商家|厂家|卖家|厂商|供应商|第三方)(?:公司)?的(?:问题|责任)/,
  },
  {
    phrase: '不关我们的事',
    pattern:
      /不关我们的事|(?:和|跟|与)我们(?:没有?|无)关(?:系)?|不是我们的(?:问题|责任|错)|(?:您|你)(?:自己)?去找(?:物流|快递|商家|厂家|卖家)/,
  },
];

/**
 * Traditional (and variant) characters of the Chinese rules, each followed by its Simplified form:
 * customers and agents who write Traditional script (絕對保證) must not slip past the rules.
 */
const TRADITIONAL_THEN_SIMPLIFIED =
  '絕绝對对證证証证諾诺擔担額额賠赔償偿補补雙双給给這这屬属現现誤误會会問问題题責责們们沒没辦办無无為为爲为關关與与於于損损' +
  '錯错當当係系繫系遞递廠厂賣卖聽听記记應应該该規规範范幫帮';
const SIMPLIFIED = new Map(
  Array.from({ length: TRADITIONAL_THEN_SIMPLIFIED.length / 2 }, (_, i) => [
    TRADITIONAL_THEN_SIMPLIFIED[2 * i],
    TRADITIONAL_THEN_SIMPLIFIED[2 * i + 1],
  ]),
);

function toSimplified(text: string): string {
  return Array.from(text, (ch) => SIMPLIFIED.get(ch) ?? ch).join('');
}

/**
 * Characters that show nothing (zero-width spaces and joiners, the soft hyphen, the byte-order mark,
 * variation selectors, Hangul fillers): one inside a phrase hides it from a pattern, never from the reader.
 */
const INVISIBLE = /\p{Cf}|\p{Variation_Selector}|\u034f|[\u115f\u1160\u3164\uffa0]/gu;

function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ');
}

export function checkWording(text: string): WordingVerdict {
  const spaced = normalise(text);
  const compact = toSimplified(spaced.replace(/ /g, ''));
  const phrases = [
    ...english.filter((r) => r.pattern.test(spaced)),
    ...chinese.filter((r) => r.pattern.test(compact)),
  ].map((r) => r.phrase);
  return phrases.length === 0 ? { ok: true } : { ok: false, phrases };
}
