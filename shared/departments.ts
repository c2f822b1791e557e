import type { Category } from './domain';

/**
 * docs/domain.md §6.5: a case stays with customer service and is routed to the department
 * responsible for its category, which is told when the case opens and may add findings. The
 * departments, the categories each takes and who hears of a new case are policy (`departments`);
 * these are the defaults. Plain data and functions only: workflow code imports this module.
 */

export interface DepartmentPolicy {
  /** The categories routed to the department; a category is routed to one department at most. */
  categories: Category[];
  /** The people or roles told of each case routed to it. */
  notify: string[];
}

export const DEPARTMENT_DEFAULTS: Record<string, DepartmentPolicy> = {
  product: { categories: ['product'], notify: ['product-team'] },
  warehouse_logistics: { categories: ['logistics'], notify: ['warehouse-logistics'] },
  service_quality: { categories: ['service'], notify: ['service-quality'] },
  compliance: { categories: ['compliance'], notify: ['compliance'] },
};

/** The department a category is routed to, or null: customer service handles the case alone (after-sales, other). */
export function departmentOf(
  category: Category,
  departments: Record<string, DepartmentPolicy> | undefined,
): string | null {
  const table = departments ?? DEPARTMENT_DEFAULTS;
  return Object.keys(table).find((id) => table[id].categories.includes(category)) ?? null;
}

/**
 * Whether a staff member works for the department: their token's `department` claim names it, or
 * they hold the compliance role and the department takes compliance cases.
 */
export function worksFor(
  actor: { role: string; department?: string },
  department: string,
  departments: Record<string, DepartmentPolicy> | undefined,
): boolean {
  if (actor.department === department) return true;
  return (
    actor.role === 'compliance' &&
    ((departments ?? DEPARTMENT_DEFAULTS)[department]?.categories.includes('compliance') ?? false)
  );
}
