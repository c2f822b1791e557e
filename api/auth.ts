import type { Response, RequestHandler } from 'express';
import { decodeJwt, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER } from '../config';
import { Role } from '../shared/domain';
import type { Actor } from '../shared/intake';
import { ApiError } from './errors';
import type { Operation } from './permissions';

/**
 * Bearer tokens (HS256): `sub` is the person, `role` what they may do; a merchant's token names its
 * merchant and a customer's token its customer, because ownership is checked against those. A token
 * counts only if it is HS256, from our issuer, for this API and not expired (it must say when it expires).
 */

export const Claims = z
  .object({
    sub: z.string().min(1),
    role: Role,
    merchantId: z.string().min(1).optional(),
    customerId: z.string().min(1).optional(),
    /** Staff of a department (docs/domain.md §6.5): they add findings to the cases routed to it. */
    department: z.string().min(1).max(64).optional(),
  })
  .refine((c) => c.role !== 'merchant' || c.merchantId, {
    message: 'a merchant token needs merchantId',
    path: ['merchantId'],
  })
  .refine((c) => c.role !== 'customer' || c.customerId, {
    message: 'a customer token needs customerId',
    path: ['customerId'],
  });
export type Claims = z.infer<typeof Claims>;

declare module 'express-serve-static-core' {
  interface Locals {
    /** The authenticated caller, set by `authenticate`. */
    actor?: Actor;
    /** The case a request is about, for logs and error bodies. */
    complaintId?: string;
    /** The route × role table's name of the route, set by `allow`; metrics label requests with it. */
    operation?: Operation;
  }
}

const key = (secret: string) => new TextEncoder().encode(secret);

/** What a token must be signed with and say about where it comes from and whom it is for. */
export interface TokenKey {
  secret: string;
  issuer: string;
  audience: string;
  /** The longest a token may live from `iat`; signing refuses a longer one, verifying refuses it too. */
  maxTokenAgeS?: number;
}

export interface Verification extends TokenKey {
  /** The secret before the current one, accepted (not signed with) while a rotation runs. */
  previousSecret?: string;
  maxTokenAgeS: number;
  clockToleranceS: number;
}

/** The bound a token's own lifetime (`exp` − `iat`) must keep, or why not. */
function lifetimeRefusal(payload: JWTPayload, maxTokenAgeS: number): string | null {
  if (typeof payload.iat !== 'number') return "the bearer token's iat claim is missing or not accepted here";
  if ((payload.exp ?? Infinity) - payload.iat > maxTokenAgeS)
    return `the bearer token lives longer than ${maxTokenAgeS} s; ask for a shorter one`;
  return null;
}

export function authenticate({
  secret,
  previousSecret,
  issuer,
  audience,
  maxTokenAgeS,
  clockToleranceS,
}: Verification): RequestHandler {
  // Current first: during a rotation most tokens are new.
  const keys = [key(secret), ...(previousSecret ? [key(previousSecret)] : [])];
  const options = {
    algorithms: ['HS256'],
    issuer,
    audience,
    requiredClaims: ['exp', 'iat'],
    maxTokenAge: maxTokenAgeS,
    clockTolerance: clockToleranceS,
  };
  const verify = async (token: string): Promise<JWTPayload> => {
    for (const [i, k] of keys.entries()) {
      try {
        return (await jwtVerify(token, k, options)).payload;
      } catch (err) {
        // Another key may have signed it; any other refusal is the token's own.
        if (!(err instanceof joseErrors.JWSSignatureVerificationFailed) || i === keys.length - 1) throw err;
      }
    }
    throw new joseErrors.JWSSignatureVerificationFailed();
  };
  return async (req, res, next) => {
    const [scheme, token] = (req.get('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token)
      throw new ApiError('unauthenticated', 'a bearer token is required');
    let payload: JWTPayload;
    try {
      payload = await verify(token);
    } catch (err) {
      throw new ApiError('unauthenticated', whyRefused(err));
    }
    const tooLong = lifetimeRefusal(payload, maxTokenAgeS);
    if (tooLong) throw new ApiError('unauthenticated', tooLong);
    const claims = Claims.safeParse(payload);
    if (!claims.success)
      throw new ApiError(
        'unauthenticated',
        `the bearer token's claims are incomplete: ${claims.error.issues.map((i) => i.message).join('; ')}`,
      );
    const { sub, role, merchantId, customerId, department } = claims.data;
    res.locals.actor = {
      sub,
      role,
      ...(merchantId && { merchantId }),
      ...(customerId && { customerId }),
      ...(department && { department }),
    };
    next();
  };
}

function whyRefused(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the bearer token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'iat' && err.reason === 'check_failed')
      return 'the bearer token is older than this API accepts; ask for a new one';
    return `the bearer token's ${err.claim} claim is missing or not accepted here`;
  }
  return 'the bearer token is not valid';
}

/** The caller of a route behind `authenticate`. */
export function callerOf(res: Response): Actor {
  const { actor } = res.locals;
  if (!actor) throw new ApiError('unauthenticated', 'a bearer token is required');
  return actor;
}

/**
 * A token as our issuer would sign it, for the dev stack, tests and benchmarks. A bare secret signs
 * for the dev issuer and audience, the defaults of config/.
 */
export async function signToken(signer: string | TokenKey, claims: Claims, expiresIn = '12h'): Promise<string> {
  const { secret, issuer, audience, maxTokenAgeS } =
    typeof signer === 'string' ? { secret: signer, issuer: DEV_JWT_ISSUER, audience: DEV_JWT_AUDIENCE } : signer;
  const { sub, ...rest } = Claims.parse(claims);
  const token = await new SignJWT(rest)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(secret));
  // jose reads the duration; the claims it wrote say how long the token would live.
  const { iat = 0, exp = Infinity } = decodeJwt(token);
  if (maxTokenAgeS !== undefined && exp - iat > maxTokenAgeS)
    throw new Error(`a token may live at most ${maxTokenAgeS} s (JWT_MAX_TOKEN_AGE_S); ${expiresIn} is ${exp - iat} s`);
  return token;
}
