/**
 * Readable workflow ids derived from the complaint's identity (customer + order + problem type),
 * so a second submission of the same complaint reaches the running case instead of a new one.
 */
function slug(part: string): string {
  return part.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 48);
}

export function complaintWorkflowId(customerId: string, orderId: string, subType: string, attempt = 1): string {
  const base = `cmp-${slug(customerId)}-${slug(orderId)}-${slug(subType)}`;
  return attempt === 1 ? base : `${base}-${attempt}`;
}

export function groupWorkflowId(kind: 'merchant' | 'sku', key: string): string {
  return `complaint-group-${kind}-${slug(key)}`;
}
