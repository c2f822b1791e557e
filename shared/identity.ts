/**
 * Workflow ids derived from the complaint's identity (customer + order + problem type), so a second
 * submission of the same complaint reaches the running case instead of a new one.
 *
 * Identifiers (customer, order, merchant, SKU, agent ids) are 1–64 of `A–Z a–z 0–9 _ -`
 * (IDENTIFIER_PATTERN, enforced by the API's schemas); the parts of a case id are joined with `.`,
 * which no identifier holds, so two complaints never share an id: `cmp.c-1.o-100.quality_defect`.
 * Ids of cases opened before (`cmp-<customer>-<order>-<problem>`, joined with `-`) never contain a
 * `.`, so no new id equals an old one.
 */
export const IDENTIFIER_MAX = 64;
export const IDENTIFIER_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${IDENTIFIER_MAX}}$`);
export const IDENTIFIER_RULE = `1 to ${IDENTIFIER_MAX} letters (A-Z, a-z), digits, "_" or "-"`;

/** A case id: the new form, or one of the older `-`-joined form that running cases keep. */
export const CASE_ID_PATTERN = /^[A-Za-z0-9_.-]{1,200}$/;
export const CASE_ID_RULE = '1 to 200 letters (A-Z, a-z), digits, "_", "-" or "."';

const SEPARATOR = '.';

function part(name: string, value: string): string {
  // The API refuses such ids with a 400 before this; reaching here is a bug, and a collision would be worse.
  if (!IDENTIFIER_PATTERN.test(value))
    throw new Error(`${name} ${JSON.stringify(value)} is not an identifier (${IDENTIFIER_RULE})`);
  return value;
}

export function complaintWorkflowId(customerId: string, orderId: string, subType: string, attempt = 1): string {
  const base = ['cmp', part('customerId', customerId), part('orderId', orderId), part('subType', subType)].join(
    SEPARATOR,
  );
  return attempt === 1 ? base : `${base}${SEPARATOR}${attempt}`;
}

function slug(part: string): string {
  return part.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 48);
}

export function groupWorkflowId(kind: 'merchant' | 'sku', key: string): string {
  return `complaint-group-${kind}-${slug(key)}`;
}
