import { api, ApiFailure } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import type { Actor, PolicyVersion } from './policyContract.js';
import { diffTable } from './policyDiff.js';
import { formatTime } from './time.js';
import { badge } from './ui.js';

/**
 * The policy's versions, newest first: who made each, when and why, what it changed against the
 * version it was based on, and for a draft (to the ops manager) the publish form, whose reason is
 * required: it is the audit's answer to "why did the deadlines move".
 */

const who = (a: Actor | null | undefined) => (a ? `${a.sub}（${t(`role.${a.role}`)}）` : '—');

export interface VersionsOptions {
  versions: PolicyVersion[];
  activeId: string;
  selectedId: string;
  /** The ops manager: drafts carry a publish form. */
  manager: boolean;
  hrefFor: (id: string) => string;
  onPublished: (v: PolicyVersion) => void;
}

export function versionsList(o: VersionsOptions): HTMLElement {
  if (o.versions.length === 0) return h('p', { class: 'empty' }, t('policy.noVersions'));
  return h('div', { class: 'versions', id: 'versions' }, ...o.versions.map((v) => versionCard(v, o)));
}

function versionCard(v: PolicyVersion, o: VersionsOptions): HTMLElement {
  const id = String(v.id);
  const facts: Array<[string, Node | string]> = [
    [t('version.createdBy'), `${who(v.createdBy)} · ${formatTime(v.createdAt)}`],
    [t('version.reason'), v.reason || '—'],
    [
      t('version.basedOn'),
      v.basedOn === null || v.basedOn === undefined
        ? t('version.seed')
        : h('a', { href: o.hrefFor(String(v.basedOn)) }, t('version.name', { id: String(v.basedOn) })),
    ],
  ];
  if (v.status === 'published') {
    facts.push([t('version.publishedBy'), `${who(v.publishedBy)} · ${formatTime(v.publishedAt)}`]);
    facts.push([t('version.publishReason'), v.publishReason || '—']);
  }
  const details = h(
    'details',
    { class: 'version card', id: `version-${id}`, 'data-status': v.status, open: id === o.selectedId },
    h(
      'summary',
      {},
      h('strong', {}, t('version.name', { id })),
      ' ',
      badge('version', v.status),
      id === o.activeId ? h('span', { class: 'badge version-active' }, t('version.active')) : null,
      h(
        'span',
        { class: 'muted' },
        ` ${who(v.createdBy)} · ${formatTime(v.createdAt)}${v.reason ? ` · ${v.reason}` : ''}`,
      ),
    ),
    h('dl', { class: 'facts' }, ...facts.flatMap(([k, val]) => [h('dt', {}, k), h('dd', {}, val)])),
    h(
      'h3',
      {},
      t('version.changes', { base: v.basedOn === null || v.basedOn === undefined ? '—' : String(v.basedOn) }),
    ),
    diffTable(v.changes ?? [], `diff-${id}`),
    v.events?.length ? eventsList(v.events) : null,
    h('p', {}, h('a', { href: o.hrefFor(id), class: 'view-version' }, t('version.view'))),
    o.manager && v.status === 'draft' ? publishForm(v, o.onPublished) : null,
  );
  return details;
}

function eventsList(events: NonNullable<PolicyVersion['events']>): HTMLElement {
  return h(
    'div',
    {},
    h('h3', {}, t('version.events')),
    h(
      'ol',
      { class: 'timeline' },
      ...events.map((e) =>
        h(
          'li',
          {},
          h('time', { datetime: e.at }, formatTime(e.at)),
          ' ',
          h('strong', {}, t(`policyEvent.${e.action}`)),
          ` · ${who(e.by)}`,
          e.reason ? ` · ${e.reason}` : '',
        ),
      ),
    ),
  );
}

function publishForm(v: PolicyVersion, onPublished: (v: PolicyVersion) => void): HTMLFormElement {
  const id = String(v.id);
  const fieldId = `publish-${id}-reason`;
  const reason = h('textarea', {
    id: fieldId,
    name: 'reason',
    required: true,
    rows: 2,
    maxlength: 500,
    'aria-describedby': `${fieldId}-error`,
  });
  const error = h('p', { class: 'field-error', id: `${fieldId}-error`, 'aria-live': 'polite' });
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, t('version.publish'));
  const form = h(
    'form',
    {
      class: 'action-form publish-form',
      'data-action': `publish-${id}`,
      'aria-label': t('version.publishTitle', { id }),
      novalidate: true,
    },
    h('h3', {}, t('version.publishTitle', { id })),
    h('p', { class: 'muted' }, t('version.publishHint')),
    h(
      'div',
      { class: 'field', 'data-field': 'reason' },
      h(
        'label',
        { for: fieldId },
        t('version.publishReason'),
        h('span', { class: 'req', 'aria-hidden': 'true' }, ' *'),
      ),
      reason,
      error,
    ),
    h('div', { class: 'buttons' }, button),
    formError,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    formError.textContent = '';
    // Checked here as well as by the API: an empty reason would otherwise cost a round trip to learn.
    if (!reason.value.trim()) {
      error.textContent = t('version.reasonRequired');
      reason.focus();
      return;
    }
    button.disabled = true;
    api<PolicyVersion>(`/v1/policy/versions/${encodeURIComponent(id)}/publish`, {
      method: 'POST',
      body: { reason: reason.value.trim() },
    })
      .then(onPublished)
      .catch((err: unknown) => {
        if (err instanceof ApiFailure) {
          const onReason = err.details.filter((d) => /(^|\.)reason$/.test(d.path));
          if (onReason.length) error.textContent = onReason.map((d) => d.message).join('；');
          // The two conflicts have words of their own; anything else keeps the API's message.
          const known = { already_published: 'version.alreadyPublished', stale_draft: 'version.stale' }[err.code];
          formError.textContent = `${err.status} ${err.code}: ${known ? `${t(known)}（${err.message}）` : err.message}`;
        } else {
          formError.textContent = t('error.generic', { message: (err as Error).message });
        }
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return form;
}
