/** `POST /v1/check`: the request and the verdicts (design.md §5.3). */
import * as z from "zod";
import { MAX_ADDRESS_INPUT_CHARS, MAX_CHECK_ADDRESSES } from "./check-request.js";
import { Cause, IsoTime, Scope, Source, VerdictReason } from "./taxonomy.js";

export const CheckRequest = z
  .object({
    addresses: z
      .array(z.string().max(MAX_ADDRESS_INPUT_CHARS))
      .min(1)
      .max(MAX_CHECK_ADDRESSES)
      .describe(`No address answers 400; more than ${MAX_CHECK_ADDRESSES} answer 413.`),
    scope: Scope.optional().describe(
      "Check for this scope: entries at `*` and every ancestor count. Default `*`.",
    ),
  })
  .meta({ id: "CheckRequest" });
export type CheckRequest = z.input<typeof CheckRequest>;

const canonical = z
  .string()
  .describe("Canonical form: trimmed, display name dropped, lower-cased, IDNA ASCII domain.");
const never = IsoTime().nullable().describe("`null` means never.");

export const SuppressedVerdict = z
  .strictObject({
    address: canonical,
    suppressed: z.literal(true),
    cause: Cause,
    reason: VerdictReason,
    scope: Scope,
    since: IsoTime().describe("When the winning cause started (its current life)."),
    expiresAt: never,
    source: Source,
  })
  .meta({ id: "SuppressedVerdict" });

export const UnsuppressedVerdict = z
  .strictObject({
    address: z.string().describe("Canonical form of the requested address."),
    suppressed: z.literal(false),
    cause: z.null(),
    reason: z.null(),
    scope: z.null(),
    since: z.null(),
    expiresAt: z.null(),
    source: z.null(),
  })
  .meta({ id: "UnsuppressedVerdict" });

export const BadAddressVerdict = z
  .strictObject({
    address: z.string().describe("The input as given, trimmed (it has no canonical form)."),
    suppressed: z.literal(true),
    cause: z.literal("bounce"),
    reason: z.strictObject({
      type: z.literal("invalid"),
      subtype: z.literal("bad_address_format"),
      reason: z.literal("bad_address_format"),
    }),
    scope: z.literal("*"),
    since: z.null(),
    expiresAt: z.null(),
    source: z.null(),
    problem: z.string().describe("Why the address could not be parsed."),
  })
  .meta({ id: "BadAddressVerdict", description: "A malformed address: suppressed, never stored." });

/** What the store answers for a canonical address. */
export type StoredVerdict = z.output<typeof SuppressedVerdict> | z.output<typeof UnsuppressedVerdict>;
export type BadAddressVerdict = z.output<typeof BadAddressVerdict>;

export const Verdict = z
  .union([SuppressedVerdict, UnsuppressedVerdict, BadAddressVerdict])
  .meta({ id: "Verdict" });
export type Verdict = z.output<typeof Verdict>;

export const CheckResponse = z
  .strictObject({
    results: z.array(Verdict).describe("One verdict per requested address, in request order."),
    suppressedCount: z.int().min(0),
  })
  .meta({ id: "CheckResponse" });
export type CheckResponse = z.output<typeof CheckResponse>;
