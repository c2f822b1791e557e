import { session, signIn, signOut, whenUnauthenticated } from './api.js';
import { approvalsPage } from './approvals.js';
import { casePage, setTemporalUi } from './casePage.js';
import { h } from './dom.js';
import { fixesPage } from './fixes.js';
import { lang, setLang, t } from './i18n.js';
import { policyPage } from './policyPage.js';
import { professionalPage } from './professional.js';
import { qaPage } from './qa.js';
import { suppliersPage } from './suppliers.js';
import { escalatedPage, queuePage } from './queue.js';
import { reportsPage } from './reports.js';
import { setTimeZone, tickCountdowns } from './time.js';
import { departmentText, message } from './ui.js';

/**
 * The console: a hash router over a handful of pages, each rendered from the API's answers. The
 * page is read again every 30 s (lists change as cases move); countdowns tick every second in place.
 */

interface ConsoleConfig {
  devSignIn: boolean;
  timeZone: string;
  temporalUi: { port: number; namespace: string };
}

const ROLES = ['agent', 'supervisor', 'ops_manager', 'compliance'];
const REFRESH_MS = 30_000;

/** Each role's pages, the first being where sign-in lands. */
const MENU: Record<string, Array<[string, string]>> = {
  agent: [
    ['#/queue', 'nav.queue'],
    ['#/policy', 'nav.policy'],
  ],
  supervisor: [
    ['#/approvals', 'nav.approvals'],
    ['#/escalated', 'nav.escalated'],
    ['#/reports', 'nav.reports'],
    ['#/qa', 'nav.qa'],
    ['#/suppliers', 'nav.suppliers'],
    ['#/fixes', 'nav.fixes'],
    ['#/policy', 'nav.policy'],
  ],
  compliance: [
    ['#/approvals', 'nav.approvals'],
    ['#/escalated', 'nav.escalated'],
    ['#/professional', 'nav.professional'],
    ['#/policy', 'nav.policy'],
  ],
  ops_manager: [
    ['#/reports', 'nav.reports'],
    ['#/escalated', 'nav.escalated'],
    ['#/approvals', 'nav.approvals'],
    ['#/qa', 'nav.qa'],
    ['#/professional', 'nav.professional'],
    ['#/suppliers', 'nav.suppliers'],
    ['#/fixes', 'nav.fixes'],
    ['#/policy', 'nav.policy'],
  ],
};

const root = document.getElementById('app')!;
let config: ConsoleConfig;
let refreshTimer: number | undefined;

const go = (hash: string) => {
  if (location.hash === hash) void render();
  else location.hash = hash;
};

function header(): HTMLElement {
  const s = session();
  const langButton = h(
    'button',
    { type: 'button', class: 'btn btn-link', id: 'lang-switch', lang: lang() === 'zh' ? 'en' : 'zh-CN' },
    t('nav.lang'),
  );
  langButton.addEventListener('click', () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    void render();
  });
  const out = h('button', { type: 'button', class: 'btn btn-link', id: 'sign-out' }, t('nav.signout'));
  out.addEventListener('click', () => {
    signOut();
    go('#/signin');
  });
  const current = location.hash.split('?')[0];
  return h(
    'header',
    { class: 'topbar' },
    h('a', { href: '#main', class: 'skip' }, t('nav.skip')),
    h('span', { class: 'brand' }, t('app.title')),
    s
      ? h(
          'nav',
          { 'aria-label': t('app.title') },
          ...(MENU[s.role] ?? []).map(([href, key]) =>
            h('a', { href, 'aria-current': current === href ? 'page' : null }, t(key)),
          ),
        )
      : null,
    h('span', { class: 'spacer' }),
    s
      ? h(
          'span',
          { class: 'who' },
          t('signed.as', {
            sub: s.sub,
            role: s.department ? `${t(`role.${s.role}`)} · ${departmentText(s.department)}` : t(`role.${s.role}`),
          }),
        )
      : null,
    langButton,
    s ? out : null,
  );
}

function signInPage(): HTMLElement {
  const error = h('p', { class: 'field-error', id: 'signin-error', 'aria-live': 'polite' });
  const form = config.devSignIn
    ? h(
        'form',
        { class: 'signin', 'aria-label': t('signin.title') },
        h('p', { class: 'muted' }, t('signin.dev')),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'signin-role' }, t('signin.role')),
          h(
            'select',
            { id: 'signin-role', name: 'role' },
            ...ROLES.map((r) => h('option', { value: r }, t(`role.${r}`))),
          ),
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'signin-sub' }, t('signin.sub')),
          h('input', {
            id: 'signin-sub',
            name: 'sub',
            required: true,
            maxlength: 64,
            value: 'agent-7',
            autocomplete: 'username',
            'aria-describedby': 'signin-error',
          }),
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'signin-department' }, t('signin.department')),
          h('input', {
            id: 'signin-department',
            name: 'department',
            maxlength: 64,
            pattern: '[A-Za-z0-9_\\-]{1,64}',
            'aria-describedby': 'signin-error',
          }),
        ),
        error,
        h('button', { type: 'submit', class: 'btn btn-primary' }, t('signin.submit')),
      )
    : h(
        'form',
        { class: 'signin', 'aria-label': t('signin.title') },
        h('p', { class: 'muted' }, t('signin.prod')),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'signin-token' }, t('signin.token')),
          h('textarea', {
            id: 'signin-token',
            name: 'token',
            required: true,
            rows: 4,
            'aria-describedby': 'signin-error',
          }),
        ),
        error,
        h('button', { type: 'submit', class: 'btn btn-primary' }, t('signin.submit')),
      );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const token = config.devSignIn
      ? fetch('/console/dev-token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            role: data.get('role'),
            sub: data.get('sub'),
            // docs/domain.md §6.5: blank for staff of no department.
            ...(data.get('department') ? { department: data.get('department') } : {}),
          }),
        }).then(async (r) => {
          const body = (await r.json()) as { token?: string; error?: { message: string } };
          if (!body.token) throw new Error(body.error?.message ?? r.statusText);
          return body.token;
        })
      : Promise.resolve(typeof data.get('token') === 'string' ? (data.get('token') as string).trim() : '');
    token
      .then((tk) => {
        const s = signIn(tk);
        go(MENU[s.role]?.[0]?.[0] ?? '#/queue');
      })
      .catch((err: Error) => {
        error.textContent = `${t('signin.bad')}: ${err.message}`;
      });
  });
  return h('div', { class: 'page narrow' }, h('h1', { tabindex: '-1' }, t('signin.title')), form);
}

async function page(): Promise<HTMLElement> {
  const [path = '', queryText = ''] = location.hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(queryText);
  const s = session();
  if (!s || path === '/signin') return signInPage();
  const rerender = () => void render();
  const caseMatch = /^\/case\/(.+)$/.exec(path);
  if (caseMatch) return casePage(decodeURIComponent(caseMatch[1]), rerender);
  switch (path) {
    case '/queue':
      return queuePage(query, go);
    case '/approvals':
      return approvalsPage();
    case '/escalated':
      return escalatedPage();
    case '/reports':
      return reportsPage(query, go);
    case '/policy':
      return policyPage(query, go);
    case '/qa':
      return qaPage(query, s.role, go);
    case '/professional':
      return professionalPage(query, go);
    case '/suppliers':
      return suppliersPage(query, go);
    case '/fixes':
      return fixesPage(s.role, go);
    default: {
      const home = MENU[s.role]?.[0]?.[0];
      if (home) {
        history.replaceState(null, '', home);
        return page();
      }
      return h('div', { class: 'page' }, message(t('error.generic', { message: `${s.role}` }), 'error'));
    }
  }
}

let rendering = 0;
async function render(): Promise<void> {
  const mine = ++rendering;
  window.clearTimeout(refreshTimer);
  const focusedAction = document.activeElement?.closest('form')?.getAttribute('data-action');
  let body: HTMLElement;
  try {
    body = await page();
  } catch (err) {
    body = h('div', { class: 'page' }, message(t('error.generic', { message: (err as Error).message }), 'error'));
  }
  // A newer navigation finished first: its page stays.
  if (mine !== rendering) return;
  const main = h('main', { id: 'main', tabindex: '-1' }, body);
  root.replaceChildren(header(), main);
  document.title = `${body.querySelector('h1')?.textContent ?? ''} · ${t('app.title')}`;
  tickCountdowns(root);
  // Keyboard users keep their place: back in the form they just used if it is still there, else at the heading.
  const again = focusedAction
    ? body.querySelector<HTMLElement>(`form[data-action="${focusedAction}"] :is(input, select, textarea, button)`)
    : null;
  (again ?? body.querySelector<HTMLElement>('h1'))?.focus({ preventScroll: !again });
  // Lists and cases move on their own (deadlines, other people); read again unless the person is typing.
  // A page of things that change only by a person's hand (the policy) opts out: redrawing would drop what they typed.
  if (body.dataset.refresh === 'off') return;
  refreshTimer = window.setTimeout(function again() {
    if (document.activeElement?.closest('form')) refreshTimer = window.setTimeout(again, REFRESH_MS);
    else void render();
  }, REFRESH_MS);
}

async function start(): Promise<void> {
  setLang(lang());
  config = (await fetch('/console/config.json').then((r) => r.json())) as ConsoleConfig;
  setTimeZone(config.timeZone);
  setTemporalUi(config.temporalUi);
  whenUnauthenticated(() => {
    signOut();
    go('#/signin');
  });
  window.addEventListener('hashchange', () => void render());
  window.setInterval(() => tickCountdowns(root), 1000);
  await render();
}

void start();
