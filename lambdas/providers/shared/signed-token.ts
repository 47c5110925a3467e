import { createHmac } from "node:crypto";
import { sameSecret } from "../../core/secret-compare.js";
import type { VerifyContext, WebhookAuthError } from "../types.js";

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** What a provider that signs `timestamp + token` (Mailgun, SendCloud) sent. */
export type SignedToken = {
  readonly timestamp: string;
  /** The timestamp in epoch seconds (providers differ in units). */
  readonly signedAt: number;
  readonly token: string;
  /** Hex HMAC-SHA256 signatures; any one matching is enough (Mailgun's `parent-signature`). */
  readonly signatures: readonly (string | null | undefined)[];
};

export type SignedTokenPolicy = {
  readonly provider: string;
  readonly key: string;
  /** Tells an operator which key to check when the signature does not match. */
  readonly keyHint: string;
  readonly maxAgeSeconds: number;
  readonly maxFutureSeconds: number;
  readonly refuse: (message: string, slug: string, cause?: unknown) => WebhookAuthError;
};

function matches(expected: Buffer, given: string | null | undefined): boolean {
  const hex = given?.trim() ?? "";
  return HEX_SHA256.test(hex) && sameSecret(Buffer.from(hex, "hex"), expected);
}

/**
 * Checks a `hex(HMAC-SHA256(key, timestamp + token))` signature in constant time, then the time
 * window, then the token with the replay guard (last: only genuine tokens are remembered). The
 * window covers the provider's retry span, since only the token, not the event, is signed and
 * retries may carry the original timestamp; the guard keeps a long window safe.
 *
 * @throws WebhookAuthError `bad-signature`, `stale-timestamp` or `replayed-token`
 * @example
 * await verifySignedToken({ timestamp, signedAt: Number(timestamp), token, signatures: [sig] }, policy, context);
 */
export async function verifySignedToken(
  signed: SignedToken,
  policy: SignedTokenPolicy,
  context: VerifyContext,
): Promise<void> {
  const expected = createHmac("sha256", policy.key)
    .update(signed.timestamp + signed.token, "utf8")
    .digest();
  if (!signed.signatures.some((signature) => matches(expected, signature))) {
    throw policy.refuse(`The signature does not match: check ${policy.keyHint}.`, "bad-signature");
  }
  const now = Math.floor(context.now.getTime() / 1000);
  if (signed.signedAt < now - policy.maxAgeSeconds) {
    throw policy.refuse(
      `The signature timestamp is more than ${policy.maxAgeSeconds / 3600} h old.`,
      "stale-timestamp",
    );
  }
  if (signed.signedAt > now + policy.maxFutureSeconds) {
    throw policy.refuse("The signature timestamp is in the future; check the clock.", "stale-timestamp");
  }
  // The guard lets the same token with the same body through again: the provider retrying.
  if (!(await context.replayGuard(policy.provider, signed.token, signed.signedAt + policy.maxAgeSeconds))) {
    throw policy.refuse("This token was already used with another body (replay).", "replayed-token");
  }
}
