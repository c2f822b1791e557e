import { ProviderUnavailable } from '../../clients/http';
import { createMerchantActivities, type MerchantActivities } from '../../activities/merchants';
import type { MerchantNotice } from '../../shared/providers';
import { uid, useSandbox } from '../sandbox/testSandbox';

const t = useSandbox();
let merchants: MerchantActivities;

beforeAll(() => {
  merchants = createMerchantActivities(t.provider);
});

describe('merchant notices', () => {
  it('sends one notice per idempotency key', async () => {
    const complaintId = uid('C');
    const merchantId = uid('m');
    const input = {
      complaintId,
      merchantId,
      kind: 'complaint_copy' as const,
      text: 'A customer reports a leaking kettle; answer within 24 h.',
      idempotencyKey: `${complaintId}:copy`,
    };
    const first = await merchants.sendMerchantNotice(input);
    expect(await merchants.sendMerchantNotice(input)).toEqual(first);

    const notices = await t.inspect<MerchantNotice[]>(`/merchants/notices?merchantId=${merchantId}`);
    expect(notices).toEqual([
      expect.objectContaining({
        noticeId: first.noticeId,
        complaintId,
        kind: 'complaint_copy',
        idempotencyKey: `${complaintId}:copy`,
      }),
    ]);
  });

  it('surfaces an outage as a retryable error, and the next attempt sends', async () => {
    const complaintId = uid('C');
    const merchantId = uid('m');
    const input = {
      complaintId,
      merchantId,
      kind: 'reminder' as const,
      text: 'Reminder: 4 h left to answer.',
      idempotencyKey: uid('key'),
    };
    await t.arm({ service: 'merchants', mode: 'error', rate: 1, count: 1 });
    await expect(merchants.sendMerchantNotice(input)).rejects.toThrow(ProviderUnavailable);
    await merchants.sendMerchantNotice(input);
    expect(await t.inspect<MerchantNotice[]>(`/merchants/notices?merchantId=${merchantId}`)).toHaveLength(1);
  });

  it('fails for good when the portal refuses the notice', async () => {
    await t.arm({ service: 'merchants', mode: 'decline', rate: 1, count: 1 });
    const input = {
      complaintId: uid('C'),
      merchantId: uid('m'),
      kind: 'escalation' as const,
      text: 'x',
      idempotencyKey: uid('key'),
    };
    await expect(merchants.sendMerchantNotice(input)).rejects.toMatchObject({
      type: 'ProviderRejected',
      nonRetryable: true,
    });
  });
});
