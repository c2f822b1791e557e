import type { CaseViewV1 } from './caseView';

/**
 * What a projection write sends after the first: the top-level fields of the view that changed
 * since the write before it (`set`) and those gone from it (`unset`). Most of a view stays as it
 * was between writes, and whole views were half of a case's history bytes (docs/benchmarks.md).
 */
export interface CaseViewChanges {
  set: Partial<CaseViewV1>;
  unset: string[];
}

/** Each top-level field of the view as its JSON: what reaches the store, and what the next write compares with. */
export type ViewFields = Record<string, string>;

export function viewFields(view: CaseViewV1): ViewFields {
  const fields: ViewFields = {};
  for (const [key, value] of Object.entries(view)) if (value !== undefined) fields[key] = JSON.stringify(value);
  return fields;
}

export function viewChanges(before: ViewFields, after: ViewFields, view: CaseViewV1): CaseViewChanges {
  const set: Record<string, unknown> = {};
  for (const [key, json] of Object.entries(after)) if (before[key] !== json) set[key] = view[key as keyof CaseViewV1];
  return { set, unset: Object.keys(before).filter((key) => !(key in after)) };
}

export function applyViewChanges(view: CaseViewV1, { set, unset }: CaseViewChanges): CaseViewV1 {
  const next: Record<string, unknown> = { ...view, ...set };
  for (const key of unset) delete next[key];
  return next as CaseViewV1;
}

/** A changes-only write found the stored case at another version than the one the changes follow: the workflow sends the whole view. */
export const PROJECTION_BEHIND = 'ProjectionBehind';
