import { MerchantNotice, type MerchantNoticeKind } from '../shared/providers';
import { createHttpClient, toActivityError, type ProviderConfig } from '../clients/http';

/** The merchant portal: copies of complaints, reminders and execution requests to third-party merchants (docs/domain.md §6.2, §8). */

export interface SendMerchantNoticeInput {
  complaintId: string;
  merchantId: string;
  kind: MerchantNoticeKind;
  text: string;
  /** Derived by the workflow from its id and step, so a retried attempt sends one notice. */
  idempotencyKey: string;
}

export function createMerchantActivities(cfg: ProviderConfig) {
  const http = createHttpClient({ timeoutMs: 5_000, ...cfg, name: 'merchants' });

  return {
    sendMerchantNotice: async (input: SendMerchantNoticeInput): Promise<{ noticeId: string }> => {
      const { complaintId, merchantId, kind, text, idempotencyKey } = input;
      try {
        const notice = await http.post('/merchants/notices', { complaintId, merchantId, kind, text }, MerchantNotice, {
          complaintId,
          idempotencyKey,
        });
        return { noticeId: notice.noticeId };
      } catch (err) {
        throw toActivityError(err, [], { complaintId, merchantId, kind, idempotencyKey });
      }
    },
  };
}

export type MerchantActivities = ReturnType<typeof createMerchantActivities>;
