import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ProviderUnavailable } from '../../clients/http';
import { createNotificationActivities, type NotificationActivities } from '../../activities/notifications';
import type { CustomerMessageInput, SmsMessage } from '../../shared/providers';
import { checkWording } from '../../shared/wording';
import { failure, uid, useSandbox } from '../sandbox/testSandbox';

const t = useSandbox();
let notifications: NotificationActivities;

beforeAll(() => {
  notifications = createNotificationActivities(t.provider);
});

afterEach(async () => {
  await t.send('DELETE', '/_faults');
});

type Message = Pick<CustomerMessageInput, 'template' | 'vars'>;

function send(message: Message, extra: Partial<CustomerMessageInput> = {}) {
  const complaintId = uid('C');
  return {
    complaintId,
    sent: notifications.sendCustomerMessage({
      complaintId,
      to: '+8613800000000',
      channel: 'wechat',
      ...message,
      ...extra,
    } as CustomerMessageInput),
  };
}

// 2026-11-24 02:00Z is 10:00 in Shanghai.
const TEN_AM = '2026-11-24T02:00:00Z';

const everyTemplate: [string, Message, RegExp[]][] = [
  [
    'acknowledgement',
    { template: 'acknowledgement', vars: { contact: 'agent Wang' } },
    [/within 1 working day/, /Your contact: agent Wang\./],
  ],
  [
    'acknowledgement with a due time',
    { template: 'acknowledgement', vars: { contact: 'the after-sales desk', expectedBy: TEN_AM } },
    [/first answer by 10:00, 24 Nov 2026/],
  ],
  [
    'off_hours_reply',
    { template: 'off_hours_reply', vars: { dueAt: TEN_AM } },
    [/outside our service hours/, /before 10:00, 24 Nov 2026 \(GMT\+8\)/],
  ],
  [
    'progress_update',
    { template: 'progress_update', vars: { progress: 'the merchant has answered.', nextUpdateBy: TEN_AM } },
    [/the merchant has answered\. Next update by 10:00/],
  ],
  [
    'progress_update from a status',
    { template: 'progress_update', vars: { status: 'awaiting_approval' } },
    [/a solution is waiting for approval/],
  ],
  [
    'extension_notice',
    { template: 'extension_notice', vars: { reason: 'the carrier is checking its hub', newDueAt: TEN_AM } },
    [/needs more investigation: the carrier is checking its hub\./, /by 10:00/],
  ],
  [
    'evidence_request',
    { template: 'evidence_request', vars: { items: ['a photo of the leak', 'the delivery note'] } },
    [/we need: a photo of the leak; the delivery note\./],
  ],
  [
    'solution',
    {
      template: 'solution',
      vars: {
        resolution: 'refund',
        amountFen: 12_900,
        executeBy: TEN_AM,
        followUp: 'under My complaints in the app',
        objectionUntil: TEN_AM,
      },
    },
    [
      /a refund of CNY 129\.00 to your original payment method/,
      /1–3 working days/,
      /Follow it under My complaints in the app\./,
      /tell us before 10:00/,
      /subject to verification/,
    ],
  ],
  [
    'step_failed',
    {
      template: 'step_failed',
      vars: {
        step: 'the refund',
        reason: 'the bank refused it',
        nextAction: 'We will try again within 24 hours',
        goodwillCouponFen: 500,
      },
    },
    [
      /the refund for your complaint C-\w+ did not go through \(the bank refused it\)\. We will try again within 24 hours\./,
      /coupon worth CNY 5\.00/,
    ],
  ],
  ['satisfaction_callback', { template: 'satisfaction_callback', vars: {} }, [/rate our handling from 1 .* to 5/]],
  [
    'case_closed',
    { template: 'case_closed', vars: { reason: 'no_feedback' } },
    [/closed as we did not hear back from you/],
  ],
];

// docs/domain.md §10.5: Simplified Chinese unless the customer record says English; sent without a locale.
const everyTemplateZh: [string, Message, RegExp[]][] = [
  [
    'acknowledgement',
    { template: 'acknowledgement', vars: { contact: '客服小王' } },
    [/^您的投诉已受理，投诉单号 C-\w+。/, /1 个工作日内给您首次答复/, /您的对接人：客服小王。$/],
  ],
  [
    'off_hours_reply',
    { template: 'off_hours_reply', vars: { dueAt: TEN_AM } },
    [/非服务时间/, /2026年11月24日 10:00 \(GMT\+8\) 前处理/],
  ],
  [
    'progress_update',
    { template: 'progress_update', vars: { status: 'awaiting_approval', nextUpdateBy: TEN_AM } },
    [/进展：处理方案正在审批。下次更新时间：2026年11月24日 10:00/],
  ],
  [
    'extension_notice',
    { template: 'extension_notice', vars: { reason: '快递公司正在核查转运中心', newDueAt: TEN_AM } },
    [/需要进一步核实：快递公司正在核查转运中心。/, /2026年11月24日 10:00 \(GMT\+8\) 前告知您/],
  ],
  [
    'evidence_request',
    { template: 'evidence_request', vars: { items: ['漏水处的照片', '签收单'] } },
    [/请补充：漏水处的照片；签收单。/],
  ],
  [
    'solution',
    {
      template: 'solution',
      vars: {
        resolution: 'refund',
        amountFen: 12_900,
        executeBy: TEN_AM,
        followUp: '在 App「我的投诉」中查看',
        objectionUntil: TEN_AM,
      },
    },
    [/退款 129\.00 元，原路退回/, /1–3 个工作日到账/, /本方案以最终核实为准。$/],
  ],
  [
    'step_failed',
    {
      template: 'step_failed',
      vars: {
        step: '退款',
        reason: '银行拒绝了本次退款',
        nextAction: '我们将在 24 小时内重新处理',
        goodwillCouponFen: 500,
      },
    },
    [/中的退款未能完成（银行拒绝了本次退款）。我们将在 24 小时内重新处理。/, /发放 5\.00 元 优惠券/],
  ],
  [
    'satisfaction_callback',
    { template: 'satisfaction_callback', vars: {} },
    [/请为我们的处理打分（1 分非常不满意，5 分非常满意）/],
  ],
  ['case_closed', { template: 'case_closed', vars: { reason: 'no_feedback' } }, [/因未收到您的回复已关闭/]],
];

describe('customer messages', () => {
  it.each(everyTemplateZh)(
    'renders %s in Simplified Chinese by default and sends it on the intake channel',
    async (_name, message, expected) => {
      const { complaintId, sent } = send(message);
      const { text } = await sent;

      expect(text).toContain(complaintId);
      for (const pattern of expected) expect(text).toMatch(pattern);
      expect(checkWording(text)).toEqual({ ok: true });
      expect(await t.inspect<SmsMessage[]>(`/sms/messages?complaintId=${complaintId}`)).toEqual([
        expect.objectContaining({ template: message.template, text, channel: 'wechat' }),
      ]);
    },
  );

  it.each(everyTemplate)(
    'renders %s in English for a customer whose record says so',
    async (_name, message, expected) => {
      const { complaintId, sent } = send(message, { locale: 'en' });
      const { messageId, text } = await sent;

      expect(text).toContain(complaintId);
      for (const pattern of expected) expect(text).toMatch(pattern);
      expect(checkWording(text)).toEqual({ ok: true });
      const messages = await t.inspect<SmsMessage[]>(`/sms/messages?complaintId=${complaintId}`);
      expect(messages).toEqual([
        expect.objectContaining({
          messageId,
          to: '+8613800000000',
          complaintId,
          template: message.template,
          text,
          channel: 'wechat',
        }),
      ]);
    },
  );

  it('drops "subject to verification" only from a final solution', async () => {
    const vars = {
      resolution: 'exchange',
      executeBy: TEN_AM,
      followUp: 'in the app',
      objectionUntil: TEN_AM,
      final: true,
    } as const;
    const { text } = await send({ template: 'solution', vars }, { locale: 'en' }).sent;
    expect(text).toContain('It will be done by 10:00');
    expect(text).not.toContain('subject to verification');
    expect((await send({ template: 'solution', vars }).sent).text).not.toContain('以最终核实为准');
  });

  it('refuses forbidden wording for good and sends nothing', async () => {
    const { complaintId, sent } = send({
      template: 'progress_update',
      vars: { progress: 'this is normal for this model, you misunderstood the manual' },
    });
    const err = await failure(sent);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'ForbiddenWording', nonRetryable: true });
    expect((err as ApplicationFailure).message).toContain(complaintId);
    expect((err as ApplicationFailure).details).toEqual([
      { complaintId, template: 'progress_update', phrases: ['this is normal', 'you misunderstood'] },
    ]);
    expect(await t.inspect(`/sms/messages?complaintId=${complaintId}`)).toEqual([]);
  });

  it('refuses banned phrases in Traditional script too', async () => {
    const { sent } = send({ template: 'progress_update', vars: { progress: '這很正常，您誤會了說明書' } });
    expect(await failure(sent)).toMatchObject({
      type: 'ForbiddenWording',
      details: [expect.objectContaining({ phrases: ['这很正常', '您误会了'] })],
    });
  });

  it('refuses a message whose variables do not fit its template', async () => {
    const refundWithoutAmount = send({
      template: 'solution',
      vars: { resolution: 'refund', executeBy: TEN_AM, followUp: 'in the app', objectionUntil: TEN_AM },
    });
    const err = await failure(refundWithoutAmount.sent);
    expect(err).toMatchObject({ type: 'InvalidMessage', nonRetryable: true });
    expect((err as Error).message).toMatch(/amountFen/);
    const badZone = send({ template: 'off_hours_reply', vars: { dueAt: TEN_AM } }, { timeZone: 'Mars/Olympus' });
    expect(await failure(badZone.sent)).toMatchObject({ type: 'InvalidMessage', nonRetryable: true });
  });

  it('surfaces an SMS gateway outage as a retryable error', async () => {
    await t.arm({ service: 'sms', mode: 'error', rate: 1, count: 1 });
    const first = send({ template: 'case_closed', vars: { reason: 'resolved' } });
    expect(await failure(first.sent)).toBeInstanceOf(ProviderUnavailable);
    await expect(send({ template: 'case_closed', vars: { reason: 'resolved' } }).sent).resolves.toHaveProperty(
      'messageId',
    );
  });
});

describe('retried attempts', () => {
  it('text the customer once per scheduled activity, however often it is attempted', async () => {
    const complaintId = uid('C');
    const workflowExecution = { workflowId: `complaint-${complaintId}`, runId: uid('run') };
    const input: CustomerMessageInput = {
      complaintId,
      to: '+8613800000000',
      channel: 'app',
      template: 'case_closed',
      vars: { reason: 'resolved' },
    };
    const attempt = (n: number, activityId: string) =>
      new MockActivityEnvironment({ attempt: n, activityId, workflowExecution }).run<
        [CustomerMessageInput],
        { messageId: string },
        NotificationActivities['sendCustomerMessage']
      >(notifications.sendCustomerMessage, input);

    const first = await attempt(1, '7');
    const retry = await attempt(2, '7');
    const nextMessage = await attempt(1, '8');

    expect(retry.messageId).toBe(first.messageId);
    expect(nextMessage.messageId).not.toBe(first.messageId);
    expect(await t.inspect<SmsMessage[]>(`/sms/messages?complaintId=${complaintId}`)).toHaveLength(2);
  });
});

describe('staff alerts', () => {
  it('texts a staff member or a role at staff:<recipient>', async () => {
    const complaintId = uid('C');
    const { messageId } = await notifications.notifyStaff({
      complaintId,
      recipient: 'supervisor',
      event: 'deadline_missed',
      text: `${complaintId}: first response overdue`,
    });
    const messages = await t.inspect<SmsMessage[]>(`/sms/messages?to=staff:supervisor&complaintId=${complaintId}`);
    expect(messages).toEqual([
      expect.objectContaining({
        messageId,
        template: 'staff:deadline_missed',
        text: `${complaintId}: first response overdue`,
      }),
    ]);
  });
});
