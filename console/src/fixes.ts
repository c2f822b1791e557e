import { api, ApiFailure } from './api.js';
import type { JsonSchema } from './contract.js';
import { h } from './dom.js';
import { requestSchema } from './forms.js';
import { t } from './i18n.js';
import { dayOf, formatTime, midnightOf } from './time.js';
import { caseLink, message, section, table, yuan } from './ui.js';

/**
 * 整改通知 (trust after a fix, docs/domain.md §9.6): the root-cause fixes recorded, newest first, each
 * with whom it told (told, not yet, or undelivered and who was alerted; the coupon, or why none), and
 * the form that records a fix against its cases, by their ids or by one merchant, product or carrier
 * over a period. Supervisors and operations managers only: the API lets no one else read or record.
 */

interface FixCustomer {
  complaintId: string;
  customerId: string;
  caseStatus: string;
  status: 'pending' | 'told' | 'undelivered';
  couponFen: number;
  couponFailed: boolean;
  noCouponBecause: 'policy_none' | 'customer_at_fault' | 'order_paid_back' | null;
  alerted: string | null;
  at: string | null;
}
interface FixSelector {
  merchantId?: string;
  sku?: string;
  carrier?: string;
  subType?: string;
  from: string;
  to: string;
}
interface Fix {
  fixId: string;
  kind: string;
  whatChanged: string;
  whatChangedEn: string | null;
  selector: FixSelector | null;
  recordedBy: { sub: string; role: string };
  recordedAt: string;
  terms: { couponFen: number; validDays: number };
  status: 'telling' | 'done';
  told: number;
  customers: FixCustomer[];
}

const FIXERS = ['supervisor', 'ops_manager'];

export async function fixesPage(role: string, go: (hash: string) => void): Promise<HTMLElement> {
  const page = (...body: Array<Node | null>) =>
    h('div', { class: 'page', 'data-refresh': 'off' }, h('h1', { tabindex: '-1' }, t('fixes.title')), ...body);
  if (!FIXERS.includes(role)) return page(message(t('fixes.notYours')));
  const [list, schema] = await Promise.all([
    api<{ items: Fix[]; nextCursor: string | null }>('/v1/fixes?limit=100'),
    requestSchema('/v1/fixes'),
  ]);
  const again = h('button', { type: 'button', class: 'btn', id: 'fixes-refresh' }, t('fixes.refresh'));
  again.addEventListener('click', () => go('#/fixes'));
  return page(
    h('p', {}, t('fixes.intro')),
    section(
      t('fixes.record'),
      fixForm(schema, () => go('#/fixes')),
    ),
    section(
      `${t('fixes.list')} (${list.items.length}${list.nextCursor ? '+' : ''})`,
      again,
      list.items.length ? h('div', {}, ...list.items.map(fixCard)) : h('p', { class: 'empty' }, t('fixes.empty')),
    ),
  );
}

function selectorText(s: FixSelector): string {
  return [
    s.merchantId ? `${t('fixes.merchantId')} ${s.merchantId}` : null,
    s.sku ? `${t('fixes.sku')} ${s.sku}` : null,
    s.carrier ? `${t('fixes.carrier')} ${s.carrier}` : null,
    s.subType ? `${t('fixes.subType')} ${s.subType.replace(/_/g, ' ')}` : null,
    // `to` is the first instant not included: the period's last day is the day before.
    `${dayOf(Date.parse(s.from))} – ${dayOf(Date.parse(s.to) - 1)}`,
  ]
    .filter((x) => x !== null)
    .join(' · ');
}

function couponText(c: FixCustomer): string {
  if (c.couponFen > 0) return yuan(c.couponFen);
  if (c.couponFailed) return t('fixes.couponFailed');
  return c.noCouponBecause ? t(`fixes.noCoupon.${c.noCouponBecause}`) : '—';
}

function fixCard(f: Fix): HTMLElement {
  const undelivered = f.customers.filter((c) => c.status === 'undelivered' || c.couponFailed);
  const facts = (pairs: Array<[string, string]>) =>
    h('dl', { class: 'facts' }, ...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  return h(
    'article',
    { class: 'card fix', 'data-fix': f.fixId, 'aria-label': f.fixId },
    h('h3', {}, `${t(`fixKind.${f.kind}`)} · ${f.fixId}`),
    h('p', { class: 'what-changed' }, f.whatChanged),
    f.whatChangedEn ? h('p', { class: 'what-changed-en', lang: 'en' }, f.whatChangedEn) : null,
    facts([
      [
        t('fixes.recordedBy'),
        `${t('signed.as', { sub: f.recordedBy.sub, role: t(`role.${f.recordedBy.role}`) })} · ${formatTime(f.recordedAt)}`,
      ],
      [t('fixes.cases'), f.selector ? selectorText(f.selector) : t('fixes.byIds')],
      [t('fixes.terms'), t('fixes.termsText', { coupon: yuan(f.terms.couponFen), days: f.terms.validDays })],
      [
        t('col.status'),
        `${t(`fixes.progress.${f.status}`)} · ${t('fixes.told', { told: f.told, of: f.customers.length })}`,
      ],
    ]),
    undelivered.length
      ? h(
          'p',
          { class: 'notice error fix-undelivered' },
          t('fixes.undelivered', {
            n: undelivered.length,
            who: [...new Set(undelivered.map((c) => c.alerted ?? '—'))].join('、'),
          }),
        )
      : null,
    table(
      [
        t('col.case'),
        t('pro.customer'),
        t('fixes.caseStatus'),
        t('fixes.notice'),
        t('fixes.coupon'),
        t('fixes.alerted'),
        t('col.at'),
      ],
      f.customers.map((c) => [
        caseLink(c.complaintId),
        c.customerId,
        t(`status.${c.caseStatus}`),
        h('span', { class: `badge fix-status fix-status-${c.status}` }, t(`fixes.status.${c.status}`)),
        couponText(c),
        c.alerted ?? '—',
        formatTime(c.at),
      ]),
      t('fixes.noCustomers'),
      { class: 'table fix-customers' },
    ),
  );
}

/** A field with its label and the place the API's refusal of it is shown. */
function field(id: string, label: string, control: HTMLElement, error: HTMLElement, required = false): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control,
    error,
  );
}

/**
 * The form of `POST /v1/fixes`, its choices and lengths from the contract's RecordFixRequestV1: the kind,
 * what changed (Chinese, and English for customers who read English), and the cases, by ids or by a selector.
 */
function fixForm(schema: JsonSchema, onDone: () => void): HTMLFormElement {
  const props = schema.properties ?? {};
  const selector = props.selector?.properties ?? {};
  const errors = new Map<string, HTMLElement>();
  const errorFor = (path: string) => {
    const el = h('p', {
      class: 'field-error',
      id: `fix-${path.replace(/\./g, '-')}-error`,
      'aria-live': 'polite',
    });
    errors.set(path, el);
    return el;
  };
  const described = (path: string) => ({ 'aria-describedby': `fix-${path.replace(/\./g, '-')}-error` });
  const text = (id: string, name: string, s: JsonSchema | undefined, required = false) =>
    h('input', {
      id,
      name,
      required,
      maxlength: s?.maxLength ?? null,
      minlength: s?.minLength ?? null,
      ...described(name),
    });

  const kind = h(
    'select',
    { id: 'fix-kind', name: 'kind', required: true, ...described('kind') },
    ...(props.kind?.enum ?? []).map((k) => h('option', { value: k }, t(`fixKind.${k}`))),
  );
  const whatChanged = text('fix-whatChanged', 'whatChanged', props.whatChanged, true);
  const whatChangedEn = text('fix-whatChangedEn', 'whatChangedEn', props.whatChangedEn);
  const caseIds = h('textarea', { id: 'fix-caseIds', name: 'caseIds', rows: 3, ...described('caseIds') });
  const merchantId = text('fix-merchantId', 'selector.merchantId', selector.merchantId);
  const sku = text('fix-sku', 'selector.sku', selector.sku);
  const carrier = text('fix-carrier', 'selector.carrier', selector.carrier);
  const subType = h(
    'select',
    { id: 'fix-subType', name: 'selector.subType', ...described('selector.subType') },
    h('option', { value: '' }, t('fixes.anySubType')),
    ...(selector.subType?.enum ?? []).map((s) => h('option', { value: s }, s.replace(/_/g, ' '))),
  );
  const from = h('input', { type: 'date', id: 'fix-from', name: 'selector.from', ...described('selector.from') });
  const to = h('input', { type: 'date', id: 'fix-to', name: 'selector.to', ...described('selector.to') });

  const byIds = h('input', { type: 'radio', name: 'by', value: 'ids', checked: true });
  const bySelector = h('input', { type: 'radio', name: 'by', value: 'selector' });
  const idsPart = h(
    'div',
    { class: 'fix-ids' },
    field('fix-caseIds', t('fixes.caseIds'), caseIds, errorFor('caseIds'), true),
  );
  const selectorPart = h(
    'div',
    { class: 'fix-selector', hidden: true },
    field('fix-merchantId', t('fixes.merchantId'), merchantId, errorFor('selector.merchantId')),
    field('fix-sku', t('fixes.sku'), sku, errorFor('selector.sku')),
    field('fix-carrier', t('fixes.carrier'), carrier, errorFor('selector.carrier')),
    field('fix-subType', t('fixes.subType'), subType, errorFor('selector.subType')),
    field('fix-from', t('field.from'), from, errorFor('selector.from'), true),
    field('fix-to', t('field.to'), to, errorFor('selector.to'), true),
    errorFor('selector'),
  );
  const choose = () => {
    idsPart.hidden = !byIds.checked;
    selectorPart.hidden = byIds.checked;
  };
  byIds.addEventListener('change', choose);
  bySelector.addEventListener('change', choose);

  const formError = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('fixes.submit'));
  const form = h(
    'form',
    { class: 'fix-form', id: 'fix-form', 'data-action': 'fix', 'aria-label': t('fixes.record') },
    field('fix-kind', t('fixes.kind'), kind, errorFor('kind'), true),
    field('fix-whatChanged', t('fixes.whatChanged'), whatChanged, errorFor('whatChanged'), true),
    field('fix-whatChangedEn', t('fixes.whatChangedEn'), whatChangedEn, errorFor('whatChangedEn')),
    h(
      'fieldset',
      {},
      h('legend', {}, t('fixes.cases')),
      h('label', {}, byIds, t('fixes.byIds')),
      h('label', {}, bySelector, t('fixes.bySelector')),
    ),
    idsPart,
    selectorPart,
    h('div', { class: 'buttons' }, submit),
    formError,
  );

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const given = (el: HTMLInputElement | HTMLSelectElement) => el.value.trim() || undefined;
    const body: Record<string, unknown> = {
      kind: kind.value,
      whatChanged: whatChanged.value.trim(),
      ...(given(whatChangedEn) && { whatChangedEn: given(whatChangedEn) }),
    };
    if (byIds.checked) body.caseIds = caseIds.value.split(/[\s,，、]+/).filter(Boolean);
    else
      body.selector = {
        ...(given(merchantId) && { merchantId: given(merchantId) }),
        ...(given(sku) && { sku: given(sku) }),
        ...(given(carrier) && { carrier: given(carrier) }),
        ...(given(subType) && { subType: given(subType) }),
        // Platform days, the last one included: the period ends at the next day's midnight.
        ...(from.value && { from: midnightOf(from.value) }),
        ...(to.value && { to: midnightOf(dayOf(Date.parse(midnightOf(to.value)) + 36 * 3_600_000)) }),
      };
    for (const el of errors.values()) el.textContent = '';
    formError.textContent = '';
    submit.disabled = true;
    api('/v1/fixes', { method: 'POST', body })
      .then(onDone)
      .catch((err: unknown) => {
        if (!(err instanceof ApiFailure)) {
          formError.textContent = t('error.generic', { message: (err as Error).message });
          return;
        }
        // Each reason beside its field: `caseIds.1` is the list's, `selector.to` the period's end.
        let placed = false;
        for (const d of err.details) {
          const el = errors.get(d.path) ?? errors.get(d.path.replace(/\.\d+$/, ''));
          if (el) {
            el.textContent = el.textContent ? `${el.textContent}；${d.message}` : d.message;
            placed = true;
          }
        }
        formError.textContent = placed ? `${err.status} ${err.code}` : `${err.status} ${err.code}: ${err.message}`;
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}
