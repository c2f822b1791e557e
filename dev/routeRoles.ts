import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Operation } from '../api/permissions';
import { Role } from '../shared/domain';

/**
 * Who may call each route: test/fixtures/access.json, transcribed by hand from the HTTP contract (route × role
 * × own/other), read here for the API tests, the simulation and the bench, so they check the API
 * against the contract instead of against its own PERMISSIONS table. There is no other copy.
 */

export const Relation = z.enum(['own', 'other']);
export type Relation = z.infer<typeof Relation>;

/** "allowed", or the status the role and ownership checks answer. */
const Expected = z.union([z.literal('allowed'), z.literal(403), z.literal(404)]);
export type Expected = z.infer<typeof Expected>;

const RoleRows = z.strictObject({
  $comment: z.string().optional(),
  ...Object.fromEntries(Role.options.map((role) => [role, z.strictObject({ own: Expected, other: Expected })])),
}) as unknown as z.ZodType<{ [R in Role]: Record<Relation, Expected> }>;

/** Who reaches a route that takes no bearer token: anyone, a carrier with its signature, or anyone in development mode only. */
export const Unauthenticated = z.enum(['anyone', 'carrier', 'development']);
export type Unauthenticated = z.infer<typeof Unauthenticated>;

const AccessFixture = z.object({
  source: z.string(),
  legend: z.record(z.string(), z.string()),
  routes: z.record(z.string(), RoleRows),
  approvalOnComplianceCase: RoleRows,
  unauthenticatedRoutes: z.record(z.string(), z.string()).transform((rows) =>
    Object.fromEntries(
      Object.entries(rows)
        .filter(([route]) => route !== '$comment')
        .map(([route, who]) => [route, Unauthenticated.parse(who)]),
    ),
  ),
});

const fixture = AccessFixture.parse(
  JSON.parse(readFileSync(path.join(__dirname, '../test/fixtures/access.json'), 'utf8')),
);

export const ACCESS = fixture.routes as Record<Operation, { [R in Role]: Record<Relation, Expected> }>;
/** The approval route on a compliance case: "compliance for compliance cases". */
export const APPROVAL_ON_COMPLIANCE_CASE = fixture.approvalOnComplianceCase;
/** The routes without a bearer token (`USE <path>`: everything under a path), and who reaches them. */
export const UNAUTHENTICATED: Record<string, Unauthenticated> = fixture.unauthenticatedRoutes;

const reaches = (rows: Record<Relation, Expected>) => rows.own !== 403 || rows.other !== 403;

/**
 * The roles the contract lets past the route's role check (on some case): those not refused 403
 * whatever the case. The approval's approvers are the supervisor and, on compliance cases, compliance;
 * the operations manager decides one only once its deadline escalated to them (docs/domain.md §5.3), a case state no
 * row of the fixture holds, so it is added here for the callers (simulation, bench) judging routes.
 */
export const API_MD_ROLES = Object.fromEntries(
  (Object.keys(ACCESS) as Operation[]).map((operation) => {
    const roles = Role.options.filter(
      (role) =>
        reaches(ACCESS[operation][role]) ||
        (operation === 'POST /v1/complaints/:id/approval' &&
          (reaches(APPROVAL_ON_COMPLIANCE_CASE[role]) || role === 'ops_manager')),
    );
    return [operation, roles];
  }),
) as unknown as Record<Operation, readonly Role[]>;

export function contractAllows(role: Role, operation: Operation): boolean {
  return API_MD_ROLES[operation].includes(role);
}
