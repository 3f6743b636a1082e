// HMAC-SHA256 signatures of capture posts: the sender signs the raw body with the form's secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_PREFIX } from '../../src-shared/http/capture.http';

/** The header value a sender puts on `body`: `sha256=<hex>`. */
export function signCaptureBody(body: Buffer | string, secret: string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(body).digest('hex');
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** True when `header` is the body's signature with `secret`; compared in constant time so timing reveals nothing. */
export function verifyCaptureSignature(body: Buffer, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith(SIGNATURE_PREFIX)) return false;
  const hex = header.slice(SIGNATURE_PREFIX.length).trim();
  if (!HEX_SHA256.test(hex)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}
