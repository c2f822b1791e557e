/**
 * The outgoing-wording check of spec §7: no promise beyond an agent's authority and no phrase
 * that dismisses the customer. Pure, so the workflow, the API and the notification activity all
 * run the same check before anything is sent.
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
  { phrase: 'we promise a refund', pattern: /\bwe promise (?:you )?(?:a |the )?(?:full )?refund\b/ },
  // Dismissive phrases.
  { phrase: 'this is normal', pattern: /\b(?:this is|that is|that's) (?:completely |totally |perfectly )?normal\b/ },
  { phrase: 'you misunderstood', pattern: /\byou(?: have|'ve)? misunderst(?:ood|and)\b/ },
  { phrase: 'your own fault', pattern: /\b(?:it is|it's|this is|that is|that's) your (?:own )?(?:fault|problem)\b/ },
  { phrase: 'nothing we can do', pattern: /\bnothing (?:we|i) can do\b/ },
  { phrase: 'not our problem', pattern: /\bnot our (?:problem|business|concern)\b/ },
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
  { phrase: '一定给您退款', pattern: /(?:一定|保证)(?:给您|给你)?(?:退款|赔偿)/ },
  // Dismissive phrases. "这是正常的流程" (the usual procedure) is fine; "这是正常的。" dismisses.
  { phrase: '这很正常', pattern: /这很正常|这(?:是|属于)正常现象|这是正常的(?=$|[，。！？,.!?])/ },
  { phrase: '您误会了', pattern: /(?:您|你)(?:误会|误解)了/ },
  { phrase: '您自己的问题', pattern: /(?:您|你)自己的(?:问题|责任)/ },
  { phrase: '我们也没办法', pattern: /我们也?没(?:有)?办法|我们无能为力/ },
  { phrase: '不关我们的事', pattern: /不关我们的事|与我们无关/ },
];

/**
 * Traditional (and variant) characters of the Chinese rules, each followed by its Simplified form:
 * customers and agents who write Traditional script (絕對保證) must not slip past the rules.
 */
const TRADITIONAL_THEN_SIMPLIFIED = '絕绝對对證证証证諾诺擔担額额賠赔償偿補补雙双給给這这屬属現现誤误會会問问題题責责們们沒没辦办無无為为爲为關关與与於于損损';
const SIMPLIFIED = new Map(
  Array.from({ length: TRADITIONAL_THEN_SIMPLIFIED.length / 2 }, (_, i) => [
    TRADITIONAL_THEN_SIMPLIFIED[2 * i],
    TRADITIONAL_THEN_SIMPLIFIED[2 * i + 1],
  ]),
);

function toSimplified(text: string): string {
  return Array.from(text, (ch) => SIMPLIFIED.get(ch) ?? ch).join('');
}

function normalise(text: string): string {
  return text
    .normalize('NFKC')
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
