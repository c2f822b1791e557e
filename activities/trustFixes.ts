import type { Connection } from 'mongoose';
import { CaseViewV1 } from '../shared/caseView';
import { goodwillOf, type TrustOutcome, type TrustTarget } from '../shared/trust';
import { caseModel } from '../store/cases';
import { findFix, finishFix, recordOutcome, trustFixModel } from '../store/trustFixes';

/** What a fix's workflow (workflows/trustFix.ts) does outside the workflow (docs/domain.md §9.6). */

export function createTrustFixActivities({ connection }: { connection: Connection }) {
  const fixes = trustFixModel(connection);
  const cases = caseModel(connection);
  return {
    /**
     * The customers of the fix still to be told, each with the coupon the fix's terms owe them, read
     * from the cases' projection now (a case may have paid out more since the fix was recorded).
     */
    async trustTargets({ fixId }: { fixId: string }): Promise<TrustTarget[]> {
      const fix = await findFix(fixes, fixId);
      if (!fix) return [];
      const pending = fix.customers.filter((c) => c.status === 'pending').map((c) => c.complaintId);
      const docs = await cases.find({ _id: { $in: pending } }, { view: 1 }).lean();
      const views = new Map(docs.map((d) => [d._id, CaseViewV1.parse(d.view)]));
      return pending.flatMap((complaintId) => {
        const view = views.get(complaintId);
        if (!view) return [];
        const coupon = goodwillOf(
          { trustNotice: fix.terms },
          {
            responsibility: view.investigation.brief?.responsibility ?? null,
            amountPaidFen: view.order.amountPaidFen,
            paidOutFen: view.resolution.paidOutFen,
          },
        );
        return [
          {
            complaintId,
            customerId: view.customer.id,
            to: view.customer.phone,
            channel: view.channel,
            locale: view.customer.locale ?? 'zh-CN',
            person: view.owner ?? 'supervisor',
            couponFen: coupon.couponFen,
            validDays: fix.terms.validDays,
            noCouponBecause: coupon.noCouponBecause,
            whatChanged: fix.whatChanged,
            whatChangedEn: fix.whatChangedEn ?? null,
          },
        ];
      });
    },

    async recordTrustOutcome(input: {
      fixId: string;
      complaintId: string;
      outcome: TrustOutcome;
      noCouponBecause: string | null;
      at: string;
    }): Promise<void> {
      await recordOutcome(
        fixes,
        input.fixId,
        input.complaintId,
        { ...input.outcome, noCouponBecause: input.noCouponBecause },
        new Date(input.at),
      );
    },

    async finishTrustFix({ fixId }: { fixId: string }): Promise<void> {
      await finishFix(fixes, fixId);
    },
  };
}

export type TrustFixActivities = ReturnType<typeof createTrustFixActivities>;
