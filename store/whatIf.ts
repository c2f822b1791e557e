import type { CaseViewV1 } from '../shared/caseView';
import type { Category, DeadlineKind, Priority } from '../shared/domain';
import type { SlaPolicy } from '../shared/policy';
import { type CaseFacts, type SlaFact, WhatIfReportV1, whatIfReport } from '../shared/whatIf';
import type { CaseDoc } from './cases';
import type { Store } from './connection';
import type { SlaEventDoc } from './slaEvents';

export { WhatIfReportV1 };

/**
 * The what-if of a draft policy over the cases opened in a period (shared/whatIf.ts says what it
 * computes), from two plain finds with projections: the cases' columns and the few view fields
 * that date a step, then the SLA facts. Facts are found by time (each fact of a case comes after
 * its opening) and kept for the cases read: the MongoDB-wire stand-in matches every fact against
 * the whole of an `$in` list, which for 10 000 cases took longer than reading them all, and reads
 * every fact for either query anyway; a real MongoDB answers the time range from its `at` index.
 */

type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> | null } : T;

/** A case as read: its columns, and of its view only the priority's reasons and the fields that date a step. */
type CaseRow = Pick<CaseDoc, 'complaintId' | 'createdAt' | 'priority' | 'category'> & {
  view?: DeepPartial<Pick<CaseViewV1, 'priorityReasons' | 'firstResponse' | 'investigation' | 'resolution'>>;
};
type SlaRow = Pick<SlaEventDoc, 'complaintId' | 'seq' | 'kind' | 'event' | 'at' | 'dueAt'>;

const msOf = (at: string | null | undefined) => (at ? Date.parse(at) : null);

/** Facts per reply: the driver spreads a whole reply into one call's arguments, which overflows the stack near 100 000. */
const FACTS_PER_BATCH = 5_000;

export async function readWhatIfFacts(db: Store, period: { from: Date; to: Date }): Promise<CaseFacts[]> {
  // Neither read needs the other's answer, so the server scans both collections at once.
  const [rows, events] = await Promise.all([
    db.cases
      .find(
        { createdAt: { $gte: period.from, $lt: period.to } },
        {
          _id: 0,
          complaintId: 1,
          createdAt: 1,
          priority: 1,
          category: 1,
          'view.priorityReasons': 1,
          'view.firstResponse.at': 1,
          'view.investigation.extended': 1,
          'view.investigation.brief.at': 1,
          'view.investigation.merchantReply.at': 1,
          'view.resolution.proposal.at': 1,
          'view.resolution.approval.at': 1,
          'view.resolution.executedAt': 1,
        },
      )
      .lean<CaseRow[]>(),
    db.slaEvents
      .find({ at: { $gte: period.from } }, { _id: 0, complaintId: 1, seq: 1, kind: 1, event: 1, at: 1, dueAt: 1 })
      .batchSize(FACTS_PER_BATCH)
      .lean<SlaRow[]>(),
  ]);
  const facts = new Map<string, SlaFact[]>(rows.map((r) => [r.complaintId, []]));
  for (const e of events) {
    facts.get(e.complaintId)?.push({
      seq: e.seq,
      kind: e.kind as DeadlineKind,
      event: e.event as SlaFact['event'],
      at: e.at.getTime(),
      dueAt: e.dueAt.getTime(),
    });
  }
  return rows.map((r) => {
    const v = r.view ?? {};
    return {
      complaintId: r.complaintId,
      openedAt: r.createdAt.getTime(),
      priority: r.priority as Priority,
      priorityReasons: (v.priorityReasons ?? []).filter((reason): reason is string => typeof reason === 'string'),
      category: r.category as Category,
      investigationExtended: v.investigation?.extended ?? false,
      steps: {
        firstResponse: msOf(v.firstResponse?.at),
        brief: msOf(v.investigation?.brief?.at),
        merchantReply: msOf(v.investigation?.merchantReply?.at),
        proposal: msOf(v.resolution?.proposal?.at),
        approval: msOf(v.resolution?.approval?.at),
        executed: msOf(v.resolution?.executedAt),
      },
      sla: facts.get(r.complaintId) ?? [],
    };
  });
}

/** What `draft` would have made of the deadlines of the cases opened in `period`; running ones judged at `asOf`. */
export async function whatIf(
  db: Store,
  draft: SlaPolicy,
  period: { from: Date; to: Date },
  asOf: Date = new Date(),
): Promise<WhatIfReportV1> {
  const cases = await readWhatIfFacts(db, period);
  return whatIfReport(cases, draft, {
    period: { from: period.from.getTime(), to: period.to.getTime() },
    asOf: asOf.getTime(),
  });
}
