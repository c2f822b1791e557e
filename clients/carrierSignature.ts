import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a carrier signs an event for POST /v1/carrier-events: header
 * `x-carrier-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with its secret>`.
 * The time inside the signature lets the API refuse a replay of an old request; the sandbox signs
 * with the same function, as a carrier's SDK would.
 */

export const SIGNATURE_HEADER = 'x-carrier-signature';
export const CARRIER_HEADER = 'x-carrier-id';
/** A signed request older (or further ahead) than this is refused: a captured request cannot be sent again later. */
export const SIGNATURE_TOLERANCE_S = 5 * 60;

function digest(secret: string, t: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

export function signCarrierEvent(secret: string, body: string, nowS = Math.floor(Date.now() / 1000)): string {
  return `t=${nowS},v1=${digest(secret, nowS, body)}`;
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

export function verifyCarrierSignature(
  secret: string,
  header: string | undefined,
  body: Buffer,
  nowS = Math.floor(Date.now() / 1000),
): SignatureVerdict {
  const fields = new Map((header ?? '').split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const t = Number(fields.get('t'));
  const v1 = fields.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1))
    return { ok: false, reason: `${SIGNATURE_HEADER} must read t=<unix seconds>,v1=<hex HMAC-SHA256>` };
  if (Math.abs(nowS - t) > SIGNATURE_TOLERANCE_S)
    return {
      ok: false,
      reason: `the signature's time is more than ${SIGNATURE_TOLERANCE_S / 60} minutes from now; sign the request again`,
    };
  const expected = Buffer.from(digest(secret, t, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex')))
    return { ok: false, reason: 'the signature does not match the body' };
  return { ok: true };
}
