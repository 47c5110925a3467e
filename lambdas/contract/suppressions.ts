/** `GET /v1/suppressions/{address}`: the all-mail verdict plus every live entry (design.md §5.3). */
import * as z from "zod";
import { BadAddressVerdict, SuppressedVerdict, UnsuppressedVerdict } from "./check.js";
import { Cause, IsoTime, Scope, Source, VerdictReason } from "./taxonomy.js";

export const SUBJECT_KINDS = ["address", "domain"] as const;

export const LiveEntry = z
  .strictObject({
    subjectKind: z.enum(SUBJECT_KINDS).describe("On the address itself or on its whole domain."),
    subject: z.string(),
    scope: Scope,
    cause: Cause,
    reason: VerdictReason,
    since: IsoTime(),
    lastAt: IsoTime(),
    expiresAt: IsoTime().nullable().describe("`null` means never."),
    source: Source,
    eventId: z.string(),
    rule: z.string().nullable(),
    note: z.string().nullable().describe("The operator's note of a manual entry; `null` otherwise."),
  })
  .meta({ id: "LiveEntry", description: "One live cause of one entry." });
export type LiveEntry = z.output<typeof LiveEntry>;

const entries = z.array(LiveEntry);

export const SuppressedAddressView = SuppressedVerdict.extend({ entries }).meta({
  id: "SuppressedAddressView",
});
export const UnsuppressedAddressView = UnsuppressedVerdict.extend({ entries }).meta({
  id: "UnsuppressedAddressView",
});
export const BadAddressView = BadAddressVerdict.extend({ entries: entries.max(0) }).meta({
  id: "BadAddressView",
});

export const AddressView = z
  .union([SuppressedAddressView, UnsuppressedAddressView, BadAddressView])
  .meta({ id: "AddressView" });
export type AddressView = z.output<typeof AddressView>;
