import type { z } from 'zod';
import { renderCustomerMessage } from '../../activities/notifications';
import {
  CloseReason,
  PaymentMethod,
  ResolutionType,
  Status,
  SUB_TYPES,
  type CustomerLocale,
  TESTING_LAB_MAX,
} from '../../shared/domain';
import { complaintWorkflowId } from '../../shared/identity';
import {
  APOLOGY_MAX,
  CustomerMessage,
  FIRST_RESPONSE_MAX,
  MessageVars,
  SMS_MAX_TEXT,
  type CustomerMessageInput,
} from '../../shared/providers';
import { checkWording } from '../../shared/wording';

/**
 * Every template in both languages, rendered with the longest values its schema allows: each must
 * fit the SMS gateway's limit (SMS_MAX_TEXT), pass the wording check and be written in the
 * customer's language. Pure: nothing is sent.
 */

const LOCALES: CustomerLocale[] = ['zh-CN', 'en'];

// The longest id a case can have: customer and order ids of 64 characters (shared/identity.ts), repeats numbered.
const longestSubType = Object.values(SUB_TYPES)
  .flat()
  .reduce((a, b) => (b.length > a.length ? b : a));
const LONGEST_ID = complaintWorkflowId('c'.repeat(64), 'o'.repeat(64), longestSubType, 99);

// The widest rendering of a time: two-digit month, day and hour.
const TIME = '2026-12-28T14:59:00Z';
const MOST_FEN = 1_000_000_000;

type Case = Pick<CustomerMessageInput, 'template' | 'vars'>;

/** Every template and variant, with `TEXT` in every free-text variable. */
const everyTemplate = (TEXT: string): [string, Case][] => [
  ['acknowledgement by a time', { template: 'acknowledgement', vars: { contact: TEXT, expectedBy: TIME } }],
  [
    'acknowledgement in working days',
    { template: 'acknowledgement', vars: { contact: TEXT, firstAnswerWorkingDays: 30 } },
  ],
  ['off_hours_reply', { template: 'off_hours_reply', vars: { dueAt: TIME } }],
  ['first_response', { template: 'first_response', vars: { message: TEXT.slice(0, FIRST_RESPONSE_MAX) } }],
  ['apology in staff words', { template: 'apology', vars: { words: TEXT.slice(0, APOLOGY_MAX) } }],
  ['apology, the formal one', { template: 'apology', vars: {} }],
  ['progress_update', { template: 'progress_update', vars: { progress: TEXT, nextUpdateBy: TIME } }],
  ...Status.options.map((status): [string, Case] => [
    `progress_update ${status}`,
    { template: 'progress_update', vars: { status, nextUpdateBy: TIME } },
  ]),
  ['extension_notice', { template: 'extension_notice', vars: { reason: TEXT, newDueAt: TIME } }],
  ['evidence_request', { template: 'evidence_request', vars: { items: Array<string>(10).fill(TEXT), dueAt: TIME } }],
  ...ResolutionType.options.map((resolution): [string, Case] => [
    `solution ${resolution}`,
    {
      template: 'solution',
      vars: {
        resolution,
        amountFen: MOST_FEN,
        executeBy: TIME,
        followUp: TEXT,
        objectionUntil: TIME,
        final: false,
        // docs/domain.md §7.1: the longest extension (24 months) and the longest agent id (64 characters).
        warrantyMonths: 24,
        dedicatedAgent: 'a'.repeat(64),
        // docs/domain.md §8.6: the longest lab name the API takes.
        testingLab: TEXT.slice(0, TESTING_LAB_MAX),
      },
    },
  ]),
  // docs/domain.md §7.2: where the refund goes back to and when; 30 working days is the most a policy may publish.
  ...PaymentMethod.options.map((method): [string, Case] => [
    `solution refund to ${method}`,
    {
      template: 'solution',
      vars: {
        resolution: 'partial_refund',
        amountFen: MOST_FEN,
        executeBy: TIME,
        followUp: TEXT,
        objectionUntil: TIME,
        final: false,
        arrival: { method, minWorkingDays: 29, maxWorkingDays: 30 },
      },
    },
  ]),
  [
    'step_failed',
    { template: 'step_failed', vars: { step: TEXT, reason: TEXT, nextAction: TEXT, goodwillCouponFen: MOST_FEN } },
  ],
  ['return_instructions', { template: 'return_instructions', vars: { shipBy: TIME } }],
  ['testing_arranged', { template: 'testing_arranged', vars: { lab: TEXT.slice(0, TESTING_LAB_MAX), resultBy: TIME } }],
  ['testing_defect_confirmed', { template: 'testing_defect_confirmed', vars: { lab: TEXT.slice(0, TESTING_LAB_MAX) } }],
  ['satisfaction_callback', { template: 'satisfaction_callback', vars: { answerBy: TIME } }],
  ...CloseReason.options.map((reason): [string, Case] => [
    `case_closed ${reason}`,
    { template: 'case_closed', vars: { reason } },
  ]),
];
const longest = everyTemplate('长'.repeat(500));

const render = (message: Case, locale: CustomerLocale, complaintId = LONGEST_ID) =>
  renderCustomerMessage(
    CustomerMessage.parse({ complaintId, to: '+8613800000000', channel: 'sms', locale, ...message }),
  );

describe.each(LOCALES)('customer messages in %s at their longest', (locale) => {
  it.each(longest)('%s fits one SMS and passes the wording check', (_name, message) => {
    const text = render(message, locale);
    expect(text.length).toBeLessThanOrEqual(SMS_MAX_TEXT);
    expect(checkWording(text)).toEqual({ ok: true });
  });
});

describe('when a refund arrives (docs/domain.md §7.2: wallet at once, a bank card in 1–3 working days)', () => {
  const solution = (arrival?: { method: PaymentMethod; minWorkingDays: number; maxWorkingDays: number }): Case => ({
    template: 'solution',
    vars: {
      resolution: 'refund',
      amountFen: 12_900,
      executeBy: TIME,
      objectionUntil: TIME,
      final: true,
      ...(arrival && { arrival }),
    },
  });

  it('says a refund to the wallet arrives at once', () => {
    const arrival = { method: 'wallet' as const, minWorkingDays: 0, maxWorkingDays: 0 };
    expect(render(solution(arrival), 'zh-CN', 'C-1')).toContain('退回平台余额，即时到账。');
    expect(render(solution(arrival), 'en', 'C-1')).toContain('it reaches your wallet balance at once.');
  });

  it('says a refund to a bank card arrives in 1–3 working days', () => {
    const arrival = { method: 'bank_card' as const, minWorkingDays: 1, maxWorkingDays: 3 };
    expect(render(solution(arrival), 'zh-CN', 'C-1')).toContain('退回银行卡，一般 1–3 个工作日到账。');
    expect(render(solution(arrival), 'en', 'C-1')).toContain('it reaches your bank card in 1–3 working days.');
  });

  it('keeps the usual 1–3 working days when the order service did not say how the order was paid', () => {
    expect(render(solution(), 'zh-CN', 'C-1')).toContain('一般 1–3 个工作日到账。');
    expect(render(solution(), 'en', 'C-1')).toContain('it usually arrives in 1–3 working days.');
  });
});

describe('goodwill without money (docs/domain.md §7.1)', () => {
  const solution = (vars: Partial<z.input<typeof MessageVars.solution>>): Case => ({
    template: 'solution',
    vars: { resolution: 'extended_warranty', executeBy: TIME, objectionUntil: TIME, final: true, ...vars },
  });

  it('names the months of an extended warranty', () => {
    const months = solution({ resolution: 'extended_warranty', warrantyMonths: 12 });
    expect(render(months, 'zh-CN', 'C-1')).toContain('延长保修 12 个月');
    expect(render(months, 'en', 'C-1')).toContain('warranty of your item extended by 12 months');
  });

  it('names the dedicated agent', () => {
    const agent = solution({ resolution: 'dedicated_agent', dedicatedAgent: 'agent-7' });
    expect(render(agent, 'zh-CN', 'C-1')).toContain('专属客服 agent-7');
    expect(render(agent, 'en', 'C-1')).toContain('your dedicated agent agent-7');
  });

  it('refuses an extended warranty without its months and a dedicated agent without the agent', () => {
    expect(() => render(solution({ resolution: 'extended_warranty' }), 'zh-CN')).toThrow(/warrantyMonths/);
    expect(() => render(solution({ resolution: 'dedicated_agent' }), 'zh-CN')).toThrow(/dedicatedAgent/);
  });
});

describe('the customer language', () => {
  // The fixed words of a template: Han characters in Chinese, none in English (ids and times are Latin in both).
  const han = /\p{Script=Han}/u;

  it.each(everyTemplate('Wang'))('writes %s in Chinese by default and in English when asked', (_name, message) => {
    const zh = renderCustomerMessage(
      CustomerMessage.parse({ complaintId: 'C-1', to: '+8613800000000', channel: 'sms', ...message }),
    );
    expect(zh).toMatch(han);
    expect(render(message, 'en', 'C-1')).not.toMatch(han);
  });

  it('cuts over-long free text at a character, never inside an emoji', () => {
    for (const locale of LOCALES) {
      const text = render({ template: 'progress_update', vars: { progress: '🙂'.repeat(300) } }, locale);
      expect(text.length).toBeLessThanOrEqual(SMS_MAX_TEXT);
      expect(text).toContain('🙂…');
      expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });
});
