import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { addServiceTime, addWorkingDays, durationMs, firstResponseDue } from '../shared/calendar';
import type { CaseViewV1, SlaEventV1 } from '../shared/caseView';
import type { Category, DeadlineKind, Priority } from '../shared/domain';
import { DEFAULT_POLICY, SlaPolicy } from '../shared/policy';
import { openStore } from '../store/connection';
import { readWhatIfFacts, whatIf } from '../store/whatIf';
import { whatIfReport } from '../shared/whatIf';
import { caseView } from '../dev/builders';
import { freePort, mongoWireMemoryMb, startMongoWire } from '../dev/stack/processes';
import { round } from '../dev/bench/measure';
import { table, writeResults } from '../dev/bench/report';

/**
 * `npm run bench:whatif -- [--cases 10000] [--runs 3]`: how long the what-if of a draft
 * policy takes over a week of cases (the target: 10 000 cases within 5 s). Fills a MongoDB-wire
 * server on its H2 file, as `npm start` runs it, with synthetic cases opened a minute apart and
 * their SLA facts (about one deadline in eight missed, some investigations paused for evidence),
 * then times the store read and the calendar arithmetic apart, under the current policy and under
 * a stricter one. A figure, not an assertion: the machine is shared (each run prints its load average).
 */

const { values: flags } = parseArgs({
  options: { cases: { type: 'string', default: '10000' }, runs: { type: 'string', default: '3' } },
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const policy = DEFAULT_POLICY;
const cal = policy.calendar;
/** Monday 2 November 2026, 00:00 in Shanghai. */
const T0 = DateTime.fromISO('2026-11-02T00:00', { zone: cal.timeZone }).toMillis();

/** mulberry32: the same cases every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Fact = Omit<SlaEventV1, 'seq' | 'escalationLevel'>;

/** One wait's facts as the workflow records them: activated, any pause, then met by `doneAt` or breached at its due time. */
function deadline(
  kind: DeadlineKind,
  activatedAt: number,
  dueAt: number,
  doneAt: number,
  pause?: { at: number; ms: number },
): Fact[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const facts: Fact[] = [{ kind, event: 'activated', at: iso(activatedAt), dueAt: iso(dueAt) }];
  let due = dueAt;
  if (pause && pause.at < due) {
    facts.push({ kind, event: 'paused', at: iso(pause.at), dueAt: iso(due) });
    due += pause.ms;
    facts.push({ kind, event: 'resumed', at: iso(pause.at + pause.ms), dueAt: iso(due) });
  }
  facts.push(
    doneAt <= due
      ? { kind, event: 'met', at: iso(doneAt), dueAt: iso(due) }
      : { kind, event: 'breached', at: iso(due), dueAt: iso(due) },
  );
  return facts;
}

const service = (kind: DeadlineKind, from: number, ms: number) =>
  policy.escalation.serviceTimeDeadlines.includes(kind) ? addServiceTime(from, ms, cal) : from + ms;

function syntheticCase(i: number, r: () => number): { view: CaseViewV1; facts: Fact[] } {
  const opened = T0 + i * MINUTE + Math.floor(r() * MINUTE);
  const priority: Priority = r() < 0.12 ? 'high' : r() < 0.7 ? 'medium' : 'low';
  const category: Category = r() < 0.35 ? 'product' : r() < 0.6 ? 'logistics' : 'service';
  const frDue = firstResponseDue(
    opened,
    durationMs(policy.firstResponse),
    durationMs(policy.offHoursFirstResponse),
    cal,
  ).dueMs;
  // Most answers land well inside the window; one in ten after it.
  const answered = r() < 0.9 ? opened + (frDue - opened) * r() * 0.9 : frDue + r() * 2 * HOUR;
  const assigned = opened + (answered - opened) * 0.8;
  const briefAt = answered + r() * 4 * 24 * HOUR;
  const evidence = r() < 0.1 ? { at: answered + HOUR, ms: 20 * HOUR } : undefined;
  const replyAt = answered + r() * 28 * HOUR;
  const proposalAt = briefAt + r() * 5 * HOUR;
  const refundAt = proposalAt + r() * 2 * HOUR;
  const facts = [
    ...deadline('handling', opened, service('handling', opened, durationMs(policy.handling[priority])), assigned),
    ...deadline('first_response', opened, frDue, answered),
    ...deadline(
      'investigation',
      answered,
      addWorkingDays(opened, policy.investigation.workingDays, cal),
      briefAt,
      evidence,
    ),
    ...deadline(
      'merchant_reply',
      answered,
      service('merchant_reply', answered, durationMs(policy.merchantReply)),
      replyAt,
    ),
    ...(category === 'service'
      ? []
      : deadline(
          'category_target',
          opened,
          service('category_target', opened, durationMs(policy.categoryTargets[category] ?? 'PT72H')),
          category === 'product' ? proposalAt : refundAt,
        )),
    ...deadline('proposal', briefAt, service('proposal', briefAt, durationMs(policy.handling[priority])), proposalAt),
    ...deadline('refund', proposalAt, service('refund', proposalAt, durationMs(policy.execution.refund)), refundAt),
  ];
  const at = (ms: number) => new Date(ms).toISOString();
  const base = caseView({ complaintId: `cmp-whatif-${i}`, createdAt: at(opened), priority, category });
  const view: CaseViewV1 = {
    ...base,
    status: 'awaiting_feedback',
    owner: 'agent-7',
    firstResponse: { by: 'agent-7', message: 'We are looking into it.', at: at(answered) },
    investigation: {
      ...base.investigation,
      dueAt: at(addWorkingDays(opened, policy.investigation.workingDays, cal)),
      brief: { responsibility: 'merchant', findings: 'The batch leaks at the seam.', by: 'agent-7', at: at(briefAt) },
      merchantReply: {
        message: 'We will check the batch.',
        accepts: true,
        proposal: null,
        by: 'm-1-staff',
        at: at(replyAt),
      },
    },
    resolution: {
      ...base.resolution,
      proposal: { type: 'refund', amountFen: 12_900, note: 'Full refund', proposedBy: 'agent-7', at: at(proposalAt) },
      steps: [{ name: 'refund', status: 'done', owner: 'payments', updatedAt: at(refundAt) }],
      executedAt: at(refundAt),
    },
  };
  return { view, facts };
}

function caseDoc(view: CaseViewV1) {
  return {
    _id: view.complaintId,
    complaintId: view.complaintId,
    version: 1,
    view,
    status: view.status,
    priority: view.priority,
    category: view.category,
    subType: view.subType,
    channel: view.channel,
    merchantId: view.order.merchantId,
    customerId: view.customer.id,
    sku: view.order.sku,
    waybills: [],
    escalationLevel: view.escalationLevel,
    breached: false,
    round: view.round,
    createdAt: new Date(view.createdAt),
    updatedAt: new Date(view.updatedAt),
    closedAt: null,
  };
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const result = await fn();
  return [result, round(performance.now() - t, 0)];
}

async function main(): Promise<void> {
  const n = Number(flags.cases);
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-whatif-'));
  const port = await freePort();
  const memoryMb = mongoWireMemoryMb(n);
  const mongo = await startMongoWire({ port, file: path.join(dir, 'mongo.mv'), memoryMb });
  const store = await openStore(`mongodb://127.0.0.1:${port}/benchwhatif`);
  try {
    const r = rng(20261202);
    let facts = 0;
    const [, insertMs] = await timed(async () => {
      for (let i = 0; i < n; i += 1_000) {
        const batch = Array.from({ length: Math.min(1_000, n - i) }, (_, k) => syntheticCase(i + k, r));
        await store.cases.collection.insertMany(batch.map((c) => caseDoc(c.view)) as never[], { ordered: false });
        const sla = batch.flatMap((c) =>
          c.facts.map((f, seq) => ({
            ...f,
            complaintId: c.view.complaintId,
            seq: seq + 1,
            at: new Date(f.at),
            dueAt: new Date(f.dueAt),
            escalationLevel: 0,
          })),
        );
        facts += sla.length;
        await store.slaEvents.collection.insertMany(sla, { ordered: false });
      }
    });
    console.log(
      `store: MongoDB-wire server on its H2 file, ${memoryMb} MB; ${n} cases and ${facts} SLA facts inserted in ${round(insertMs / 1000)} s`,
    );

    const period = { from: new Date(T0), to: new Date(T0 + 8 * 24 * HOUR) };
    const asOf = new Date(T0 + 30 * 24 * HOUR);
    const stricter = SlaPolicy.parse({
      version: 'bench-stricter',
      firstResponse: 'PT5M',
      merchantReply: 'PT12H',
      investigation: { workingDays: 2 },
    });
    const rows: Array<Record<string, unknown>> = [];
    for (let run = 1; run <= Number(flags.runs); run++) {
      const [cases, readMs] = await timed(() => readWhatIfFacts(store, period));
      const [current, computeMs] = await timed(() =>
        whatIfReport(cases, policy, {
          period: { from: period.from.getTime(), to: period.to.getTime() },
          asOf: asOf.getTime(),
        }),
      );
      const [draft, wholeMs] = await timed(() => whatIf(store, stricter, period, asOf));
      rows.push({
        run,
        'load avg': round(loadavg()[0]),
        cases: cases.length,
        deadlines: current.totals.deadlines,
        readMs,
        computeMs,
        'whatIf(stricter) ms': wholeMs,
        'breached recorded': current.totals.breachedRecorded,
        'under current': current.totals.breachedUnderDraft,
        'under stricter': draft.totals.breachedUnderDraft,
      });
    }
    table(`what-if over ${n} cases (target: within 5 s)`, rows);
    console.log(`\nresults: ${writeResults('bench-whatif', rows)}`);
  } finally {
    await store.connection.close();
    // Its data is thrown away, and a server that stopped answering does not stop on SIGTERM either.
    mongo.process.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
