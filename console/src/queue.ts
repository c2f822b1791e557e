import { api, listAll, session } from './api.js';
import { type CaseView, type Deadline, OPEN_STATUSES } from './contract.js';
import { callOwed } from './casePage.js';
import { byNearestDeadline, countdownEl } from './deadlines.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { formatTime } from './time.js';
import { badge, caseCell, deadlineCells, departmentText, section, table, yuan } from './ui.js';

/**
 * The agent's desk: their own open cases and the unassigned ones, nearest deadline first, of one
 * department when asked (`#/queue?department=product`, docs/domain.md §6.5). The list endpoint
 * filters by status and department but not by owner, so the open statuses are read and split here.
 */
async function openCases(department: string): Promise<CaseView[]> {
  const pages = await Promise.all(
    OPEN_STATUSES.map((status) => listAll<CaseView>({ status, ...(department && { department }) })),
  );
  return pages.flat().sort(byNearestDeadline);
}

/** The filter by the department a case is routed to: the departments of the policy in force. */
function departmentFilter(departments: string[], chosen: string, go: (hash: string) => void): HTMLElement {
  const select = h(
    'select',
    { id: 'queue-department', name: 'department' },
    h('option', { value: '' }, t('department.all')),
    ...departments.map((d) => h('option', { value: d, selected: d === chosen }, departmentText(d))),
  );
  const form = h(
    'form',
    { class: 'period', 'aria-label': t('queue.filter') },
    h('div', { class: 'field' }, h('label', { for: 'queue-department' }, t('col.department')), select),
    h('button', { type: 'submit', class: 'btn' }, t('reports.show')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go(select.value ? `#/queue?${new URLSearchParams({ department: select.value }).toString()}` : '#/queue');
  });
  return form;
}

export async function queuePage(query: URLSearchParams, go: (hash: string) => void): Promise<HTMLElement> {
  const me = session()!.sub;
  const policy = await api<{ departments?: Record<string, unknown> }>('/v1/policy');
  const departments = Object.keys(policy.departments ?? {});
  // A department the policy no longer has lists nothing; the filter falls back to every case.
  const department = departments.includes(query.get('department') ?? '') ? query.get('department')! : '';
  const cases = await openCases(department);
  const mine = cases.filter((c) => c.owner === me);
  const unassigned = cases.filter((c) => c.owner === null);
  // docs/domain.md §9.4: the phone calls my high-priority customers are owed, soonest due first.
  const calls = mine
    .filter(callOwed)
    .sort((a, b) => Date.parse(a.phoneCallback!.dueAt) - Date.parse(b.phoneCallback!.dueAt));
  const columns = [
    t('col.case'),
    t('col.priority'),
    t('col.status'),
    t('col.deadline'),
    t('col.left'),
    t('col.escalates'),
  ];
  const row = (c: CaseView) => [
    caseCell(c),
    badge('priority', c.priority),
    badge('status', c.status),
    ...deadlineCells(c),
  ];
  const take = (c: CaseView) => {
    const button = h(
      'button',
      { type: 'button', class: 'btn btn-primary', 'aria-label': `${t('queue.take')} ${c.complaintId}` },
      t('queue.take'),
    );
    const error = h('span', { class: 'field-error', 'aria-live': 'polite' });
    button.addEventListener('click', () => {
      button.disabled = true;
      api(`/v1/complaints/${encodeURIComponent(c.complaintId)}/assign`, { method: 'POST', body: { agentId: me } })
        .then(() => go(`#/case/${encodeURIComponent(c.complaintId)}`))
        .catch((err: Error) => {
          button.disabled = false;
          error.textContent = err.message;
        });
    });
    return h('span', {}, button, error);
  };
  return h(
    'div',
    { class: 'page' },
    h('h1', { tabindex: '-1' }, t('nav.queue')),
    h('p', { class: 'muted' }, t('queue.updated', { time: formatTime(new Date().toISOString()) })),
    departments.length ? departmentFilter(departments, department, go) : null,
    section(
      `${t('queue.calls')} (${calls.length})`,
      table(
        [t('col.case'), t('col.priority'), t('col.status'), t('col.due'), t('col.left')],
        calls.map((c) => {
          const dueAt = c.phoneCallback!.dueAt;
          // The call's own deadline once missed shows the next rung's due time; before, the call's.
          const d: Deadline = c.deadlines.find((x) => x.kind === 'phone_callback') ?? {
            kind: 'phone_callback',
            dueAt,
            since: dueAt,
            paused: false,
            rung: 0,
            topRungAlerts: 0,
          };
          return [
            caseCell(c),
            badge('priority', c.priority),
            badge('status', c.status),
            formatTime(d.dueAt),
            countdownEl(d),
          ];
        }),
        t('queue.empty'),
        { id: 'my-calls' },
      ),
    ),
    section(`${t('queue.mine')} (${mine.length})`, table(columns, mine.map(row), t('queue.empty'), { id: 'my-cases' })),
    section(
      `${t('queue.unassigned')} (${unassigned.length})`,
      table(
        [...columns, ''],
        unassigned.map((c) => [...row(c), take(c)]),
        t('queue.empty'),
        { id: 'unassigned' },
      ),
    ),
  );
}

/** Supervisors and ops: open cases some deadline of which climbed past the agent. */
export async function escalatedPage(): Promise<HTMLElement> {
  const [one, two] = await Promise.all([
    listAll<CaseView>({ escalationLevel: '1' }),
    listAll<CaseView>({ escalationLevel: '2' }),
  ]);
  const open = [...two, ...one].filter((c) => c.status !== 'closed').sort(byNearestDeadline);
  const columns = [
    t('col.case'),
    t('col.level'),
    t('col.priority'),
    t('col.status'),
    t('col.owner'),
    t('col.amount'),
    t('col.deadline'),
    t('col.left'),
    t('col.escalates'),
  ];
  return h(
    'div',
    { class: 'page' },
    h('h1', { tabindex: '-1' }, t('escalated.title')),
    section(
      `${t('escalated.title')} (${open.length})`,
      table(
        columns,
        open.map((c) => [
          caseCell(c),
          t(`role.${['agent', 'supervisor', 'ops_manager'][c.escalationLevel]}`),
          badge('priority', c.priority),
          badge('status', c.status),
          c.owner ?? t('role.none'),
          yuan(c.resolution.proposal?.amountFen),
          ...deadlineCells(c),
        ]),
        t('escalated.empty'),
        { id: 'escalated' },
      ),
    ),
  );
}
