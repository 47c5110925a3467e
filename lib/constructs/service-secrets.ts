import { RemovalPolicy, SecretValue, Validations } from "aws-cdk-lib";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { PROVIDER_SECRET_NAMES } from "../../lambdas/providers/registry.js";

const NO_ROTATION_REASON =
  "No rotation Lambda: the value is shared with parties outside AWS (API callers, or the ESP that signs " +
  "webhooks), so rotating it is a coordinated operator procedure (put-secret-value; the functions see " +
  "the new value within 5 minutes), documented in docs/deploy.md (Secrets).";

const UNSUBSCRIBE_KEYS_ROTATION_REASON =
  "No rotation Lambda: the unsubscribe token keys sign links already sent in emails, so rotating means " +
  "adding a key, not replacing one: an operator puts a new kid first in the JSON object (it signs new " +
  "links) and keeps the old ones (they verify the links already sent until those expire), see docs/deploy.md (Secrets).";

/** What the unsubscribe token keys' secret holds at first: `{"k1":"<64 letters and digits>"}`. */
export const UNSUBSCRIBE_FIRST_KID = "k1";

/**
 * The service's secrets in Secrets Manager (encrypted with the account's `aws/secretsmanager` key),
 * kept when the stack is deleted:
 * - the bearer API key, generated at deploy time (48 letters and digits);
 * - the providers' webhook secrets, one JSON object with an empty value per provider: operators fill
 *   in the providers they use (an empty value makes that provider reject its webhooks).
 * - the internal key (address hashes in logs, sealed cursors), generated at deploy time;
 * - the unsubscribe token keys (lambdas/core/unsubscribe-token.ts), a JSON object of kid → secret
 *   generated at deploy time as `{"k1":"<64 letters and digits>"}`: the first entry seals new
 *   tokens, every entry opens them.
 * The functions re-read the first two and the last every 5 minutes (`SECRET_MAX_AGE_SECONDS`, lambdas/handlers/secret-api-key.ts).
 */
export class ServiceSecrets extends Construct {
  readonly apiKey: secretsmanager.Secret;
  readonly providerSecrets: secretsmanager.Secret;
  readonly internalKey: secretsmanager.Secret;
  readonly unsubscribeKeys: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.apiKey = new secretsmanager.Secret(this, "ApiKey", {
      description: "suppression-service bearer API key (Authorization: Bearer <key>)",
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The template holds only empty placeholders; CloudFormation rewrites the value only when this
    // template property changes (so operators' values survive ordinary deploys).
    this.providerSecrets = new secretsmanager.Secret(this, "ProviderSecrets", {
      description: "suppression-service webhook secrets of the ESPs (JSON; empty = provider disabled)",
      // Empty placeholders, not secrets: nothing confidential is in the template.
      secretObjectValue: Object.fromEntries(
        PROVIDER_SECRET_NAMES.map((n) => [n, SecretValue.unsafePlainText("")]),
      ),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The internal key (lambdas/store/internal-key.ts): the address hashes in logs and the
    // sealing of paging cursors. Logging is synchronous, so the functions get it as `INTERNAL_KEY`
    // through a CloudFormation dynamic reference (resolved at deploy time, never in the template):
    // it keeps log readers from testing guessed addresses against hashes and callers from reading
    // or forging cursors, and whoever can read a function's configuration can read its logs anyway.
    this.internalKey = new secretsmanager.Secret(this, "InternalKey", {
      description: "suppression-service internal key (address hashes in logs, sealed cursors)",
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const secret of [this.apiKey, this.providerSecrets, this.internalKey]) {
      Validations.of(secret).acknowledge({ id: "AwsSolutions-SMG4", reason: NO_ROTATION_REASON });
    }
    // Generated once (CloudFormation keeps the value across deploys: the template holds only the
    // generation settings), read by the unsubscribe function through Powertools Parameters.
    this.unsubscribeKeys = new secretsmanager.Secret(this, "UnsubscribeKeys", {
      description:
        "suppression-service unsubscribe token keys (JSON kid → secret; the first entry signs, all verify)",
      generateSecretString: {
        secretStringTemplate: "{}",
        generateStringKey: UNSUBSCRIBE_FIRST_KID,
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.unsubscribeKeys).acknowledge({
      id: "AwsSolutions-SMG4",
      reason: UNSUBSCRIBE_KEYS_ROTATION_REASON,
    });
  }
}
