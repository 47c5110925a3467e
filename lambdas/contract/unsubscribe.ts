/**
 * One-click unsubscribe links (design.md §5.3, docs/unsubscribe.md): `POST /v1/unsubscribe-links`
 * makes them; recipients open them at `GET /u/{token}` and mailbox providers post to them
 * (RFC 8058) at `POST /u/{token}`.
 */
import * as z from "zod";
import { MAX_ADDRESS_INPUT_CHARS } from "./check-request.js";
import { IsoTime, Scope } from "./taxonomy.js";

/** Addresses per call: a campaign's batch, as `POST /v1/check` takes. */
export const MAX_UNSUBSCRIBE_LINKS = 1000;
/** A link's life when the request names none: long past the 30 days CAN-SPAM asks links to work. */
export const DEFAULT_UNSUBSCRIBE_LINK_DAYS = 90;
/** The longest life a link may have. */
export const MAX_UNSUBSCRIBE_LINK_DAYS = 730;
/** A one-click or form body is a few dozen bytes; more is not a mailbox provider's or our form's. */
export const MAX_UNSUBSCRIBE_BODY_BYTES = 16 * 1024;
/** The value RFC 8058 puts in `List-Unsubscribe-Post`, and the body a one-click POST carries. */
export const ONE_CLICK = "List-Unsubscribe=One-Click";

const AddressInput = z.string().min(1).max(MAX_ADDRESS_INPUT_CHARS);

const LinkOptions = {
  scope: Scope.optional().describe(
    "What the recipient unsubscribes from: `*` (all mail, the default) or a list/topic.",
  ),
  expiresInDays: z
    .int()
    .min(1)
    .max(MAX_UNSUBSCRIBE_LINK_DAYS)
    .optional()
    .describe(`Days the link works; default ${DEFAULT_UNSUBSCRIBE_LINK_DAYS}.`),
};

export const UnsubscribeLinkRequest = z
  .union([
    z.strictObject({ address: AddressInput, ...LinkOptions }),
    z.strictObject({
      addresses: z.array(AddressInput).min(1).max(MAX_UNSUBSCRIBE_LINKS),
      ...LinkOptions,
    }),
  ])
  .meta({
    id: "UnsubscribeLinkRequest",
    description: `One address (\`address\`), or a campaign's batch (\`addresses\`, 1 to ${MAX_UNSUBSCRIBE_LINKS}).`,
  });
export type UnsubscribeLinkRequest = z.output<typeof UnsubscribeLinkRequest>;

export const UnsubscribeHeaders = z
  .strictObject({
    "List-Unsubscribe": z.string().describe("`<url>`, the RFC 2369 header's value."),
    "List-Unsubscribe-Post": z.literal(ONE_CLICK).describe("RFC 8058's header: the link is one-click."),
  })
  .meta({ id: "UnsubscribeHeaders", description: "The two headers to put on the message, as they are." });

export const UnsubscribeLink = z
  .strictObject({
    address: z.string().describe("The canonical address (masked without `pii`)."),
    scope: Scope,
    expiresAt: IsoTime(),
    url: z.url().describe("The link: `GET` shows a confirmation page, `POST` one-click unsubscribes."),
    token: z.string().describe("The link's opaque, sealed token (the last path segment of `url`)."),
    headers: UnsubscribeHeaders,
  })
  .meta({ id: "UnsubscribeLink" });
export type UnsubscribeLink = z.output<typeof UnsubscribeLink>;

export const UnsubscribeLinks = z
  .strictObject({ links: z.array(UnsubscribeLink).describe("In the order of `addresses`.") })
  .meta({ id: "UnsubscribeLinks" });
export type UnsubscribeLinks = z.output<typeof UnsubscribeLinks>;
