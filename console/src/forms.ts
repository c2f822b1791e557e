import { api, ApiFailure } from './api.js';
import type { CaseView, JsonSchema } from './contract.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * Action forms drawn from the API's own validation rules: each action's body schema in
 * `/openapi.json` gives the fields, their choices, lengths and which are required. What the
 * schema cannot say (a refund needs an amount, policy refusals) comes back from the API and is
 * shown next to the field it names.
 */

let contract: Promise<{
  paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: JsonSchema }> } } }>;
  components?: { schemas?: Record<string, JsonSchema> };
}> | null = null;

/** The body `POST <path>` takes, as `/openapi.json` publishes it (a named schema read from its components). */
export async function requestSchema(path: string): Promise<JsonSchema> {
  contract ??= fetch('/openapi.json').then((r) => r.json());
  const doc = await contract;
  const schema = doc.paths[path]?.post?.requestBody?.content['application/json']?.schema;
  const named = schema?.$ref?.replace(/^#\/components\/schemas\//, '');
  const body = named === undefined ? schema : doc.components?.schemas?.[named];
  if (!body) throw new Error(`the API publishes no body for POST ${path}`);
  return body;
}

const bodySchema = (action: string) => requestSchema(`/v1/complaints/{id}/${action}`);

/** Which field a refusal without a field path is about. */
const FIELD_OF_CODE: Record<string, string[]> = {
  amount_exceeds_paid: ['amountFen'],
  policy_refused: ['amountFen'],
  forbidden_wording: ['message', 'note', 'reason'],
  deadline_passed: ['reason'],
};

/** Option labels: the enum's own words in the console's language. */
const ENUM_PREFIX: Record<string, string> = {
  type: 'type',
  responsibility: 'responsibility',
  decision: 'decision',
  kind: 'kind',
};

const isMoney = (name: string) => /Fen$/.test(name);

interface Field {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

function fieldsOf(schema: JsonSchema, fixed: Record<string, unknown>): Field[] {
  const required = new Set(schema.required ?? []);
  const fields: Field[] = [];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (name in fixed) continue;
    // A list of things (evidence items): one at a time, under the path the API reports errors with.
    if (prop.type === 'array' && prop.items?.properties) {
      const inner = new Set(prop.items.required ?? []);
      for (const [sub, subProp] of Object.entries(prop.items.properties))
        fields.push({ name: `${name}.0.${sub}`, schema: subProp, required: inner.has(sub) });
    } else {
      fields.push({ name, schema: prop, required: required.has(name) });
    }
  }
  return fields;
}

function control(form: string, f: Field): HTMLElement {
  const id = `${form}-${f.name.replace(/\./g, '-')}`;
  const common = { id, name: f.name, required: f.required, 'aria-describedby': `${id}-error` };
  const leaf = f.name.split('.').pop() ?? f.name;
  if (f.schema.enum) {
    const prefix = ENUM_PREFIX[leaf];
    return h(
      'select',
      common,
      ...f.schema.enum.map((v) => h('option', { value: v }, prefix ? t(`${prefix}.${v}`) : v)),
    );
  }
  if (f.schema.type === 'boolean')
    return h('input', { ...common, type: 'checkbox', required: false, checked: f.schema.default === true });
  if (f.schema.type === 'integer' || f.schema.type === 'number') {
    const max = f.schema.maximum;
    return isMoney(leaf)
      ? h('input', {
          ...common,
          type: 'number',
          inputmode: 'decimal',
          step: '0.01',
          min: '0.01',
          max: max === undefined ? null : max / 100,
        })
      : h('input', { ...common, type: 'number', step: '1', min: f.schema.minimum ?? null, max: max ?? null });
  }
  const limits = { maxlength: f.schema.maxLength ?? null, minlength: f.schema.minLength ?? null };
  if ((f.schema.maxLength ?? 0) > 300) return h('textarea', { ...common, ...limits, rows: 3 });
  return h('input', { ...common, ...limits, type: f.schema.format === 'uri' ? 'url' : 'text' });
}

function valueOf(el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, f: Field): unknown {
  if (el instanceof HTMLInputElement && el.type === 'checkbox') return el.checked;
  const raw = el.value.trim();
  if (raw === '') return undefined;
  if (f.schema.type === 'integer' || f.schema.type === 'number') {
    const n = Number(raw);
    return isMoney(f.name) ? Math.round(n * 100) : n;
  }
  return raw;
}

function setPath(body: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at: Record<string, unknown> | unknown[] = body;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const key = /^\d+$/.test(part) ? Number(part) : part;
    const container = at as Record<string | number, unknown>;
    if (last) container[key] = value;
    else at = (container[key] ??= /^\d+$/.test(parts[i + 1] ?? '') ? [] : {}) as Record<string, unknown>;
  });
}

interface FormCommon {
  complaintId: string;
  action: string;
  /** Fields the console fills itself (an agent takes a case for themself). */
  fixed?: Record<string, unknown>;
  /** An enum field whose choices become the submit buttons (approve / reject). */
  choiceButtons?: string;
  title?: string;
}

/** A case's action, answered with the case; or a route beside the case (its OpenAPI path, and the URL with its ids). */
export type ActionForm = FormCommon &
  ({ route?: undefined; onDone(view: CaseView): void } | { route: { path: string; url: string }; onDone(): void });

export async function actionForm(opts: ActionForm): Promise<HTMLFormElement> {
  const schema = await (opts.route ? requestSchema(opts.route.path) : bodySchema(opts.action));
  const fixed = opts.fixed ?? {};
  const formId = `${opts.action.replace(/\//g, '-')}-${opts.complaintId}`.replace(/[^\w-]/g, '_');
  const fields = fieldsOf(schema, fixed);
  const visible = fields.filter((f) => f.name !== opts.choiceButtons);
  const controls = new Map(visible.map((f) => [f.name, control(formId, f) as HTMLInputElement]));
  const errors = new Map(
    fields.map((f) => [
      f.name,
      h('p', { class: 'field-error', id: `${formId}-${f.name.replace(/\./g, '-')}-error`, 'aria-live': 'polite' }),
    ]),
  );
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const choice = fields.find((f) => f.name === opts.choiceButtons);
  const buttons = choice?.schema.enum
    ? choice.schema.enum.map((v) =>
        h('button', { type: 'submit', name: choice.name, value: v, class: `btn btn-${v}` }, t(`action.${v}`)),
      )
    : [h('button', { type: 'submit', class: 'btn btn-primary' }, t('action.submit'))];

  const form = h(
    'form',
    { class: 'action-form', 'data-action': opts.action, 'aria-label': opts.title ?? t(`action.${opts.action}`) },
    opts.title === '' ? null : h('h3', {}, opts.title ?? t(`action.${opts.action}`)),
    ...visible.map((f) => {
      const el = controls.get(f.name)!;
      const label = h(
        'label',
        { for: el.id },
        t(`field.${f.name}`),
        f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
      );
      return h(
        'div',
        { class: el.type === 'checkbox' ? 'field check' : 'field', 'data-field': f.name },
        el.type === 'checkbox' ? [el, label] : [label, el],
        errors.get(f.name),
      );
    }),
    choice ? errors.get(choice.name) : null,
    h('div', { class: 'buttons' }, ...buttons),
    formError,
  );

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const submitter = e.submitter as HTMLButtonElement | null;
    const body: Record<string, unknown> = { ...fixed };
    for (const f of visible) {
      const value = valueOf(controls.get(f.name)!, f);
      if (value !== undefined) setPath(body, f.name, value);
    }
    if (choice && submitter?.name === choice.name) body[choice.name] = submitter.value;
    for (const el of errors.values()) el.textContent = '';
    formError.textContent = '';
    for (const b of buttons) b.disabled = true;
    const url = opts.route?.url ?? `/v1/complaints/${encodeURIComponent(opts.complaintId)}/${opts.action}`;
    api<CaseView>(url, { method: 'POST', body })
      .then((view) => (opts.route ? opts.onDone() : opts.onDone(view)))
      .catch((err: unknown) => showRefusal(err, errors, formError, controls))
      .finally(() => {
        for (const b of buttons) b.disabled = false;
      });
  });
  return form;
}

/** The API's refusal, next to the field it is about; what names no field goes under the form. */
function showRefusal(
  err: unknown,
  errors: Map<string, HTMLElement>,
  formError: HTMLElement,
  controls: Map<string, HTMLInputElement>,
): void {
  if (!(err instanceof ApiFailure)) {
    formError.textContent = t('error.generic', { message: (err as Error).message });
    return;
  }
  let placed = false;
  for (const d of err.details) {
    const el = errors.get(d.path);
    if (el) {
      el.textContent = d.message;
      placed = true;
    }
  }
  const byCode = (FIELD_OF_CODE[err.code] ?? []).find((name) => errors.has(name));
  if (!placed && byCode) {
    errors.get(byCode)!.textContent = `${err.code}: ${err.message}`;
    controls.get(byCode)?.focus();
    placed = true;
  }
  formError.textContent = placed ? `${err.status} ${err.code}` : `${err.status} ${err.code}: ${err.message}`;
}
