import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { type ApiTextKey, apiTextMax } from '../../shared/apiTexts';
import type { CaseViewV1 } from '../../shared/caseView';
import type { Actor } from '../../shared/intake';
import {
  type ComplaintWorkflowInput,
  addEvidenceUpdate,
  approvalUpdate,
  assignUpdate,
  briefUpdate,
  caseViewQuery,
  customerChoiceUpdate,
  customerResponseUpdate,
  cancelStepUpdate,
  changePriorityUpdate,
  extendInvestigationUpdate,
  firstResponseUpdate,
  reclassifyUpdate,
  merchantReplyUpdate,
  proposeResolutionUpdate,
  repairCompletedUpdate,
  returnReceivedUpdate,
  returnShipmentUpdate,
  satisfactionUpdate,
  submitUpdate,
  phoneCallbackUpdate,
  testingResultUpdate,
  markUpsetUpdate,
} from '../../shared/messages';
import { DEFAULT_POLICY, SlaPolicy } from '../../shared/policy';
import { trustFixWorkflowId } from '../../shared/trust';
import { caseModel } from '../../store/cases';
import { casesById, insertFix, trustFixModel } from '../../store/trustFixes';
import type { complaintWorkflow } from '../../workflows';
import type { Harness } from '../stack/harness';
import { DAY, HOUR, MINUTE, type ModelCalendar, localDate, localWeekday } from './model';
import type { Act, CaseScript, FaultScript, OverrideScript, ProposalScript, StepName } from './script';

/**
 * Plays one case's script on a harness (its own time-skipping server, sandbox and worker): opens
 * the case at the scripted local time, then lets each person act on time, late, twice or never,
 * arms the scripted provider faults, and finally lets the case run out its deadlines (HORIZON).
 * Every wait for the workflow's own pace is bounded; a case the script cannot drive on is left
 * waiting, which the invariants then judge.
 */

export type CaseHandle = WorkflowHandle<typeof complaintWorkflow>;

export interface CaseRun {
  script: CaseScript;
  complaintId: string;
  handle: CaseHandle;
  policy: SlaPolicy;
  cal: ModelCalendar;
  openedAt: number;
  /** The language the customer's messages must be in (the directory may not know `en` yet). */
  locale: 'zh-CN' | 'en';
  customerId: string;
  merchantId: string;
  orderId: string;
  /** What the driver did, in order: for the report of a violating case. */
  log: string[];
  /** Out-of-order actions and whether the workflow refused them. */
  wrongOrder: Array<{ action: string; before: string; refused: boolean; detail: string }>;
  /**
   * Each plan the workflow accepted, in order: a proposal as sent, or the customer's choice. What the
   * invariants judge the solution's obligations by (docs/domain.md §7.1, §7.9).
   */
  plans: PlanMade[];
  /** The options the merchant's reply offered (docs/domain.md §7.9), and when it was sent. */
  offered: { at: number; options: NonNullable<CaseScript['offer']>['options'] } | null;
  /** What the customer suggested on a phone call that reached them (docs/domain.md §9.4), and when. */
  suggestion: { at: number; text: string } | null;
  /** docs/domain.md §7.8: when the order service says the goods were signed for, or null. */
  deliveredAt: number | null;
  /** docs/domain.md §2.2: each "extremely upset" mark tried, by whom, and whether the workflow refused it. */
  upsetMarks: Array<{ at: number; by: string; refused: string | null }>;
  /** docs/domain.md §9.6: the root-cause fix recorded against the case, its words and when. */
  fix: { fixId: string; at: number; whatChanged: string; whatChangedEn: string | null; smsOut: boolean } | null;
  /** Approvals decided by the role an escalation named: whether the workflow let them. */
  escalatedApprovals: Array<{ role: string; refused: boolean; detail: string }>;
  stoppedAt: string | null;
  endedAt: number;
  /** Outages armed with an end: the service and when the driver disarms it (simulated ms). */
  outages: Map<string, number>;
  /** The case as the driver saw it at each step and at least once a simulated day: what liveness is judged on. */
  snapshots: Snapshot[];
  /** The view of a case whose workflow completed (see `view`): it cannot change any more. */
  finalView: CaseViewV1 | null;
  /** Gives back the time-skipping lock a query left held when it met a continue-as-new (see `view`). */
  releaseQueryLock: () => Promise<void>;
  /**
   * A call to the server cancelled at its deadline: one the driver gave up on must not go on retrying
   * after the run has stopped the server and closed the connection (its retry then throws, uncaught).
   */
  underDeadline: <T>(ms: number, call: () => Promise<T>) => Promise<T>;
}

export interface PlanMade {
  at: number;
  type: ProposalScript['type'];
  /** The customer's choice the plan is (docs/domain.md §7.9), or null for a proposal. */
  choice: string | null;
  apology?: string;
  warrantyMonths?: number;
  dedicatedAgentId?: string;
  testingLab?: string;
  /** How staff record the lab's result of this plan's test (the script's, docs/domain.md §8.6). */
  testing?: ProposalScript['testing'];
  /** docs/domain.md §7.8: a refund that takes the goods back first, and any coupon beside it. */
  returnFirst?: boolean;
  couponFen?: number;
  by: string;
}

/** What the liveness invariants read of the case at one instant. */
export interface Snapshot {
  at: number;
  status: string;
  stage: string;
  owner: string | null;
  priority: string;
  deadlines: Array<{ kind: string; dueAt: string; since: string; rung: number; paused: boolean }>;
  waitingSteps: string[];
  awaitingEvidence: boolean;
  round: number;
}

/** How long after opening a case that does not close is left to run out its deadlines and ladders. */
export const HORIZON_MS = 30 * DAY;
/** A silent party's step: how long the driver lets the clocks act before staff do what the product asks of them. */
const SILENT_LIMIT_MS = 14 * DAY;
/** Real-time bound on waiting for the workflow's own pace (activities run in real time). */
const SETTLE_MS = 20_000;

const agent: Actor = { sub: 'agent-7', role: 'agent' };
const staff = (role: 'supervisor' | 'ops_manager' | 'compliance' | 'agent'): Actor => ({ sub: `${role}-1`, role });
/** Who decides a proposal: never whoever proposed it (docs/domain.md §7.7), so another person of the role. */
const approver = (role: Parameters<typeof staff>[0]): Actor => ({ sub: `${role}-2`, role });

async function now(h: Harness): Promise<number> {
  return h.env.currentTimeMs();
}

/**
 * Skips test-server time to `ms`. The time-skipping server now and then stops skipping for good
 * (after it refused a workflow task's completion, or answered "Completed workflow" to one): its
 * clock then runs at real pace with nothing happening. A skipping server jumps, and a workflow
 * waiting on a provider has an answer held by the sandbox (a `timeout` fault holds one up to an
 * adapter's 5–10 s deadline, and each retry starts another). So a sleep whose server clock has not
 * jumped for QUIET_MS while no answer is held is stalled: it throws TimeSkippingStalled, and the
 * lane replaces its harness (run.ts). A fixed bound had to outlast the longest run of held answers
 * (30 s), which cost the fixed-seed run in `npm test` most of a minute per stall.
 */
async function sleepUntil(h: Harness, ms: number): Promise<void> {
  const t = await now(h);
  if (ms <= t) return;
  let settled = false;
  const done = h.env.sleep(ms - t).finally(() => (settled = true));
  let quietSince = Date.now();
  let last = { real: Date.now(), server: t };
  while (!settled) {
    await Promise.race([done, new Promise((r) => setTimeout(r, 1_000))]);
    if (settled) break;
    const real = Date.now();
    const server = await withinMs(now(h), 2_000);
    const jumped = server !== null && server - last.server > real - last.real + 1_000;
    if (server !== null) last = { real, server };
    if (jumped || (await heldAnswers(h)) > 0) quietSince = real;
    else if (real - quietSince > QUIET_MS) {
      done.catch(() => undefined);
      throw new TimeSkippingStalled(
        `time skipping stalled at ${new Date(last.server).toISOString()} (sleeping to ${new Date(ms).toISOString()})`,
      );
    }
  }
  await done;
}

const QUIET_MS = 8_000;

async function withinMs<T>(p: Promise<T>, ms: number): Promise<T | null> {
  p.catch(() => undefined);
  return Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ms).unref())]);
}

/** Provider answers the sandbox is holding back (a `timeout` fault), their callers still waiting. */
async function heldAnswers(h: Harness): Promise<number> {
  const res = await sandbox(h, 'GET', '/_faults/held');
  return ((await res.json()) as { held: number }).held;
}

export class TimeSkippingStalled extends Error {}

/** `Etc/GMT-N` is UTC+N (the IANA sign is inverted). */
const zoneName = (offsetHours: number) =>
  offsetHours === 0 ? 'Etc/GMT' : `Etc/GMT${offsetHours > 0 ? '-' : '+'}${Math.abs(offsetHours)}`;

/** The instant and calendar for the scripted arrival: a zone that makes the local clock read hh:mm. */
export function arrival(script: CaseScript, nowMs: number): { at: number; cal: ModelCalendar } {
  const { hour, minute, dayKind, skipDays } = script.arrival;
  // The next instant whose UTC minute is `minute`, at least a minute from now.
  let at = Math.floor((nowMs + 60_000) / 60_000) * 60_000;
  while (new Date(at).getUTCMinutes() !== minute) at += 60_000;
  at += skipDays * DAY;
  let offset = (((hour - new Date(at).getUTCHours()) % 24) + 24) % 24;
  if (offset > 14) offset -= 24;
  const cal: ModelCalendar = {
    offsetHours: offset,
    serviceStartMin: 9 * 60,
    serviceEndMin: 21 * 60,
    workingWeekdays: [1, 2, 3, 4, 5],
    holidays: [...DEFAULT_POLICY.calendar.holidays],
    makeUpWorkdays: [...DEFAULT_POLICY.calendar.makeUpWorkdays],
  };
  const weekend = dayKind === 'weekend' || dayKind === 'makeup';
  while (localWeekday(at, cal) >= 6 !== weekend) at += DAY;
  const date = localDate(at, cal);
  if (dayKind === 'holiday') cal.holidays.push(date);
  if (dayKind === 'makeup') cal.makeUpWorkdays.push(date);
  for (const d of script.extraHolidays) {
    const x = localDate(at + d * DAY, cal);
    if (!cal.makeUpWorkdays.includes(x)) cal.holidays.push(x);
  }
  for (const d of script.extraMakeUpDays) {
    const x = localDate(at + d * DAY, cal);
    if (!cal.holidays.includes(x) && localWeekday(at + d * DAY, cal) >= 6) cal.makeUpWorkdays.push(x);
  }
  return { at, cal };
}

/**
 * The hook for forced continue-as-new: the workflow side is adding a policy
 * option that lowers the threshold. When the policy schema has such a field, the script's
 * `continueAsNewEvery` goes there; until then the hook changes nothing.
 */
export function withContinueAsNew(policy: Record<string, unknown>, every: number | null): Record<string, unknown> {
  if (every === null) return policy;
  const shape = (SlaPolicy as unknown as { shape: Record<string, unknown> }).shape;
  const field = Object.keys(shape).find((k) => /continueAsNew/i.test(k));
  return field ? { ...policy, [field]: every } : policy;
}

export function policyFor(script: CaseScript, cal: ModelCalendar): SlaPolicy {
  // A policy lists each date once and claims every year it has dates of (shared/policy.ts refuses anything else).
  const holidays = [...new Set(cal.holidays)];
  const makeUpWorkdays = [...new Set(cal.makeUpWorkdays)];
  const years = [...holidays, ...makeUpWorkdays].map((date) => Number(date.slice(0, 4)));
  const coveredYears = [...new Set([...DEFAULT_POLICY.calendar.coveredYears, ...years])].sort();
  const calendar = {
    ...DEFAULT_POLICY.calendar,
    timeZone: zoneName(cal.offsetHours),
    holidays,
    makeUpWorkdays,
    coveredYears,
  };
  return SlaPolicy.parse(withContinueAsNew({ ...DEFAULT_POLICY, calendar }, script.continueAsNewEvery));
}

async function sandbox(h: Harness, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${h.sandbox.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function armFault(h: Harness, run: CaseRun, f: FaultScript): Promise<void> {
  const res = await sandbox(h, 'POST', '/_faults', {
    service: f.service,
    mode: f.mode,
    rate: f.rate,
    ...(f.count ? { count: f.count } : {}),
  });
  const at = await now(h);
  // Arming a service again replaces its earlier fault (sandbox/faults.ts), and so its end.
  if (f.durationMs !== undefined) run.outages.set(f.service, at + f.durationMs);
  else run.outages.delete(f.service);
  run.log.push(
    `fault ${f.service} ${f.mode} rate=${f.rate} ${f.count ? `count=${f.count}` : `for ${Math.round((f.durationMs ?? 0) / 1000)} s`}: ${res.status}`,
  );
}

/**
 * Moves simulated time to `ms` the way the world would: each outage ends when its time is up (a
 * fault of rate 0 replaces it: the sandbox counts no end of its own), and the case is looked at
 * least once a simulated day (the liveness invariants read these snapshots).
 */
export async function advance(h: Harness, run: CaseRun, ms: number): Promise<void> {
  for (;;) {
    const t = await now(h);
    if (ms <= t) return;
    const ends = [...run.outages.entries()].filter(([, end]) => end <= ms).sort((a, b) => a[1] - b[1]);
    const stop = Math.min(ms, t + DAY, ends[0]?.[1] ?? Infinity);
    await sleepUntil(h, stop);
    for (const [service, end] of ends) {
      if (end > stop) continue;
      await sandbox(h, 'POST', '/_faults', { service, mode: 'error', rate: 0 });
      run.outages.delete(service);
      run.log.push(`outage of ${service} ends`);
    }
    await snapshot(h, run);
  }
}

/** Records what the case looks like now (see Snapshot). */
export async function snapshot(h: Harness, run: CaseRun): Promise<CaseViewV1> {
  const [v, at] = [await view(run), await now(h)];
  run.snapshots.push({
    at,
    status: v.status,
    stage: v.stage,
    owner: v.owner,
    priority: v.priority,
    deadlines: v.deadlines.map((d) => ({
      kind: d.kind,
      dueAt: d.dueAt,
      since: d.since,
      rung: d.rung,
      paused: d.paused,
    })),
    waitingSteps: v.resolution.steps.filter((x) => x.status === 'waiting').map((x) => x.name),
    awaitingEvidence: v.awaitingEvidence,
    round: v.round,
  });
  return v;
}

/** Lets simulated time run a day at a time until `ok` or `limitMs` passed: how a silent party's clock gets to act. */
async function letTimeRun(
  h: Harness,
  run: CaseRun,
  ok: (v: CaseViewV1) => boolean,
  limitMs: number,
): Promise<CaseViewV1 | null> {
  const end = (await now(h)) + limitMs;
  for (;;) {
    const v = await snapshot(h, run);
    if (ok(v)) return v;
    const t = await now(h);
    if (t >= end) return null;
    await advance(h, run, Math.min(end, t + DAY));
  }
}

/** A free text an actor writes: as given, or (script.longTexts) filled to the contract's maximum for it. */
export function text(run: CaseRun, key: ApiTextKey, given: string): string {
  return run.script.longTexts ? fill(given, apiTextMax(key)) : given;
}

function fill(given: string, max: number): string {
  let out = given;
  while (out.length < max) out += ` ${given}`;
  out = out.slice(0, max);
  // The API trims: a text that ends in a space would arrive a character short.
  return /\s$/.test(out) ? `${out.slice(0, -1)}。` : out;
}

export async function clearFaults(h: Harness): Promise<void> {
  await sandbox(h, 'DELETE', '/_faults');
}

/** Whom the current plan's overdue approval was escalated to: its own breach, not an earlier plan's or round's. */
function approvalEscalatedTo(v: CaseViewV1): string | undefined {
  const proposedAt = Date.parse(v.resolution.proposal?.at ?? '');
  return v.breaches
    .filter((b) => b.kind === 'approval' && Date.parse(b.dueAt) >= proposedAt)
    .map((b) => b.escalatedTo)
    .pop();
}

/**
 * The case view, by query. The worker answers a query from its cache within milliseconds (a second
 * or two on a loaded machine); once the test server has answered a workflow task's completion
 * "workflow execution already completed", it leaves the case's queries unanswered (seen for 80 s,
 * until the idle connection was dropped for "excess pings"), so a query unanswered for QUERY_MS is
 * the server's stall, and the case is not judged.
 */
async function view(run: CaseRun, retried = false): Promise<CaseViewV1> {
  if (run.finalView) return run.finalView;
  // That answer is the server's fault when a query meets the task deciding a continue-as-new
  // (docs/liveness.md): asking between workflow tasks makes the meeting rare.
  const asked = await betweenTasks(run);
  const v = await withinMs(
    run.underDeadline(QUERY_MS + 1_000, () => run.handle.query(caseViewQuery)),
    QUERY_MS,
  );
  if (v === null) {
    // The run asked has continued as new: the server handed the query to it after it closed, and
    // holds the time-skipping lock it took for that query for good (one lock per such query, read in
    // sdk-java's StateMachines.scheduleQueryWorkflowTask). Give that one lock back and ask the new run.
    if (!retried && (await run.handle.describe()).runId !== asked) {
      run.log.push(`(a query met a continue-as-new; its time-skipping lock given back, asked again)`);
      await run.releaseQueryLock();
      return view(run, true);
    }
    throw new TimeSkippingStalled(`a query got no answer within ${QUERY_MS} ms`);
  }
  // A completed workflow's history is final, and the worker answers each query on it by replaying
  // the whole history (seconds for a month of a case): a driver still letting days pass for a late
  // rating read the same view again each simulated day.
  if (v.status === 'closed' && (await run.handle.describe()).status.name === 'COMPLETED') run.finalView = v;
  return v;
}

const QUERY_MS = 10_000;

/** Until the case has no workflow task pending (bounded: a case kept busy is queried anyway); the run it then is. */
async function betweenTasks(run: CaseRun): Promise<string> {
  const end = Date.now() + QUERY_MS;
  for (;;) {
    const d = await run.handle.describe();
    if (!d.raw.pendingWorkflowTask || Date.now() >= end) return d.runId;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Polls the case until `ok` (real time, bounded); null when it never got there. */
async function until(run: CaseRun, ok: (v: CaseViewV1) => boolean, timeoutMs = SETTLE_MS): Promise<CaseViewV1 | null> {
  const end = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    const v = await view(run);
    if (ok(v)) return v;
    if (Date.now() > end) return null;
    if (i % 10 === 9) await assertTasksHealthy(run);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A workflow task that keeps failing freezes the case: stop driving at once (the invariants report it). */
export async function assertTasksHealthy(run: CaseRun): Promise<void> {
  const d = await run.handle.describe();
  const attempt = d.raw.pendingWorkflowTask?.attempt ?? 0;
  if (attempt >= 2) throw new WorkflowTaskFailing(`workflow task failing (attempt ${attempt})`);
}

export class WorkflowTaskFailing extends Error {}

/** Updates wait for the workflow to accept them: a failing task would hold them forever. */
async function update<T>(run: CaseRun, call: () => Promise<T>, tries = 3): Promise<T> {
  // Past the loop's own bound below, so that bound is what the driver reports.
  const p = run.underDeadline(SETTLE_MS + 5_000, call).catch(async (err: unknown) => {
    // The test server now and then answers an update's poll with "update … not found": ask again.
    if (
      tries > 1 &&
      !(err instanceof WorkflowUpdateFailedError) &&
      /update .* not found/i.test((err as Error).message) &&
      (await run.handle.describe()).status.name === 'RUNNING'
    ) {
      run.log.push(`(update lost by the server, sent again: ${(err as Error).message})`);
      await new Promise((r) => setTimeout(r, 300));
      return update(run, call, tries - 1);
    }
    throw err;
  });
  const end = Date.now() + SETTLE_MS;
  const lostAfter = Date.now() + TASK_LOST_MS;
  for (;;) {
    const tick = new Promise<'tick'>((r) => setTimeout(() => r('tick'), 2_000));
    const r = await Promise.race([p, tick]);
    if (r !== 'tick') return r;
    await assertTasksHealthy(run);
    if (Date.now() > lostAfter && (await workflowTaskStarted(run))) {
      // The update's workflow task cancelled a deadline's timer that fired while the task was with
      // the worker: the test server refuses that completion ("invalid history builder state for
      // action") and leaves the task started for good (temporalio/sdk-java#2606, #3088). A real
      // server drops the buffered fire and records the cancel; here the case cannot go on.
      p.catch(() => undefined);
      throw new TimeSkippingStalled('the test server left a workflow task started for good');
    }
    if (Date.now() > end) {
      p.catch(() => undefined);
      throw new Error(`an update got no answer within ${SETTLE_MS} ms`);
    }
  }
}

/** Real time after which an unanswered update whose workflow task stays started counts as lost by the server. */
const TASK_LOST_MS = 6_000;

/** Whether the history ends in a started workflow task (the test server's describe does not say). */
async function workflowTaskStarted(run: CaseRun): Promise<boolean> {
  const events = (await run.handle.fetchHistory()).events ?? [];
  return events.at(-1)?.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED;
}

function refusalOf(err: unknown): string | null {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause as { type?: string; message?: string } | undefined;
    return cause?.type ?? cause?.message ?? 'refused';
  }
  return null;
}

/** Runs an update; a refusal is an answer (returned), anything else is the driver's failure. */
async function attempt(run: CaseRun, what: string, call: () => Promise<unknown>): Promise<string | null> {
  try {
    await update(run, call);
    run.log.push(`${what}: ok`);
    return null;
  } catch (err) {
    let refused = refusalOf(err);
    // A late act on a case whose workflow already ended (closed without feedback): the test server
    // answers "update … not found"; that is a refusal of a closed case, not the driver's failure.
    if (refused === null && (await run.handle.describe()).status.name !== 'RUNNING') refused = 'workflow_closed';
    if (refused === null) throw err;
    run.log.push(`${what}: refused ${refused}`);
    return refused;
  }
}

export async function openCase(h: Harness, script: CaseScript): Promise<CaseRun> {
  const { at, cal } = arrival(script, await now(h));
  await sleepUntil(h, at);
  const id = `${script.seed}-${script.n}-${randomUUID().slice(0, 6)}`;
  const customerId = `c-${id}`;
  const merchantId = `m-${id}`;
  const sku = `sku-${id}`;
  const orderId = `o-${id}`;
  const waybill = script.withWaybill ? { carrier: 'sf', waybillNo: `SF${script.seed}${script.n}` } : {};
  // docs/domain.md §7.2, §7.8: what the order service says of how the order was paid and its delivery.
  const { paymentMethod, deliveredHoursBefore, sevenDayReturn } = script.order;
  const deliveredAt = deliveredHoursBefore === null ? null : at - deliveredHoursBefore * HOUR;
  const order = {
    orderId,
    customerId,
    merchantId,
    amountPaidFen: script.amountPaidFen,
    sku,
    ...waybill,
    ...(paymentMethod ? { paymentMethod } : {}),
    ...(deliveredAt !== null ? { deliveredAt: new Date(deliveredAt).toISOString() } : {}),
  };
  const items = [
    { sku, quantity: 1, priceFen: script.amountPaidFen, ...(sevenDayReturn !== null ? { sevenDayReturn } : {}) },
  ];
  const paidAt = new Date(Math.min(at - 3 * DAY, (deliveredAt ?? at) - DAY)).toISOString();
  const put = await sandbox(h, 'PUT', `/orders/${orderId}`, { ...order, items, paidAt });
  if (!put.ok) throw new Error(`PUT order: ${put.status}`);
  let locale: 'zh-CN' | 'en' = 'zh-CN';
  if (script.locale === 'en') {
    // The customer directory says the language (docs/domain.md §10.5); a sandbox without it leaves zh-CN, the default.
    const res = await sandbox(h, 'PUT', `/customers/${customerId}`, {
      name: 'Li Lei',
      tier: 'regular',
      locale: 'en',
    }).catch(() => null);
    if (res?.ok) locale = 'en';
  }
  const policy = policyFor(script, cal);
  const customer: Actor = { sub: customerId, role: 'customer', customerId };
  const input: ComplaintWorkflowInput = {
    complaintId: `cmp-${customerId}-${orderId}-${script.subType}`,
    openedAt: new Date(await now(h)).toISOString(),
    openedBy: customer,
    submissionId: randomUUID(),
    intake: {
      channel: script.channel as ComplaintWorkflowInput['intake']['channel'],
      // What intake (api/intake.ts) records from the customer directory: the workflow reads it from the case.
      customer: {
        id: customerId,
        name: 'Li Lei',
        phone: `+86138${String(script.n).padStart(8, '0').slice(-8)}`,
        memberTier: 'regular',
        locale,
      },
      order: { ...order, items, paidAt },
      category: script.category as ComplaintWorkflowInput['intake']['category'],
      subType: script.subType,
      description: script.longTexts
        ? fill('水壶用了两天就漏水 (the kettle leaks)', apiTextMax('POST /v1/complaints description'))
        : '水壶用了两天就漏水 (the kettle leaks)',
      desiredOutcome: 'refund',
      priority: script.priority,
      // A crisis reason as the classification writes it (shared/classification.ts: `<rule>:<words>`).
      priorityReasons: script.crisis ? [`${script.crisis}:simulation`] : ['simulation'],
      evidence: [],
    },
    suggestedCategory: null,
    repeatOf: null,
    policy,
  };
  const run: CaseRun = {
    script,
    complaintId: input.complaintId,
    handle: undefined as unknown as CaseHandle,
    policy,
    cal,
    openedAt: Date.parse(input.openedAt),
    locale,
    customerId,
    merchantId,
    orderId,
    log: [],
    wrongOrder: [],
    plans: [],
    offered: null,
    suggestion: null,
    deliveredAt,
    upsetMarks: [],
    fix: null,
    escalatedApprovals: [],
    stoppedAt: null,
    endedAt: 0,
    outages: new Map(),
    snapshots: [],
    finalView: null,
    releaseQueryLock: async () => {
      await h.env.connection.testService?.unlockTimeSkipping({});
    },
    underDeadline: (ms, call) => h.env.connection.withDeadline(Date.now() + ms, call),
  };
  for (const f of script.faults) if (f.before === 'open') await armFault(h, run, f);
  run.handle = (await h.env.client.workflow.start('complaintWorkflow', {
    workflowId: input.complaintId,
    taskQueue: h.taskQueue,
    args: [input],
  })) as CaseHandle;
  run.log.push(
    `opened ${input.openedAt} (local ${String(script.arrival.hour).padStart(2, '0')}:${String(script.arrival.minute).padStart(2, '0')} ${script.arrival.dayKind}, zone ${policy.calendar.timeZone})`,
  );
  await update(run, () =>
    run.handle.executeUpdate(submitUpdate, {
      args: [{ submissionId: input.submissionId, channel: input.intake.channel, evidence: [], actor: customer }],
    }),
  );
  return run;
}

/** Drives the whole script; returns when the case is closed or the script has nothing left to do. */
export async function drive(h: Harness, run: CaseRun): Promise<void> {
  const s = run.script;
  const customer: Actor = { sub: run.customerId, role: 'customer', customerId: run.customerId };
  const merchant: Actor = { sub: `${run.merchantId}-staff`, role: 'merchant', merchantId: run.merchantId };
  const en = run.locale === 'en';

  const beforeStep = async (step: StepName) => {
    await snapshot(h, run);
    for (const f of s.faults) if (f.before === step) await armFault(h, run, f);
    for (const w of s.wrongOrder) if (w.before === step) await wrongOrder(run, w.action, step, customer);
    for (const o of s.overrides) if (o.before === step) await override(run, o);
    if (s.upset?.before === step) await markUpset(h, run, s.upset.again);
  };
  /** Waits out the act's delay from `from`; false when the person never acts. */
  const when = async (step: string, a: Act, from: number): Promise<boolean> => {
    if (a.timing === 'never') {
      run.log.push(`${step}: never`);
      return false;
    }
    await advance(h, run, from + a.delayMs);
    return true;
  };
  const twice = async (a: Act, what: string, call: () => Promise<unknown>) => {
    const first = await attempt(run, what, call);
    if (a.timing === 'twice') await attempt(run, `${what} (again)`, call);
    return first;
  };
  const stop = (why: string) => {
    run.stoppedAt = why;
    run.log.push(`driver stops: ${why}`);
  };

  // Assignment and the first response.
  await beforeStep('assign');
  if (!(await when('assign', s.assign, run.openedAt))) return stop('assign never');
  await twice(s.assign, 'assign', () =>
    run.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] }),
  );
  const assignedAt = await now(h);
  await beforeStep('first_response');
  // The first response is timed from the opening (its deadline's start), never before the assignment.
  if (!(await when('first_response', s.firstResponse, Math.max(run.openedAt, assignedAt - s.firstResponse.delayMs))))
    return stop('first response never');
  if (s.firstResponse.badWordingFirst) {
    const refused = await attempt(run, 'first response with banned wording', () =>
      run.handle.executeUpdate(firstResponseUpdate, {
        args: [{ message: '这很正常，您误会了。', requestEvidence: false, actor: agent }],
      }),
    );
    run.wrongOrder.push({
      action: 'first response with banned wording',
      before: 'first_response',
      refused: refused !== null,
      detail: refused ?? 'accepted',
    });
  }
  const greeting = text(
    run,
    'POST /v1/complaints/:id/first-response message',
    en ? 'Hello, we are checking the problem you reported.' : '您好，我们正在核实您反映的问题。',
  );
  await twice(s.firstResponse, 'first response', () =>
    run.handle.executeUpdate(firstResponseUpdate, {
      args: [{ message: greeting, requestEvidence: s.firstResponse.requestEvidence, actor: agent }],
    }),
  );
  const investigating = await until(run, (v) => v.investigation.dueAt !== null || v.status === 'closed');
  if (!investigating) return stop('the investigation never started');
  const invStart = await now(h);
  if (s.firstResponse.requestEvidence) {
    await beforeStep('evidence');
    if (await when('evidence', s.evidence, invStart)) {
      await attempt(run, 'evidence', () =>
        run.handle.executeUpdate(addEvidenceUpdate, {
          args: [{ items: [{ kind: 'photo', url: 'https://img.example.com/leak.jpg', note: '' }], actor: customer }],
        }),
      );
    } else {
      // The customer never sends it: the evidence window (docs/domain.md §6.3, 3 working days) ends the wait and the investigation goes on.
      const resumed = await letTimeRun(h, run, (v) => !v.awaitingEvidence || v.status === 'closed', SILENT_LIMIT_MS);
      if (!resumed) return stop('the evidence wait never ended');
    }
  }

  // The investigation: merchant reply, extension and brief, in the order their times fall.
  const investigation: Array<{ step: StepName; a: Act; run: () => Promise<unknown> }> = [
    {
      step: 'merchant_reply',
      a: s.merchantReply,
      run: async () => {
        const options = s.offer?.options;
        const answer = await run.handle.executeUpdate(merchantReplyUpdate, {
          args: [
            {
              message: text(run, 'POST /v1/complaints/:id/merchant-reply message', '同意退货退款'),
              accepts: true,
              ...(options ? { options } : {}),
              actor: merchant,
            },
          ],
        });
        if (options && !run.offered) run.offered = { at: await now(h), options };
        return answer;
      },
    },
    {
      step: 'brief',
      a: s.brief,
      run: () =>
        run.handle.executeUpdate(briefUpdate, {
          args: [
            {
              responsibility: s.responsibility,
              findings: text(
                run,
                'POST /v1/complaints/:id/investigation/brief findings',
                'Defect confirmed from the photos',
              ),
              actor: agent,
            },
          ],
        }),
    },
  ];
  const extendReason = text(
    run,
    'POST /v1/complaints/:id/investigation/extend reason',
    en ? "We need the merchant's test report" : '需要商家提供检测报告',
  );
  if (s.extend.enabled)
    investigation.push({
      step: 'extend',
      a: s.extend,
      run: () =>
        run.handle.executeUpdate(extendInvestigationUpdate, { args: [{ reason: extendReason, actor: agent }] }),
    });
  const base = await now(h);
  investigation.sort((x, y) => x.a.delayMs - y.a.delayMs);
  let briefed = false;
  for (const item of investigation) {
    await beforeStep(item.step);
    if (!(await when(item.step, item.a, base))) continue;
    const refused = await twice(item.a, item.step, item.run);
    if (item.step === 'brief') briefed = refused === null;
  }
  if (!briefed) return stop('no brief');

  // docs/domain.md §7.9: the customer chooses among the merchant's options (or lets the window end) before anyone proposes.
  let choicePlanned = false;
  if (s.choiceWithoutOffer) await chooseUnoffered(run, customer);
  if (s.offer) {
    const outcome = await choose(h, run, customer, beforeStep, when, twice);
    if (outcome !== 'rejected' && outcome !== 'none' && outcome !== 'executed') return stop(outcome);
    choicePlanned = outcome === 'executed';
  }

  // Proposals, approvals, execution, the customer's answer and the rating. A step that failed or was
  // called off hands the case back in its round: the next proposal of that round is made.
  const queues: Record<number, ProposalScript[]> = { 1: [...s.proposals], 2: [...s.round2] };
  for (let pass = 0; pass < 6; pass++) {
    const round = (await view(run)).round >= 2 ? 2 : 1;
    const outcome = choicePlanned ? 'executed' : await plan(h, run, queues[round], beforeStep, when, twice);
    choicePlanned = false;
    if (outcome !== 'executed') return stop(outcome);
    await beforeStep('customer_response');
    const awaiting = await until(
      run,
      (v) => v.status !== 'executing' || v.resolution.steps.some((x) => x.status === 'waiting'),
      SETTLE_MS,
    );
    if (!awaiting) {
      // A step against a provider that is down (a refund retried for days) holds the case in `executing`.
      const moved = await letTimeRun(
        h,
        run,
        (v) => v.status !== 'executing' || v.resolution.steps.some((x) => x.status === 'waiting'),
        SILENT_LIMIT_MS,
      );
      if (!moved) return stop('execution never finished');
    }
    const execDone = await executionSteps(h, run, merchant, customer, when, twice);
    if (!execDone) return stop('execution steps not finished');
    const objection = await until(run, (v) => v.status !== 'executing');
    if (!objection) return stop('after execution: still executing');
    if (objection.status === 'in_progress') continue;
    if (objection.status === 'awaiting_customer') {
      const t = await now(h);
      await phoneCall(h, run, s, when, twice);
      if (await when('customer_response', s.customerResponse, t)) {
        const reason = s.customerResponse.accept
          ? undefined
          : text(run, 'POST /v1/complaints/:id/customer-response reason', '退款金额不对');
        await twice(s.customerResponse, 'customer response', () =>
          run.handle.executeUpdate(customerResponseUpdate, {
            args: [{ accept: s.customerResponse.accept, reason, actor: customer }],
          }),
        );
      } else {
        await advance(h, run, t + 25 * HOUR);
      }
    }
    await beforeStep('satisfaction');
    const feedback = await until(
      run,
      (v) => v.status === 'awaiting_feedback' || v.status === 'in_progress' || v.status === 'closed',
    );
    if (!feedback) return stop('never reached feedback');
    if (feedback.status === 'closed') return;
    if (feedback.status === 'in_progress') {
      if (round === 2) return stop('reopened after round two');
      continue;
    }
    const t = await now(h);
    if (!(await when('satisfaction', s.satisfaction, t))) return stop('no rating');
    const comment = s.longTexts
      ? text(run, 'POST /v1/complaints/:id/satisfaction comment', en ? 'Thanks for the follow-up.' : '谢谢跟进。')
      : undefined;
    await twice(s.satisfaction, 'satisfaction', () =>
      run.handle.executeUpdate(satisfactionUpdate, {
        args: [{ rating: s.satisfaction.rating, comment, actor: customer }],
      }),
    );
    const after = await until(run, (v) => v.status === 'closed' || v.status === 'in_progress');
    if (!after || after.status === 'closed') return;
    if (round === 2) return stop('reopened after round two');
  }
  stop('re-planned too often');
}

/**
 * docs/domain.md §9.4: the owner (or, in round two, the supervisor who owns it) phones a high-priority customer back and
 * records the outcome, or never does (the call's ladder runs, the SMS callback goes at 12 h).
 */
async function phoneCall(
  h: Harness,
  run: CaseRun,
  s: CaseScript,
  when: (step: string, a: Act, from: number) => Promise<boolean>,
  twice: (a: Act, what: string, call: () => Promise<unknown>) => Promise<string | null>,
): Promise<void> {
  const v = await view(run);
  const call = v.phoneCallback;
  if (!call || call.round !== v.round || call.outcome) return;
  if (!(await when('phone_callback', s.phoneCallback, Date.parse(v.resolution.executedAt ?? call.dueAt)))) return;
  const by: Actor = v.owner === agent.sub || v.owner === null ? agent : { sub: v.owner, role: 'supervisor' };
  const { reached, rating } = s.phoneCallback;
  const notes = s.longTexts ? text(run, 'POST /v1/complaints/:id/phone-callback notes', '顾客表示满意') : undefined;
  const suggestion =
    reached && s.phoneCallback.suggestion
      ? text(run, 'POST /v1/complaints/:id/phone-callback suggestion', '建议商品页写明水壶的使用方法')
      : undefined;
  const refused = await twice(s.phoneCallback, 'phone callback', () =>
    run.handle.executeUpdate(phoneCallbackUpdate, {
      args: [{ reached, ...(reached ? { rating } : {}), notes, suggestion, actor: by }],
    }),
  );
  if (refused === null && suggestion) run.suggestion = { at: await now(h), text: suggestion };
}

/** Staff correct the machine: the owner reclassifies (a supervisor out of compliance), a supervisor sets the priority. */
async function override(run: CaseRun, o: OverrideScript): Promise<void> {
  const current = await view(run);
  if (current.status === 'closed') return;
  if (o.what === 'reclassify' && o.category && o.subType) {
    const actor = current.category === 'compliance' ? staff('supervisor') : agent;
    const reason = text(run, 'POST /v1/complaints/:id/classification reason', '客服核实后更正分类');
    await attempt(run, `reclassify ${current.category} → ${o.category}/${o.subType} by ${actor.role}`, () =>
      run.handle.executeUpdate(reclassifyUpdate, {
        args: [{ category: o.category as never, subType: o.subType as never, reason, actor }],
      }),
    );
  } else if (o.what === 'priority' && o.priority) {
    const reason = text(run, 'POST /v1/complaints/:id/priority reason', '主管复核后调整优先级');
    await attempt(run, `priority ${current.priority} → ${o.priority}`, () =>
      run.handle.executeUpdate(changePriorityUpdate, {
        args: [{ priority: o.priority!, reason, actor: staff('supervisor') }],
      }),
    );
  }
}

/**
 * docs/domain.md §2.2: the owner marks the customer extremely upset (a supervisor when the case is not
 * the agent's); `again`: a second mark, which must be refused.
 */
async function markUpset(h: Harness, run: CaseRun, again: boolean): Promise<void> {
  const current = await view(run);
  if (current.status === 'closed') return;
  const by = current.owner === agent.sub ? agent : staff('supervisor');
  const reason = text(run, 'POST /v1/complaints/:id/upset reason', '客户情绪激动，多次表示要向媒体投诉');
  const mark = async (what: string) => {
    const refused = await attempt(run, `${what} by ${by.sub}`, () =>
      run.handle.executeUpdate(markUpsetUpdate, { args: [{ reason, actor: by }] }),
    );
    run.upsetMarks.push({ at: await now(h), by: by.sub, refused });
    return refused;
  };
  if ((await mark('marked extremely upset')) === null && again) {
    const refused = await mark('marked extremely upset again');
    run.wrongOrder.push({
      action: 'marked extremely upset twice',
      before: 'upset',
      refused: refused !== null,
      detail: refused ?? 'accepted',
    });
  }
}

/**
 * docs/domain.md §9.6: a supervisor or an operations manager records a root-cause fix against the case
 * (by its id, as `POST /v1/fixes` does: the fix's record, then its workflow), and the driver waits for
 * the customers to be told.
 */
export async function recordFix(h: Harness, run: CaseRun): Promise<void> {
  const fix = run.script.fix;
  if (!fix) return;
  const fixes = trustFixModel(h.mongo);
  const { found } = await casesById(caseModel(h.mongo), [run.complaintId]);
  if (found.length === 0) throw new Error(`recording a fix: no projection of ${run.complaintId}`);
  const at = await now(h);
  const fixId = `fix-${run.complaintId.slice(-24)}-${randomUUID().slice(0, 6)}`;
  const whatChanged = '商家已更换问题批次并加强出库质检';
  const whatChangedEn = fix.english ? 'The merchant replaced the faulty batch and checks every parcel' : null;
  await insertFix(fixes, {
    fixId,
    kind: 'product_batch',
    whatChanged,
    whatChangedEn,
    selector: null,
    recordedBy: { sub: `${fix.by}-1`, role: fix.by },
    recordedAt: new Date(at),
    policyVersion: 1,
    terms: run.policy.trustNotice,
    cases: found,
  });
  // The gateway that carries the notice carries the staff alerts too: while it is out, nobody can be alerted.
  run.fix = { fixId, at, whatChanged, whatChangedEn, smsOut: (run.outages.get('sms') ?? 0) > at };
  run.log.push(`fix ${fixId} recorded by ${fix.by}${whatChangedEn ? ' (with English words)' : ''}`);
  const handle = await h.env.client.workflow.start('trustFixWorkflow', {
    workflowId: trustFixWorkflowId(fixId),
    taskQueue: h.taskQueue,
    args: [{ fixId }],
  });
  await run.underDeadline(60_000, () => handle.result());
}

type When = (step: string, a: Act, from: number) => Promise<boolean>;
type Twice = (a: Act, what: string, call: () => Promise<unknown>) => Promise<string | null>;

/** Proposes (taking proposals off `queue`) until one executes (approval, rejection → next proposal); returns why it stopped otherwise. */
async function plan(
  h: Harness,
  run: CaseRun,
  queue: ProposalScript[],
  beforeStep: (s: StepName) => Promise<void>,
  when: When,
  twice: Twice,
): Promise<string> {
  for (let p = queue.shift(); p; p = queue.shift()) {
    const ready = await until(run, (v) => v.status === 'in_progress' || v.status === 'closed');
    if (!ready || ready.status === 'closed') return 'not in progress for a proposal';
    await beforeStep('propose');
    if (!(await when('propose', p.act, await now(h)))) return 'no proposal';
    const note = text(run, 'POST /v1/complaints/:id/resolution note', '根据调查结果提出的处理方案');
    const proposal = p;
    const apology = p.apologyWords
      ? text(
          run,
          'POST /v1/complaints/:id/resolution apology',
          run.locale === 'en'
            ? 'We are sorry for how our agent spoke to you. We have talked with the team.'
            : '对客服人员的服务态度给您带来的不快，我们深表歉意，已对相关人员进行培训。',
        )
      : undefined;
    const goodwill = {
      ...(apology ? { apology } : {}),
      ...(p.warrantyMonths !== undefined ? { warrantyMonths: p.warrantyMonths } : {}),
      ...(p.dedicatedAgentId !== undefined ? { dedicatedAgentId: p.dedicatedAgentId } : {}),
      ...(p.testingLab !== undefined ? { testingLab: p.testingLab } : {}),
    };
    const propose = (actor: Actor) => () =>
      run.handle.executeUpdate(proposeResolutionUpdate, {
        args: [
          {
            type: proposal.type,
            amountFen: proposal.amountFen,
            couponFen: proposal.couponFen,
            ...(proposal.returnFirst ? { returnFirst: true } : {}),
            note,
            ...goodwill,
            actor,
          },
        ],
      });
    // docs/domain.md §9.3: a reopened case is handled one level up: its agent may not propose round two, a supervisor does.
    const round = (await view(run)).round;
    if (round > 1 && !run.wrongOrder.some((w) => w.action === 'round two proposed by the agent')) {
      const r = await attempt(run, 'round two proposed by the agent', propose(agent));
      run.wrongOrder.push({
        action: 'round two proposed by the agent',
        before: 'propose',
        refused: r !== null,
        detail: r ?? 'accepted',
      });
      if (r === null) return 'round two taken by the agent';
    }
    const by = round > 1 ? staff('supervisor') : agent;
    // docs/domain.md §7.1: the dedicated agent's record fails while the plan is decided and carried out
    // (for good: longer than the record's retries), or for its first few tries.
    if (p.recordFault)
      await armFault(h, run, {
        before: 'propose',
        service: 'customers',
        mode: 'error',
        rate: 1,
        ...(p.recordFault === 'fails' ? { durationMs: 12 * HOUR } : { count: 3 }),
      });
    const refused = await twice(
      p.act,
      `propose ${p.type} ${p.amountFen ?? ''}${p.couponFen ? ` +coupon ${p.couponFen}` : ''}${round > 1 ? ' (supervisor)' : ''}`,
      propose(by),
    );
    if (refused) continue;
    run.plans.push({
      at: await now(h),
      type: p.type,
      choice: null,
      ...goodwill,
      ...(p.testing ? { testing: p.testing } : {}),
      ...(p.returnFirst ? { returnFirst: true } : {}),
      ...(p.couponFen !== undefined ? { couponFen: p.couponFen } : {}),
      by: by.sub,
    });
    const outcome = await decide(h, run, p.approval, beforeStep, when, twice);
    if (outcome !== 'rejected') return outcome;
  }
  return 'proposals used up';
}

/**
 * The customer tries to choose with nothing offered (docs/domain.md §7.9: 409): refused, unless the
 * case was offered options after all.
 */
async function chooseUnoffered(run: CaseRun, customer: Actor): Promise<void> {
  const v = await view(run);
  if (v.choice || v.status === 'closed') return;
  const refused = await attempt(run, 'choice with nothing offered', () =>
    run.handle.executeUpdate(customerChoiceUpdate, { args: [{ option: 'exchange', actor: customer }] }),
  );
  run.wrongOrder.push({
    action: 'choice with nothing offered',
    before: 'propose',
    refused: refused !== null,
    detail: refused ?? 'accepted',
  });
}

/**
 * docs/domain.md §7.9: the merchant offered options; the customer chooses one in time (it becomes the
 * plan, decided as any proposal), chooses too late or something not offered (refused), or never (the
 * window ends and the owner proposes). 'none' when nothing was offered or the window is over.
 */
async function choose(
  h: Harness,
  run: CaseRun,
  customer: Actor,
  beforeStep: (s: StepName) => Promise<void>,
  when: When,
  twice: Twice,
): Promise<string> {
  const offer = run.script.offer!;
  const v = await until(run, (x) => !!x.choice || x.status !== 'in_progress', 5_000);
  const choice = v?.choice;
  if (!choice || choice.chosen || choice.lapsed) return 'none';
  await beforeStep('customer_choice');
  const refusedChoice = async (action: string, option: string) => {
    const r = await attempt(run, action, () =>
      run.handle.executeUpdate(customerChoiceUpdate, { args: [{ option: option as never, actor: customer }] }),
    );
    run.wrongOrder.push({ action, before: 'customer_choice', refused: r !== null, detail: r ?? 'accepted' });
    return r;
  };
  if (
    offer.tryUnoffered &&
    (await refusedChoice(`choice of ${offer.tryUnoffered}, not offered`, offer.tryUnoffered)) === null
  )
    return 'a choice not offered was taken';
  const offeredAt = Date.parse(choice.offeredAt);
  const lapse = async () => {
    const lapsed = await letTimeRun(h, run, (x) => !!x.choice?.lapsed || x.status !== 'in_progress', 3 * DAY);
    return lapsed ? 'none' : 'the choice never lapsed';
  };
  if (!(await when('customer_choice', offer.choice, offeredAt))) return lapse();
  const option = offer.choice.option;
  const past = (await now(h)) >= Date.parse(choice.dueAt);
  const picked = offer.options.find((o) => o.option === option);
  // docs/domain.md §8.4: no payout above what the order paid; a choice that would pay more is refused.
  const abovePaid = (picked?.compensationFen ?? 0) > run.script.amountPaidFen;
  if (past || abovePaid) {
    if (
      (await refusedChoice(
        past ? `choice of ${option} after the window` : `choice of ${option} above what was paid`,
        option,
      )) === null
    )
      return 'a choice that must be refused was taken';
    return past ? 'none' : lapse();
  }
  const refused = await twice(offer.choice, `customer chooses ${option}`, () =>
    run.handle.executeUpdate(customerChoiceUpdate, { args: [{ option, actor: customer }] }),
  );
  if (refused !== null) return lapse();
  const chosen = await view(run);
  const type = chosen.resolution.proposal?.type ?? 'referral';
  run.plans.push({ at: await now(h), type, choice: option, by: customer.sub });
  return decide(h, run, offer.approval, beforeStep, when, twice);
}

/**
 * A plan was made: its approval is decided (by the scripted person, late, or by whoever its escalation
 * named) and the case executes it. 'rejected' when it goes back to be planned again.
 */
async function decide(
  h: Harness,
  run: CaseRun,
  decision: ProposalScript['approval'],
  beforeStep: (s: StepName) => Promise<void>,
  when: When,
  twice: Twice,
): Promise<string> {
  const v = await until(run, (x) => x.status !== 'in_progress');
  if (!v) return 'proposal did not move';
  if (v.status !== 'awaiting_approval') return 'executed';
  await beforeStep('approval');
  const start = await now(h);
  let role = decision.by;
  if (!(await when('approval', decision.act, start))) {
    // Nobody decides: the approval's ladder climbs and reports daily; after days the person it named decides.
    await letTimeRun(h, run, (x) => x.status !== 'awaiting_approval', 3 * DAY);
    role = 'escalated';
  }
  const current = await view(run);
  if (current.status !== 'awaiting_approval')
    return current.status === 'closed' ? 'closed while awaiting approval' : 'executed';
  // Whom this plan's approval escalated to (ops manager at rung 2): an earlier plan's escalation names nobody for it.
  const named = approvalEscalatedTo(current);
  if (role === 'escalated')
    role = named === 'ops_manager' ? 'ops_manager' : (current.resolution.approval?.approverRole ?? 'supervisor');
  const actor = approver(role);
  const reason = text(run, 'POST /v1/complaints/:id/approval reason', '金额需复核');
  const r = await twice(decision.act, `approval ${decision.decision} by ${role}`, () =>
    run.handle.executeUpdate(approvalUpdate, { args: [{ decision: decision.decision, reason, actor }] }),
  );
  if (role === 'ops_manager' && named === 'ops_manager')
    run.escalatedApprovals.push({ role, refused: r !== null, detail: r ?? 'accepted' });
  if (r !== null) {
    // The wrong person was refused; the right one decides in time.
    const right = approver(current.resolution.approval?.approverRole ?? 'supervisor');
    const again = await attempt(run, `approval ${decision.decision} by ${right.role}`, () =>
      run.handle.executeUpdate(approvalUpdate, {
        args: [{ decision: decision.decision, reason, actor: right }],
      }),
    );
    if (again !== null) return 'approval refused';
  }
  const after = await until(run, (x) => x.status !== 'awaiting_approval');
  if (!after) return 'approval did not move';
  return after.status === 'executing' || after.status === 'awaiting_customer' ? 'executed' : 'rejected';
}

/**
 * The execution steps that wait for people: the customer ships back, the merchant inspects or
 * repairs. A party that never acts: the goods not shipped back end by the workflow's own clock
 * (reminder, then the step is called off); an inspection or repair never reported is called off by
 * the owner once its ladder has told staff, as the product expects. Either way the case goes back
 * to be re-planned.
 */
async function executionSteps(
  h: Harness,
  run: CaseRun,
  merchant: Actor,
  customer: Actor,
  when: When,
  twice: Twice,
): Promise<boolean> {
  const s = run.script;
  for (let i = 0; i < 4; i++) {
    const v = await until(
      run,
      (x) => x.status !== 'executing' || x.resolution.steps.some((st) => st.status === 'waiting'),
    );
    if (!v) return false;
    if (v.status !== 'executing') return true;
    const waiting = v.resolution.steps.find((st) => st.status === 'waiting');
    if (!waiting) return true;
    const t = await now(h);
    const notWaiting = (x: CaseViewV1) =>
      !x.resolution.steps.some((st) => st.name === waiting.name && st.status === 'waiting');
    if (waiting.name === 'return_shipment') {
      if (!(await when('return_shipment', s.returnShipment, t))) {
        if (!(await letTimeRun(h, run, notWaiting, SILENT_LIMIT_MS))) return false;
        continue;
      }
      const waybillNo = `RT${s.seed}${s.n}`;
      await twice(s.returnShipment, 'return shipment', () =>
        run.handle.executeUpdate(returnShipmentUpdate, { args: [{ carrier: 'sf', waybillNo, actor: customer }] }),
      );
    } else if (
      waiting.name === 'return_inspection' ||
      waiting.name === 'repair' ||
      waiting.name === 'third_party_testing'
    ) {
      const testing = waiting.name === 'third_party_testing' ? run.plans.at(-1)?.testing : undefined;
      const a =
        waiting.name === 'repair'
          ? s.repair
          : waiting.name === 'third_party_testing'
            ? testingAct(testing, t, Date.parse(waiting.dueAt ?? ''))
            : s.returnReceived;
      if (!(await when(waiting.name, a, t))) {
        // The merchant (or the lab) never reports: staff hear of it from the step's ladder, then the owner
        // calls it off. The lab's 10 working days can outlast the usual limit across holidays.
        const told = await letTimeRun(
          h,
          run,
          (x) => notWaiting(x) || x.breaches.some((b) => b.kind === waiting.name && Date.parse(b.at) >= t),
          Math.max(SILENT_LIMIT_MS, Date.parse(waiting.dueAt ?? '') - t + 2 * DAY || 0),
        );
        if (!told) return false;
        if (!notWaiting(told)) {
          await advance(h, run, (await now(h)) + DAY);
          const reason = text(
            run,
            'POST /v1/complaints/:id/steps/cancel reason',
            '商家未在期限内处理，取消此步骤并重新安排',
          );
          const refused = await attempt(run, `cancel ${waiting.name}`, () =>
            run.handle.executeUpdate(cancelStepUpdate, {
              args: [{ step: waiting.name as 'repair', reason, actor: agent }],
            }),
          );
          if (refused !== null)
            await attempt(run, `cancel ${waiting.name} by supervisor`, () =>
              run.handle.executeUpdate(cancelStepUpdate, {
                args: [{ step: waiting.name as 'repair', reason, actor: staff('supervisor') }],
              }),
            );
        }
        continue;
      }
      if (waiting.name === 'third_party_testing') {
        // docs/domain.md §8.6: the lab has no account; the case's owner (else a supervisor) records its result.
        const defectConfirmed = testing?.defectConfirmed ?? false;
        const result = {
          defectConfirmed,
          reportUrl: `https://lab.example.com/reports/${s.seed}-${s.n}.pdf`,
          note: text(
            run,
            'POST /v1/complaints/:id/testing-result note',
            defectConfirmed ? '检测确认密封圈存在质量问题' : '检测结果符合国家标准',
          ),
        };
        const current = await view(run);
        const refused = await attempt(run, `testing result (defect ${defectConfirmed})`, () =>
          run.handle.executeUpdate(testingResultUpdate, { args: [{ ...result, actor: ownerOf(current) }] }),
        );
        if (refused !== null && refused !== 'wrong_stage')
          await attempt(run, 'testing result by supervisor', () =>
            run.handle.executeUpdate(testingResultUpdate, { args: [{ ...result, actor: staff('supervisor') }] }),
          );
      } else if (waiting.name === 'repair') {
        const note = text(run, 'POST /v1/complaints/:id/repair-completed note', '已维修');
        await twice(a, 'repair completed', () =>
          run.handle.executeUpdate(repairCompletedUpdate, { args: [{ note, actor: merchant }] }),
        );
      } else {
        const note = text(run, 'POST /v1/complaints/:id/return-received note', '已收到退货');
        await twice(a, 'return received', () =>
          run.handle.executeUpdate(returnReceivedUpdate, {
            args: [{ inspection: s.returnReceived.inspection, note, actor: merchant }],
          }),
        );
      }
    } else {
      run.log.push(`unknown waiting step ${waiting.name}`);
      return false;
    }
    await until(run, notWaiting, 5_000);
  }
  return true;
}

/**
 * docs/domain.md §8.6: when staff record the lab's result, from the wait's start `t`: within the
 * window (a share of it, before its due), hours after the due, or never.
 */
function testingAct(testing: ProposalScript['testing'], t: number, dueAt: number): Act {
  if (!testing || testing.timing === 'never' || Number.isNaN(dueAt)) return { timing: 'never', delayMs: 0 };
  if (testing.timing === 'late') return { timing: 'late', delayMs: dueAt - t + testing.lateHours * HOUR };
  return { timing: 'on_time', delayMs: Math.max(MINUTE, Math.floor((dueAt - t) * testing.share * 0.9)) };
}

/** The case's owner as an actor: the agent in round one, the supervisor who took round two. */
function ownerOf(v: CaseViewV1): Actor {
  return v.owner === agent.sub || v.owner === null ? agent : { sub: v.owner, role: 'supervisor' };
}

/** An action at a stage where it does not fit: the workflow must refuse it. */
async function wrongOrder(
  run: CaseRun,
  action: CaseScript['wrongOrder'][number]['action'],
  before: string,
  customer: Actor,
): Promise<void> {
  const fitsNow = (v: CaseViewV1): boolean =>
    ({
      satisfaction: v.status === 'awaiting_feedback',
      customer_response: v.status === 'awaiting_customer',
      approval: v.status === 'awaiting_approval',
      propose: v.status === 'in_progress' && (v.investigation.brief !== null || v.round > 1),
      return_shipment: v.resolution.steps.some((s) => s.name === 'return_shipment' && s.status === 'waiting'),
    })[action];
  const v = await view(run);
  if (fitsNow(v)) return;
  const calls: Record<typeof action, () => Promise<CaseViewV1>> = {
    satisfaction: () => run.handle.executeUpdate(satisfactionUpdate, { args: [{ rating: 1, actor: customer }] }),
    customer_response: () =>
      run.handle.executeUpdate(customerResponseUpdate, { args: [{ accept: true, actor: customer }] }),
    approval: () =>
      run.handle.executeUpdate(approvalUpdate, {
        args: [{ decision: 'approve', reason: 'ok', actor: staff('supervisor') }],
      }),
    propose: () =>
      run.handle.executeUpdate(proposeResolutionUpdate, {
        args: [{ type: 'coupon', couponFen: 500, note: '补偿优惠券', actor: agent }],
      }),
    return_shipment: () =>
      run.handle.executeUpdate(returnShipmentUpdate, { args: [{ carrier: 'sf', waybillNo: 'X1', actor: customer }] }),
  };
  let answer: CaseViewV1 | undefined;
  const refused = await attempt(run, `out of order: ${action} (status ${v.status})`, async () => {
    answer = await calls[action]();
  });
  // The case may have reached the action's stage between the read above and the update (seed 1 case
  // 535: execution ended in between). The customer's answer and rating leave the status as they found
  // it, so their answer shows whether they came in order after all.
  if (refused === null && answer && ['customer_response', 'satisfaction'].includes(action) && fitsNow(answer)) {
    run.log.push(`(${action} reached the case in its stage after all: ${answer.status})`);
    return;
  }
  run.wrongOrder.push({ action, before, refused: refused !== null, detail: refused ?? `accepted while ${v.status}` });
}

/** Lets a case that is not closed run out its deadlines, then waits for its activities to finish. */
export async function finish(h: Harness, run: CaseRun): Promise<void> {
  // The workflow returns only once the case is closed: a completed one needs no query (a replay).
  if ((await run.handle.describe()).status.name !== 'COMPLETED') {
    const v = await view(run);
    if (v.status !== 'closed') await advance(h, run, Math.max(run.openedAt + HORIZON_MS, (await now(h)) + 3 * DAY));
    // A closed case's workflow ends once its last messages went out or ran out of retries (seed 1 case
    // 380: the closing SMS against a failing gateway); the retries wait on server time.
    else if ((await run.handle.describe()).status.name === 'RUNNING') await sleepUntil(h, (await now(h)) + HOUR);
  }
  await quiesce(run);
  run.endedAt = await now(h);
}

/**
 * Until nothing is pending (activities run in real time, and a workflow task in progress may yet
 * schedule one) and the history stopped growing, bounded.
 */
export async function quiesce(run: CaseRun, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = -1;
  for (;;) {
    const d = await run.handle.describe();
    const pending = (d.raw.pendingActivities?.length ?? 0) + (d.raw.pendingWorkflowTask ? 1 : 0);
    const len = Number(d.historyLength);
    if (pending === 0 && len === last) return;
    last = len;
    if (Date.now() > end) return;
    await new Promise((r) => setTimeout(r, 150));
  }
}
