import { api, type Session, session } from './api.js';
import { mayDecideApproval } from './approvals.js';
import type { CaseView, TimelineEntry } from './contract.js';
import type { PolicyVersion } from './policyContract.js';
import { countdownEl, deadlineLabel, escalatesTo } from './deadlines.js';
import { h } from './dom.js';
import { actionForm } from './forms.js';
import { approvalReasonText, stageText, t } from './i18n.js';
import { countdown, formatTime } from './time.js';
import { badge, departmentText, message, section, table, yuan } from './ui.js';

/** Where the Temporal Web UI shows a workflow; set from /console/config.json. */
let temporalUi = { port: 8233, namespace: 'default' };
export function setTemporalUi(ui: typeof temporalUi): void {
  temporalUi = ui;
}
export function temporalLink(workflowId: string): HTMLAnchorElement {
  const href = `${location.protocol}//${location.hostname}:${temporalUi.port}/namespaces/${encodeURIComponent(temporalUi.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return h('a', { href, target: '_blank', rel: 'noopener', class: 'temporal-link' }, t('case.temporal'));
}

/**
 * A caller's evidence link: clickable only when it is https:. Anything else (a case opened before
 * the API checked schemes, http: from development) shows as plain text, so a `javascript:` link
 * never runs in a signed-in console.
 */
export function evidenceLink(kind: string, url: string): HTMLElement {
  return httpsLink(t(`kind.${kind}`), url, 'evidence');
}

/** A link staff open from the console (evidence, a lab's report): an anchor only when it is https:, else text. */
function httpsLink(label: string, url: string, kind: 'evidence' | 'testing-report'): HTMLElement {
  let https = false;
  try {
    https = new URL(url).protocol === 'https:';
  } catch {
    // Not a URL at all: text, like any other caller text.
  }
  return https
    ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: `${kind}-link` }, label)
    : h('span', { class: `${kind}-text` }, `${label}: ${url}`);
}

/** Timeline facts that are a message leaving the platform (to the customer, the merchant or staff). */
const MESSAGE_ACTIONS = new Set([
  'customer_message_sent',
  'customer_message_delayed',
  'customer_message_suppressed',
  'merchant_copy_sent',
  'merchant_notified',
  'staff_notified',
]);

const detailText = (d: Record<string, unknown>) =>
  Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');

/** A live "in 12 s" for a retry's next attempt. */
function liveUntil(iso: string): HTMLElement {
  return h('span', { class: 'countdown', 'data-due': iso, title: formatTime(iso) }, countdown(iso).text);
}

interface Allowed {
  action: string;
  fixed?: Record<string, unknown>;
  choiceButtons?: string;
}

/**
 * The actions the case's stage allows this caller (the role table, test/fixtures/access.json, and the statuses of docs/api-guide.md). The
 * workflow's validators remain the judge: anything they refuse comes back as the API's error.
 */
function allowedActions(v: CaseView, role: string, me: string): Allowed[] {
  if (v.status === 'closed') return [];
  const out: Allowed[] = [];
  // docs/domain.md §2.2: the owning agent (or a supervisor, operations) marks an extremely upset customer, once.
  const mayMarkUpset = upsetMarkOf(v) === null;
  const inProgress = v.status === 'in_progress';
  const inv = v.investigation;
  if (role === 'agent') {
    if (v.owner === null) out.push({ action: 'assign', fixed: { agentId: me } });
    if (v.owner !== me) return out;
    if (inProgress && !v.firstResponse) out.push({ action: 'first-response' });
    if (inProgress && v.firstResponse && !inv.brief && inv.dueAt && !inv.extended)
      out.push({ action: 'investigation/extend' });
    if (inProgress && v.firstResponse && !inv.brief) out.push({ action: 'investigation/brief' });
    if (inProgress && (inv.brief || v.round > 1)) out.push({ action: 'resolution' });
    out.push({ action: 'evidence' });
    if (mayMarkUpset) out.push({ action: 'upset' });
    if (callOwed(v)) out.push({ action: 'phone-callback' });
    if (labResultDue(v)) out.push({ action: 'testing-result' });
    return out;
  }
  if (mayDecideApproval(v, role, me)) out.push({ action: 'approval', choiceButtons: 'decision' });
  const oneLevelUp = role === 'supervisor' || role === 'ops_manager';
  // A second round is proposed one level up, by whoever takes it (docs/domain.md §9.3).
  if (oneLevelUp && inProgress && v.round > 1 && (v.owner === null || v.owner === me))
    out.push({ action: 'resolution' });
  if (oneLevelUp) out.push({ action: 'assign' });
  if (oneLevelUp && mayMarkUpset) out.push({ action: 'upset' });
  if (oneLevelUp && callOwed(v)) out.push({ action: 'phone-callback' });
  if (oneLevelUp && labResultDue(v)) out.push({ action: 'testing-result' });
  return out;
}

/**
 * docs/domain.md §7.1: the plan's record of the customer's dedicated agent failed (its step shows failed);
 * a supervisor or an operations manager records it by hand, for the customer, from the case.
 */
function dedicatedAgentUnrecorded(v: CaseView, role: string): boolean {
  return (
    (role === 'supervisor' || role === 'ops_manager') &&
    v.resolution.steps.some((s) => s.name === 'dedicated_agent' && s.status === 'failed')
  );
}

function dedicatedAgentForm(v: CaseView, rerender: () => void): Promise<HTMLFormElement> {
  const p = v.resolution.proposal;
  return actionForm({
    complaintId: v.complaintId,
    action: 'dedicated-agent',
    route: {
      path: '/v1/customers/{customerId}/dedicated-agent',
      url: `/v1/customers/${encodeURIComponent(v.customer.id)}/dedicated-agent`,
    },
    // The case the plan granted it on; the agent it named, else its owner, as the plan would have recorded.
    fixed: { complaintId: v.complaintId },
    onDone: rerender,
  }).then((form) => {
    const agent = form.querySelector<HTMLInputElement>('[name="agentId"]');
    if (agent) agent.value = p?.dedicatedAgentId ?? v.owner ?? '';
    return form;
  });
}

/** docs/domain.md §8.6: the plan waits for the testing lab's result, which staff record. */
const testingStep = (v: CaseView) => v.resolution.steps.find((s) => s.name === 'third_party_testing');
export const labResultDue = (v: CaseView): boolean => v.status === 'executing' && testingStep(v)?.status === 'waiting';

/** docs/domain.md §8.6: the lab, whether its result is awaited (and by when), and the result once recorded. */
function testingSection(v: CaseView, facts: (pairs: Array<[string, Node | string]>) => Node): Node | null {
  const lab = v.resolution.proposal?.testingLab;
  const result = v.resolution.testingResult ?? null;
  const step = testingStep(v);
  if (!result && !(v.resolution.proposal?.type === 'third_party_testing' && step)) return null;
  const state = result
    ? t(result.defectConfirmed ? 'case.testingConfirmed' : 'case.testingNoDefect', { by: result.by })
    : step?.status === 'waiting'
      ? t('case.testingPending', { due: formatTime(step.dueAt) })
      : step?.status === 'failed'
        ? t('case.testingCancelled')
        : '—';
  return h(
    'section',
    { class: 'card', id: 'testing', 'aria-label': t('case.testing') },
    h('h2', {}, t('case.testing')),
    facts([
      [t('case.testingLab'), result?.lab ?? lab ?? '—'],
      [t('col.status'), h('span', { class: 'testing-state' }, state)],
      ...(result
        ? ([
            [t('case.testingReport'), httpsLink(t('case.testingReport'), result.reportUrl, 'testing-report')],
            [t('field.note'), result.note],
          ] as Array<[string, Node | string]>)
        : []),
    ]),
  );
}

/** docs/domain.md §9.4: the phone call this round owes and nobody recorded yet (a customer who rated by SMS owes none). */
export function callOwed(v: CaseView): boolean {
  const call = v.phoneCallback;
  return (
    !!call && call.round === v.round && call.outcome === null && v.satisfaction.rating === null && v.status !== 'closed'
  );
}

function callText(v: CaseView): string {
  const call = v.phoneCallback;
  if (!call || call.round !== v.round) return '—';
  const o = call.outcome;
  if (!o) return t('case.callDue', { due: formatTime(call.dueAt) });
  return o.reached
    ? t('case.callReached', { rating: o.rating ?? '', by: o.by })
    : t('case.callNotReached', { by: o.by });
}

/** Who marked the customer extremely upset (the priority reason the mark leaves), or null. */
function upsetMarkOf(v: CaseView): string | null {
  const mark = v.priorityReasons.find((r) => r.startsWith('extremely_upset:'));
  return mark === undefined ? null : mark.slice('extremely_upset:'.length);
}

/**
 * docs/domain.md §6.5: whether this caller adds findings to the case: its department's staff (the
 * token's department claim names it), or compliance for a department that takes compliance cases
 * (the policy says which), while the case is open. The workflow's validator remains the judge.
 */
async function mayAddFinding(v: CaseView, s: Session): Promise<boolean> {
  const department = v.department;
  if (!department || v.status === 'closed') return false;
  if (s.department === department) return true;
  if (s.role !== 'compliance') return false;
  const policy = await api<{ departments?: Record<string, { categories: string[] }> }>('/v1/policy');
  return policy.departments?.[department]?.categories.includes('compliance') ?? false;
}

/** docs/domain.md §6.5: the department the case is routed to, what its staff found, and the form for them. */
async function departmentSection(v: CaseView, s: Session, rerender: () => void): Promise<HTMLElement | null> {
  if (v.department === undefined && !v.departmentFindings) return null;
  const findings = v.departmentFindings ?? [];
  const form = (await mayAddFinding(v, s))
    ? await actionForm({ complaintId: v.complaintId, action: 'findings', onDone: rerender })
    : null;
  return h(
    'section',
    { class: 'card', id: 'department', 'aria-label': t('case.department') },
    h('h2', {}, t('case.department')),
    h('p', { class: 'department-name' }, v.department ? departmentText(v.department) : t('department.none')),
    h('h3', {}, t('case.findings')),
    table(
      [t('col.department'), t('field.text'), t('col.by'), t('col.at')],
      findings.map((f) => [departmentText(f.department), f.text, f.by, formatTime(f.at)]),
      t('case.noFindings'),
      { id: 'findings' },
    ),
    form,
  );
}

export async function casePage(id: string, rerender: () => void): Promise<HTMLElement> {
  const s = session()!;
  const { role, sub } = s;
  const path = `/v1/complaints/${encodeURIComponent(id)}`;
  const [v, timeline] = await Promise.all([api<CaseView>(path), api<TimelineEntry[]>(`${path}/timeline`)]);
  const departmentPart = await departmentSection(v, s, rerender);

  const facts = (pairs: Array<[string, Node | string]>) =>
    h('dl', { class: 'facts' }, ...pairs.flatMap(([k, val]) => [h('dt', {}, k), h('dd', {}, val)]));
  const p = v.resolution.proposal;
  const a = v.resolution.approval;

  const forms = await Promise.all([
    ...allowedActions(v, role, sub).map(async (allowed) =>
      actionForm({
        complaintId: v.complaintId,
        ...allowed,
        ...(allowed.action === 'investigation/extend' && { title: await extensionTitle(v) }),
        onDone: rerender,
      }),
    ),
    ...(dedicatedAgentUnrecorded(v, role) ? [dedicatedAgentForm(v, rerender)] : []),
  ]);

  return h(
    'div',
    { class: 'page case-page' },
    h('p', {}, h('a', { href: '#/' }, `← ${t('case.back')}`)),
    h('h1', { tabindex: '-1' }, t('case.title', { id: v.complaintId })),
    h(
      'div',
      { class: 'case-head' },
      badge('status', v.status),
      badge('priority', v.priority),
      upsetMarkOf(v) !== null
        ? h('span', { class: 'badge priority-high upset-mark' }, t('case.upset', { by: upsetMarkOf(v) ?? '' }))
        : null,
      h('span', { class: 'stage' }, `${t('case.stage')}: ${stageText(v.stage)}`),
      h('span', {}, `${t(`category.${v.category}`)} / ${v.subType.replace(/_/g, ' ')}`),
      // docs/domain.md §1.1, §2.6: the channel the customer is answered on, and a social one owes a private message.
      h('span', { class: 'case-channel' }, `${t('case.channel')}: ${t(`channel.${v.channel}`)}`),
      v.department === undefined
        ? null
        : h(
            'span',
            { class: 'case-department' },
            `${t('col.department')}: ${v.department ? departmentText(v.department) : t('department.none')}`,
          ),
      h('span', {}, `${t('col.owner')}: ${v.owner ?? t('role.none')}`),
      h('span', {}, `${t('case.level')}: ${v.escalationLevel}`),
      h('span', {}, t('case.round', { n: v.round })),
      temporalLink(v.workflowId),
    ),
    v.closedAt ? message(t('case.closed', { reason: t(`close.${v.closeReason ?? 'resolved'}`) })) : null,
    h(
      'div',
      { class: 'grid' },
      h(
        'div',
        { class: 'col' },
        section(
          t('case.actions'),
          forms.length ? h('div', { class: 'actions' }, ...forms) : h('p', { class: 'empty' }, t('case.noActions')),
        ),
        section(
          t('case.deadlines'),
          table(
            [t('col.kind'), t('col.due'), t('col.left'), t('col.rung'), t('col.escalates')],
            v.deadlines.map((d) => [
              deadlineLabel(d),
              formatTime(d.dueAt),
              countdownEl(d),
              String(d.rung),
              escalatesTo(v, d),
            ]),
            t('case.none'),
            { id: 'deadlines' },
          ),
          v.breaches.length
            ? h(
                'div',
                {},
                h('h3', {}, t('case.breaches')),
                table(
                  [t('col.kind'), t('col.due'), t('col.at'), t('col.escalates')],
                  v.breaches.map((b) => [
                    t(`deadline.${b.kind}`),
                    formatTime(b.dueAt),
                    formatTime(b.at),
                    t(`role.${b.escalatedTo}`),
                  ]),
                  '',
                ),
              )
            : null,
        ),
        v.choice ? choiceSection(v.choice, facts) : null,
        testingSection(v, facts),
        section(
          t('case.money'),
          facts([
            [t('case.proposal'), h('span', { class: 'proposal' }, p ? proposalText(p) : '—')],
            ...(p?.apology
              ? [[t('case.apologyWords'), h('span', { class: 'apology-words' }, p.apology)] as [string, Node]]
              : []),
            [
              t('case.approval'),
              !a
                ? '—'
                : a.decision
                  ? t('case.decided', {
                      decision: t(`decision.${a.decision}`),
                      by: a.decidedBy ?? '',
                      reason: a.decisionReason ?? '',
                    })
                  : a.required
                    ? t('case.approvalNeeded', {
                        role: t(`role.${a.approverRole ?? 'supervisor'}`),
                        reason: approvalReasonText(a.reason),
                      })
                    : t('case.noApproval'),
            ],
            [t('case.refunded'), yuan(v.resolution.refundedFen)],
            [t('case.paidOut'), yuan(v.resolution.paidOutFen)],
          ]),
          h('h3', {}, t('case.steps')),
          table(
            [t('col.name'), t('col.status'), t('col.owner'), t('col.due'), t('col.detail')],
            v.resolution.steps.map((s) => [
              t(`type.${s.name}`),
              badge('step', s.status),
              s.owner,
              formatTime(s.dueAt),
              s.detail ?? '',
            ]),
            t('case.none'),
            { id: 'steps' },
          ),
          v.retrying?.length
            ? h(
                'div',
                { class: 'retrying' },
                h('h3', {}, t('case.retrying')),
                table(
                  [t('col.action'), t('col.attempt'), t('col.lastFailure'), t('col.nextAttempt')],
                  v.retrying.map((r) => [
                    r.activity,
                    String(r.attempt),
                    r.lastFailure ?? '',
                    r.nextAttemptAt ? liveUntil(r.nextAttemptAt) : t('retry.running'),
                  ]),
                  '',
                ),
              )
            : null,
        ),
      ),
      h(
        'div',
        { class: 'col' },
        section(
          t('case.customer'),
          facts([
            [t('role.customer'), `${v.customer.name} (${v.customer.id}) · ${t('case.tier')}: ${v.customer.memberTier}`],
            [t('role.merchant'), `${v.order.merchantId} · ${v.order.orderId} · ${v.order.sku}`],
            [
              t('case.paid'),
              v.order.paymentMethod
                ? `${yuan(v.order.amountPaidFen)} · ${t(`pay.${v.order.paymentMethod}`)}`
                : yuan(v.order.amountPaidFen),
            ],
            [t('case.description'), v.description],
            [t('case.desired'), t(`type.${v.desiredOutcome}`)],
            [
              t('case.evidence'),
              h(
                'ul',
                {},
                ...v.evidence.map((e) => h('li', {}, evidenceLink(e.kind, e.url), e.note ? ` — ${e.note}` : '')),
              ),
            ],
            [
              t('case.firstResponse'),
              v.firstResponse
                ? `${v.firstResponse.message} (${v.firstResponse.by}, ${formatTime(v.firstResponse.at)})`
                : '—',
            ],
            [
              t('case.satisfaction'),
              v.satisfaction.rating === null ? '—' : `${v.satisfaction.rating}/5 ${v.satisfaction.comment ?? ''}`,
            ],
            [t('case.call'), h('span', { class: 'phone-callback' }, callText(v))],
          ]),
        ),
        section(
          t('case.investigation'),
          facts([
            [t('case.investigationDue'), formatTime(v.investigation.dueAt)],
            [
              t('case.brief'),
              v.investigation.brief
                ? `${t(`responsibility.${v.investigation.brief.responsibility}`)}: ${v.investigation.brief.findings}`
                : '—',
            ],
            [t('case.merchantReply'), v.investigation.merchantReply?.message ?? '—'],
            ...(v.order.deliveredAt
              ? [
                  [
                    t('case.delivered'),
                    `${formatTime(v.order.deliveredAt)}${v.order.sevenDayReturn ? ` · ${t('case.sevenDayReturn')}` : ''}`,
                  ] as [string, string],
                ]
              : []),
            ...(v.parcel
              ? [[t('case.signedBy'), h('span', { class: 'parcel-signer' }, signerText(v.parcel))] as [string, Node]]
              : []),
            [t('case.carrier'), v.investigation.carrierStatus ?? '—'],
            ...(v.investigation.extended
              ? [[t('case.extended', { reason: v.investigation.extensionReason ?? '' }), ''] as [string, string]]
              : []),
          ]),
        ),
        departmentPart,
        section(
          t('case.messages'),
          table(
            [t('col.at'), t('col.action'), t('col.template')],
            timeline
              .filter((e) => MESSAGE_ACTIONS.has(e.action))
              .map((e) => [formatTime(e.at), e.action.replace(/_/g, ' '), detailText(e.detail)]),
            t('case.none'),
            { id: 'messages' },
          ),
        ),
        section(
          t('case.timeline'),
          h(
            'ol',
            { class: 'timeline', id: 'timeline' },
            ...[...timeline]
              .reverse()
              .map((e) =>
                h(
                  'li',
                  { class: `result-${e.result}` },
                  h('time', { datetime: e.at }, formatTime(e.at)),
                  ' ',
                  h('strong', {}, e.action.replace(/_/g, ' ')),
                  ` · ${e.actor.sub} (${t(`role.${e.actor.role}`)})`,
                  e.result === 'ok' ? '' : ` · ${t(`result.${e.result}`)}`,
                  Object.keys(e.detail).length ? h('div', { class: 'muted' }, detailText(e.detail)) : null,
                ),
              ),
          ),
        ),
      ),
    ),
  );
}

/** The plan as staff read it: its type with what it grants (the amount, or an extended warranty's months, docs/domain.md §7.1) and the note. */
function proposalText(p: NonNullable<CaseView['resolution']['proposal']>): string {
  const grants = p.warrantyMonths ? t('case.months', { n: p.warrantyMonths }) : yuan(p.amountFen ?? p.couponFen);
  return `${t(`type.${p.type}`)} ${grants} — ${p.note}`;
}

/**
 * The extension's label with its working days (docs/domain.md §3's table) from the policy version the case opened
 * with; without figures when that version cannot be read (a case opened before policy versions).
 */
async function extensionTitle(v: CaseView): Promise<string> {
  const version = await api<PolicyVersion>(`/v1/policy/versions/${encodeURIComponent(v.policyVersion)}`).catch(
    () => null,
  );
  const days = version?.policy.investigation as { workingDays?: number; extendedWorkingDays?: number } | undefined;
  return days?.workingDays && days.extendedWorkingDays
    ? t('action.investigation/extendDays', { from: days.workingDays, to: days.extendedWorkingDays })
    : t('action.investigation/extend');
}

/** docs/domain.md §6.1: who signed for the parcel and when, as its carrier's trail says, with the waybill it is about. */
function signerText(p: NonNullable<CaseView['parcel']>): string {
  const waybill = `${p.carrier} ${p.waybillNo}`;
  if (p.trail === 'unknown_waybill') return t('case.trailUnknown', { waybill });
  if (p.trail === 'unavailable') return t('case.trailUnavailable', { waybill });
  const when = p.deliveredAt ? t('case.signedAt', { at: formatTime(p.deliveredAt) }) : '';
  return `${p.signedBy ?? t('case.signerUnnamed')}${when} · ${waybill}`;
}

/** docs/domain.md §7.9: what the merchant offered, and what the customer chose (or that the window ended). */
function choiceSection(
  choice: NonNullable<CaseView['choice']>,
  facts: (pairs: Array<[string, Node | string]>) => Node,
): Node {
  const optionText = (o: { option: string; compensationFen?: number }) =>
    t(`option.${o.option}`, { amount: yuan(o.compensationFen) });
  const chosen = choice.chosen
    ? `${optionText(choice.offered.find((o) => o.option === choice.chosen) ?? { option: choice.chosen })} (${formatTime(choice.chosenAt)})`
    : t(choice.lapsed ? 'case.choiceLapsed' : 'case.choiceWaiting', { due: formatTime(choice.dueAt) });
  return section(
    t('case.choice'),
    facts([
      [
        t('case.offered'),
        h('ul', { class: 'offered-options' }, ...choice.offered.map((o) => h('li', {}, optionText(o)))),
      ],
      [t('case.chosen'), h('span', { class: 'customer-choice' }, chosen)],
    ]),
  );
}
