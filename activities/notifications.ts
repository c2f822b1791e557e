import { asyncLocalStorage } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import type { ChoiceOption, PaymentMethod, ResolutionType, Status } from '../shared/domain';
import {
  CustomerMessage,
  MessageVars,
  SmsMessage,
  StaffNotice,
  type CustomerMessageInput,
  type MessageTemplate,
} from '../shared/providers';
import { customerTime } from '../shared/customerTime';
import { checkWording } from '../shared/wording';
import { createHttpClient, toActivityError, type ProviderConfig } from '../clients/http';

/**
 * Messages to customers (one template per event of docs/domain.md §3, §5, §8 and §9,
 * checked against the wording rules of docs/domain.md §10.4 before they leave) and SMS alerts to staff for escalations. Everything goes
 * out through the SMS gateway, which is told the intake channel so the answer goes back there.
 */

type Vars<T extends MessageTemplate> = z.output<(typeof MessageVars)[T]>;

interface Writer {
  id: string;
  time(iso: string): string;
  money(fen: number): string;
}

type Render = { [T in MessageTemplate]: (v: Vars<T>, w: Writer) => string };

/** What the solution is, given its amount written out and the solution's variables (an extension's months, the dedicated agent). */
type Resolution = (amount: string, v: Vars<'solution'>) => string;

const RESOLUTION_EN: Record<ResolutionType, Resolution> = {
  refund: (a) => `a refund of ${a} to your original payment method`,
  partial_refund: (a) => `a partial refund of ${a} to your original payment method`,
  exchange: () => 'an exchange of the item',
  repair: () => 'a repair of the item',
  resend_parts: () => 'we send you the missing parts',
  compensation: (a) => `a compensation of ${a}`,
  coupon: (a) => `a coupon worth ${a}`,
  apology: () => 'a formal apology',
  referral: () => 'a referral to an independent body (quality inspection or consumer association)',
  extended_warranty: (_a, v) => `the warranty of your item extended by ${v.warrantyMonths ?? ''} months`,
  dedicated_agent: (_a, v) => `your dedicated agent ${v.dedicatedAgent ?? ''} handles your next complaints`,
  third_party_testing: (_a, v) => `the independent test by ${v.testingLab ?? ''} found no defect in the item`,
};

const RESOLUTION_ZH: Record<ResolutionType, Resolution> = {
  refund: (a) => `退款 ${a}，原路退回`,
  partial_refund: (a) => `部分退款 ${a}，原路退回`,
  exchange: () => '为您换货',
  repair: () => '为您维修',
  resend_parts: () => '为您补发缺少的配件',
  compensation: (a) => `补偿 ${a}`,
  coupon: (a) => `赠送优惠券 ${a}`,
  apology: () => '正式致歉',
  referral: () => '建议您向第三方机构（质检机构或消费者协会）申请处理',
  extended_warranty: (_a, v) => `为您的商品延长保修 ${v.warrantyMonths ?? ''} 个月`,
  dedicated_agent: (_a, v) => `为您安排专属客服 ${v.dedicatedAgent ?? ''}，您之后的投诉由其跟进`,
  third_party_testing: (_a, v) => `第三方检测机构 ${v.testingLab ?? ''} 的检测结果为未发现商品存在质量问题`,
};

const STATUS_EN: Record<Status, string> = {
  received: 'it is registered and waits for an agent',
  acknowledged: 'it is registered and waits for an agent',
  in_progress: 'an agent is looking into it',
  awaiting_approval: 'a solution is waiting for approval',
  executing: 'the solution is being carried out',
  awaiting_customer: 'we are waiting for your answer to our solution',
  awaiting_feedback: 'we are waiting for your rating',
  closed: 'it is closed',
};

const STATUS_ZH: Record<Status, string> = {
  received: '已登记，等待客服处理',
  acknowledged: '已登记，等待客服处理',
  in_progress: '客服正在核实处理',
  awaiting_approval: '处理方案正在审批',
  executing: '处理方案正在执行',
  awaiting_customer: '等待您确认处理方案',
  awaiting_feedback: '等待您的评价',
  closed: '已关闭',
};

const isRefund = (r: ResolutionType) => r === 'refund' || r === 'partial_refund';

/** docs/domain.md §7.2: where a refund goes back to, and when it arrives there, as the policy publishes it. */
type Arrival = { method: PaymentMethod; minWorkingDays: number; maxWorkingDays: number };
const METHOD_EN: Record<PaymentMethod, string> = {
  wallet: 'your wallet balance',
  alipay: 'your Alipay',
  wechat_pay: 'your WeChat Pay',
  bank_card: 'your bank card',
  credit_card: 'your credit card',
};
const METHOD_ZH: Record<PaymentMethod, string> = {
  wallet: '平台余额',
  alipay: '支付宝',
  wechat_pay: '微信支付',
  bank_card: '银行卡',
  credit_card: '信用卡',
};
const dayRange = (a: Arrival) =>
  a.minWorkingDays === a.maxWorkingDays ? `${a.maxWorkingDays}` : `${a.minWorkingDays}–${a.maxWorkingDays}`;
const arrivesEn = (a: Arrival) =>
  a.maxWorkingDays === 0 ? 'at once' : `in ${dayRange(a)} working day${a.maxWorkingDays > 1 ? 's' : ''}`;
const arrivesZh = (a: Arrival) => (a.maxWorkingDays === 0 ? '即时到账' : `一般 ${dayRange(a)} 个工作日到账`);

/** Execution steps by name (workflows/execution.ts), for the customer. */
const STEP_EN: Record<string, string> = {
  refund: 'the refund',
  partial_refund: 'the partial refund',
  compensation: 'the compensation',
  coupon: 'the coupon',
  return_shipment: 'the return shipment',
  return_inspection: 'the inspection of the returned goods',
  repair: 'the repair',
  repair_request: 'the repair request',
  ship_replacement: 'the replacement',
  resend_parts: 'sending the missing parts',
  return_incoming: 'the return',
  extend_warranty: 'the warranty extension',
  testing_request: 'arranging the independent test',
  third_party_testing: 'the independent test',
};
const STEP_ZH: Record<string, string> = {
  refund: '退款',
  partial_refund: '部分退款',
  compensation: '补偿',
  coupon: '优惠券发放',
  return_shipment: '退货寄回',
  return_inspection: '退货验收',
  repair: '维修',
  repair_request: '维修申请',
  ship_replacement: '换货发出',
  resend_parts: '配件补发',
  return_incoming: '退货',
  extend_warranty: '延长保修',
  testing_request: '第三方检测安排',
  third_party_testing: '第三方检测',
};

/** What the customer is told by default where the workflow gives no words of its own. */
const DEFAULTS = {
  en: {
    contact: 'our customer service desk',
    items: ['photos or video of the problem', 'a screenshot of the order'],
    followUp: 'under My complaints in the app',
    nextAction: 'Your case owner is preparing another solution',
  },
  zh: {
    contact: '客服中心',
    items: ['问题照片或视频', '订单截图'],
    followUp: 'App「我的投诉」',
    nextAction: '您的专属客服正在为您制定新的方案',
  },
};

/**
 * The most characters each free-text variable may take in a message: with the longest complaint
 * id, times and amounts, every template still fits one SMS (SMS_MAX_TEXT) in either language.
 */
// followUp: the app's own words (30 characters) fit whole; the room beside them is the refund's arrival time.
const ROOM = {
  whatChanged: 120,
  contact: 30,
  progress: 100,
  reason: 100,
  items: 150,
  followUp: 32,
  step: 30,
  failure: 80,
  nextAction: 80,
};

/**
 * Free text from a workflow, set inside our own sentences: its closing full stop would double ours,
 * and past its room it is cut with an ellipsis, since an over-long SMS would not go out at all.
 */
function bare(s: string, room: number): string {
  const t = s.trim().replace(/[.。!！]+$/, '');
  if (t.length <= room) return t;
  // Never split a surrogate pair (an emoji): half of one renders as garbage.
  const cut = /[\uD800-\uDBFF]/.test(t[room - 2]) ? room - 2 : room - 1;
  return `${t.slice(0, cut)}…`;
}

const EN: Render = {
  acknowledgement: (v, w) => {
    const days = v.firstAnswerWorkingDays;
    const when = v.expectedBy ? `by ${w.time(v.expectedBy)}` : `within ${days} working day${days > 1 ? 's' : ''}`;
    return `We have received your complaint, number ${w.id}. You will have a first answer ${when}. Your contact: ${bare(v.contact ?? DEFAULTS.en.contact, ROOM.contact)}.`;
  },
  off_hours_reply: (v, w) =>
    `We have received your complaint ${w.id} outside our service hours. We will handle it before ${w.time(v.dueAt)}.`,
  first_response: (v, w) => `About your complaint ${w.id}, from your agent: ${v.message}`,
  progress_update: (v, w) =>
    `Update on your complaint ${w.id}: ${v.progress ? bare(v.progress, ROOM.progress) : STATUS_EN[v.status ?? 'in_progress']}.${v.nextUpdateBy ? ` Next update by ${w.time(v.nextUpdateBy)}.` : ''} Thank you for your patience.`,
  extension_notice: (v, w) =>
    `Your complaint ${w.id} needs more investigation: ${bare(v.reason, ROOM.reason)}. You will have our findings by ${w.time(v.newDueAt)}.`,
  evidence_request: (v, w) =>
    `To handle your complaint ${w.id} we need: ${bare((v.items ?? DEFAULTS.en.items).join('; '), ROOM.items)}. Please add ${(v.items ?? DEFAULTS.en.items).length > 1 ? 'them' : 'it'} to your complaint${v.dueAt ? ` by ${w.time(v.dueAt)}` : ''}; your case stays open meanwhile.`,
  solution: (v, w) => {
    const what = RESOLUTION_EN[v.resolution](v.amountFen ? w.money(v.amountFen) : '', v);
    // Worded tight: with the longest case id (64-character customer and order ids) it must still fit one SMS.
    const when = isRefund(v.resolution)
      ? `Issued by ${w.time(v.executeBy)}; ${v.arrival ? `it reaches ${METHOD_EN[v.arrival.method]} ${arrivesEn(v.arrival)}` : 'it usually arrives in 1–3 working days'}.`
      : `It will be done by ${w.time(v.executeBy)}.`;
    const pending = v.final ? '' : ' It is subject to verification.';
    return `Solution for complaint ${w.id}: ${what}. ${when} Follow it ${bare(v.followUp ?? DEFAULTS.en.followUp, ROOM.followUp)}. If you disagree, tell us before ${w.time(v.objectionUntil)}.${pending}`;
  },
  step_failed: (v, w) =>
    `We are sorry: ${bare(STEP_EN[v.step] ?? v.step, ROOM.step)} for your complaint ${w.id} did not go through${v.reason ? ` (${bare(v.reason, ROOM.failure)})` : ''}. ${bare(v.nextAction ?? DEFAULTS.en.nextAction, ROOM.nextAction)}.${v.goodwillCouponFen ? ` As an apology we have given you a coupon worth ${w.money(v.goodwillCouponFen)}.` : ''}`,
  return_instructions: (v, w) =>
    `For your complaint ${w.id}, please ship the goods back by ${w.time(v.shipBy)} and add the carrier and waybill number under My complaints in the app. We follow the return from there.`,
  delivery_delayed: (v, w) =>
    `The parcel ${v.waybillNo} of your complaint ${w.id} is delayed. We have asked the carrier to speed it up${v.expectedDeliveryAt ? `; it now expects to deliver by ${w.time(v.expectedDeliveryAt)}` : ''}. We keep following it for you.`,
  satisfaction_callback: (v, w) =>
    `Is the problem in your complaint ${w.id} solved? Please rate our handling from 1 (very unhappy) to 5 (very satisfied) and tell us what we could do better${v.answerBy ? `, by ${w.time(v.answerBy)}` : ''}.`,
  case_closed: (v, w) =>
    ({
      resolved: `Your complaint ${w.id} is closed as resolved. Thank you for your feedback.`,
      no_feedback: `Your complaint ${w.id} is closed as we did not hear back from you. If the problem remains, you can open a new complaint at any time.`,
      quality_review: `Your complaint ${w.id} is closed and passed to our quality team for review. You can open a new complaint at any time.`,
    })[v.reason],
  choice_offered: (v, w) =>
    `For your complaint ${w.id} the merchant offers: ${v.options.map((o) => OPTION_EN[o.option](o.compensationFen ? w.money(o.compensationFen) : '')).join('; ')}. Please choose under My complaints in the app by ${w.time(v.chooseBy)}.`,
  trust_notice: (v, w) =>
    `About your complaint ${w.id}: we have fixed what caused it. What changed: ${bare(v.whatChanged, ROOM.whatChanged)}. Thank you for telling us.${v.couponFen ? ` As thanks we have given you a coupon worth ${w.money(v.couponFen)}${v.validDays ? `, valid ${v.validDays} days` : ''}.` : ''}`,
  apology: (v, w) =>
    `About your complaint ${w.id}, we apologise: ${v.words ?? 'what you went through is our failure, and we have taken it up with the people and the process involved. Thank you for holding us to account.'}`,
  testing_arranged: (v, w) =>
    `About your complaint ${w.id}: as agreed with you and the merchant, the independent lab ${v.lab} tests the goods. Its result is due by ${w.time(v.resultBy)}; we tell you as soon as it is in.`,
  testing_defect_confirmed: (v, w) =>
    `About your complaint ${w.id}: the independent lab ${v.lab} confirmed a defect in the goods. We are preparing a new solution for you and will tell you shortly.`,
};

const ZH: Render = {
  acknowledgement: (v, w) => {
    const when = v.expectedBy ? `${w.time(v.expectedBy)} 前` : `${v.firstAnswerWorkingDays} 个工作日内`;
    return `您的投诉已受理，投诉单号 ${w.id}。我们将在 ${when}给您首次答复，您的对接人：${bare(v.contact ?? DEFAULTS.zh.contact, ROOM.contact)}。`;
  },
  off_hours_reply: (v, w) => `您的投诉（单号 ${w.id}）已收到，当前为非服务时间，我们将在 ${w.time(v.dueAt)} 前处理。`,
  first_response: (v, w) => `关于您的投诉（单号 ${w.id}），客服回复：${v.message}`,
  progress_update: (v, w) =>
    `您的投诉（单号 ${w.id}）进展：${v.progress ? bare(v.progress, ROOM.progress) : STATUS_ZH[v.status ?? 'in_progress']}。${v.nextUpdateBy ? `下次更新时间：${w.time(v.nextUpdateBy)} 前。` : ''}感谢您的耐心等待。`,
  extension_notice: (v, w) =>
    `您的投诉（单号 ${w.id}）需要进一步核实：${bare(v.reason, ROOM.reason)}。我们将在 ${w.time(v.newDueAt)} 前告知您核实结果。`,
  evidence_request: (v, w) =>
    `为处理您的投诉（单号 ${w.id}），请补充：${bare((v.items ?? DEFAULTS.zh.items).join('；'), ROOM.items)}。${v.dueAt ? `请在 ${w.time(v.dueAt)} 前提交，` : ''}在此期间您的投诉保持受理状态。`,
  solution: (v, w) => {
    const what = RESOLUTION_ZH[v.resolution](v.amountFen ? w.money(v.amountFen) : '', v);
    const when = isRefund(v.resolution)
      ? `将于 ${w.time(v.executeBy)} 前发起，${v.arrival ? `退回${METHOD_ZH[v.arrival.method]}，${arrivesZh(v.arrival)}` : '一般 1–3 个工作日到账'}。`
      : `将于 ${w.time(v.executeBy)} 前完成。`;
    const pending = v.final ? '' : '本方案以最终核实为准。';
    return `您的投诉（单号 ${w.id}）处理方案：${what}。${when}查看进度：${bare(v.followUp ?? DEFAULTS.zh.followUp, ROOM.followUp)}。如有异议，请在 ${w.time(v.objectionUntil)} 前告知我们。${pending}`;
  },
  step_failed: (v, w) =>
    `非常抱歉，您的投诉（单号 ${w.id}）中的${bare(STEP_ZH[v.step] ?? v.step, ROOM.step)}未能完成${v.reason ? `（${bare(v.reason, ROOM.failure)}）` : ''}。${bare(v.nextAction ?? DEFAULTS.zh.nextAction, ROOM.nextAction)}。${v.goodwillCouponFen ? `为表歉意，我们已向您发放 ${w.money(v.goodwillCouponFen)} 优惠券。` : ''}`,
  return_instructions: (v, w) =>
    `关于您的投诉（单号 ${w.id}），请在 ${w.time(v.shipBy)} 前将商品寄回，并在 App「我的投诉」中填写快递公司和运单号，我们将跟进退货进度。`,
  delivery_delayed: (v, w) =>
    `您的投诉（单号 ${w.id}）涉及的包裹 ${v.waybillNo} 出现延误，我们已要求快递公司加急派送${v.expectedDeliveryAt ? `，预计 ${w.time(v.expectedDeliveryAt)} 前送达` : ''}。我们会持续为您跟进。`,
  satisfaction_callback: (v, w) =>
    `您的投诉（单号 ${w.id}）问题解决了吗？请为我们的处理打分（1 分非常不满意，5 分非常满意），并告诉我们可以改进的地方${v.answerBy ? `（请在 ${w.time(v.answerBy)} 前回复）` : ''}。`,
  case_closed: (v, w) =>
    ({
      resolved: `您的投诉（单号 ${w.id}）已处理完毕并关闭，感谢您的反馈。`,
      no_feedback: `您的投诉（单号 ${w.id}）因未收到您的回复已关闭。如问题仍未解决，您可随时再次投诉。`,
      quality_review: `您的投诉（单号 ${w.id}）已关闭并转交质量团队复核。您可随时再次投诉。`,
    })[v.reason],
  choice_offered: (v, w) =>
    `商家为您的投诉（单号 ${w.id}）提供以下方案：${v.options.map((o) => OPTION_ZH[o.option](o.compensationFen ? w.money(o.compensationFen) : '')).join('；')}。请在 ${w.time(v.chooseBy)} 前在 App「我的投诉」中选择。`,
  trust_notice: (v, w) =>
    `关于您的投诉（单号 ${w.id}）：导致问题的原因已整改。改进内容：${bare(v.whatChanged, ROOM.whatChanged)}。感谢您的反馈。${v.couponFen ? `为表谢意，我们已向您发放 ${w.money(v.couponFen)} 优惠券${v.validDays ? `，${v.validDays} 天内有效` : ''}。` : ''}`,
  apology: (v, w) =>
    `关于您的投诉（单号 ${w.id}），我们郑重致歉：${v.words ?? '给您带来的不愉快是我们的工作没有做好，我们已对相关人员和流程进行整改。感谢您的监督。'}`,
  testing_arranged: (v, w) =>
    `关于您的投诉（单号 ${w.id}），经您、商家与平台协商，由第三方检测机构 ${v.lab} 对商品进行检测，预计 ${w.time(v.resultBy)} 前出具结果，届时我们将第一时间告知您。`,
  testing_defect_confirmed: (v, w) =>
    `关于您的投诉（单号 ${w.id}），第三方检测机构 ${v.lab} 已确认商品存在质量问题，我们正在为您制定新的处理方案，稍后告知您。`,
};

/** docs/domain.md §7.9: the merchant's options, as the customer reads them. */
const OPTION_EN: Record<ChoiceOption, (money: string) => string> = {
  return: () => 'return the goods for a refund',
  exchange: () => 'an exchange',
  repair: () => 'a repair',
  keep_with_compensation: (m) => `keep the goods with ${m} compensation`,
};
const OPTION_ZH: Record<ChoiceOption, (money: string) => string> = {
  return: () => '退货退款',
  exchange: () => '换货',
  repair: () => '维修',
  keep_with_compensation: (m) => `保留商品并补偿 ${m}`,
};

function writer(msg: CustomerMessage): Writer {
  const zh = msg.locale === 'zh-CN';
  return {
    id: msg.complaintId,
    time: (iso) => customerTime(Date.parse(iso), msg.locale, msg.timeZone),
    money: (fen) => (zh ? `${(fen / 100).toFixed(2)} 元` : `CNY ${(fen / 100).toFixed(2)}`),
  };
}

/** The text a customer message will carry; exported so the API can preview it. */
export function renderCustomerMessage(msg: CustomerMessage): string {
  const render = (msg.locale === 'zh-CN' ? ZH : EN)[msg.template] as (v: unknown, w: Writer) => string;
  return render(msg.vars, writer(msg));
}

/**
 * The same for every attempt of one scheduled activity and different for every other, so a retry
 * after a lost answer does not text the customer twice. Outside an activity there is none.
 */
function attemptsKey(): string | undefined {
  const info = asyncLocalStorage.getStore()?.info;
  const run = info?.workflowExecution;
  return info && run ? `${run.workflowId}:${run.runId}:${info.activityId}` : undefined;
}

function invalidMessage(complaintId: string, template: string, problem: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'InvalidMessage',
    message: `complaint ${complaintId}: ${template} message is invalid: ${problem}`,
    nonRetryable: true,
    details: [{ complaintId, template }],
  });
}

export function createNotificationActivities(cfg: ProviderConfig) {
  const http = createHttpClient({ timeoutMs: 5_000, ...cfg, name: 'sms' });

  return {
    sendCustomerMessage: async (input: CustomerMessageInput): Promise<{ messageId: string; text: string }> => {
      const parsed = CustomerMessage.safeParse(input);
      if (!parsed.success) throw invalidMessage(input.complaintId, input.template, z.prettifyError(parsed.error));
      const msg = parsed.data;
      if (!IANAZone.isValidZone(msg.timeZone))
        throw invalidMessage(msg.complaintId, msg.template, `unknown time zone ${msg.timeZone}`);

      const text = renderCustomerMessage(msg);
      const verdict = checkWording(text);
      if (!verdict.ok) {
        throw ApplicationFailure.create({
          type: 'ForbiddenWording',
          message: `complaint ${msg.complaintId}: ${msg.template} message refused by the wording check: ${verdict.phrases.join(', ')}`,
          nonRetryable: true,
          details: [{ complaintId: msg.complaintId, template: msg.template, phrases: verdict.phrases }],
        });
      }
      const { complaintId, to, channel, template } = msg;
      try {
        const sent = await http.post('/sms/messages', { to, complaintId, template, text, channel }, SmsMessage, {
          complaintId,
          idempotencyKey: attemptsKey(),
        });
        return { messageId: sent.messageId, text };
      } catch (err) {
        throw toActivityError(err, [], { complaintId, template });
      }
    },

    /** Staff alerts are internal, so the customer wording rules do not apply to them. */
    notifyStaff: async (input: StaffNotice): Promise<{ messageId: string }> => {
      const { complaintId, recipient, event, text } = input;
      try {
        const sent = await http.post(
          '/sms/messages',
          { to: `staff:${recipient}`, complaintId, template: `staff:${event}`, text },
          SmsMessage,
          { complaintId, idempotencyKey: attemptsKey() },
        );
        return { messageId: sent.messageId };
      } catch (err) {
        throw toActivityError(err, [], { complaintId, recipient, event });
      }
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
