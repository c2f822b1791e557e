import { listAll, session } from './api.js';
import type { CaseView } from './contract.js';
import { countdownEl } from './deadlines.js';
import { h } from './dom.js';
import { actionForm } from './forms.js';
import { approvalReasonText, t } from './i18n.js';
import { caseLink, section, table, yuan } from './ui.js';

/**
 * Supervisors and compliance: each proposal waiting for their decision, its amount, why it needs
 * approval and the time left on the approval deadline; approve or reject with a reason in place.
 */
export async function approvalsPage(): Promise<HTMLElement> {
  const { role, sub } = session()!;
  const waiting = (await listAll<CaseView>({ status: 'awaiting_approval' }))
    .filter((c) => mayDecideApproval(c, role, sub))
    .sort((a, b) => due(a) - due(b));
  const rows = await Promise.all(
    waiting.map(async (c) => {
      const deadline = c.deadlines.find((d) => d.kind === 'approval');
      const p = c.resolution.proposal;
      const cell = h('div', {});
      // The decision's answer is the live case; the list (the projection) catches up a moment later.
      const decided = (view: CaseView) =>
        cell.replaceChildren(
          h(
            'p',
            { class: 'notice info', role: 'status' },
            t('approvals.decided', {
              decision: t(`decision.${view.resolution.approval?.decision ?? 'approve'}`),
              status: t(`status.${view.status}`),
            }),
          ),
        );
      cell.append(
        await actionForm({
          complaintId: c.complaintId,
          action: 'approval',
          choiceButtons: 'decision',
          title: '',
          onDone: decided,
        }),
      );
      return [
        caseLink(c.complaintId),
        p ? `${t(`type.${p.type}`)} ${yuan(p.amountFen ?? p.couponFen)}` : '—',
        h(
          'span',
          {},
          approvalReasonText(c.resolution.approval?.reason ?? null),
          p?.note ? h('div', { class: 'muted' }, p.note) : null,
        ),
        deadline ? countdownEl(deadline) : '—',
        cell,
      ];
    }),
  );
  return h(
    'div',
    { class: 'page' },
    h('h1', { tabindex: '-1' }, t('approvals.title')),
    section(
      `${t('approvals.title')} (${waiting.length})`,
      table(
        [t('col.case'), t('col.amount'), t('col.reason'), t('col.timeLeft'), t('col.decision')],
        rows,
        t('approvals.empty'),
        { id: 'approvals' },
      ),
    ),
  );
}

function due(c: CaseView): number {
  const d = c.deadlines.find((x) => x.kind === 'approval');
  return d ? Date.parse(d.dueAt) : Infinity;
}

/**
 * The workflow's rule, so that nobody is offered a decision it would refuse (docs/domain.md §7.4,
 * §7.5, §7.7): the approver role decides, the operations manager once the overdue approval's
 * escalation reached them, and never whoever proposed the plan.
 */
export function mayDecideApproval(c: CaseView, role: string, me: string): boolean {
  if (c.status !== 'awaiting_approval' || c.resolution.proposal?.proposedBy === me) return false;
  const approver = c.resolution.approval?.approverRole ?? 'supervisor';
  const escalatedToOps = c.breaches.some((b) => b.kind === 'approval' && b.escalatedTo === 'ops_manager');
  return role === approver || (role === 'ops_manager' && escalatedToOps);
}
