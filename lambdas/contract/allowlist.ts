/** The allowlist (design.md §3, §5.3): `PUT` / `DELETE /v1/allowlist/{address}`, `GET /v1/allowlist`. */
import * as z from "zod";
import { MAX_NOTE_CHARS } from "./admin.js";
import { SUBJECT_KINDS } from "./suppressions.js";
import { IsoTime } from "./taxonomy.js";

export const AllowRequest = z
  .strictObject({
    note: z.string().trim().min(1).max(MAX_NOTE_CHARS).optional().describe("Why: a seed list, a test inbox…"),
  })
  .meta({ id: "AllowRequest" });
export type AllowRequest = z.output<typeof AllowRequest>;

export const AllowlistEntry = z
  .strictObject({
    subjectKind: z.enum(SUBJECT_KINDS),
    subject: z.string().describe("The canonical address, or the domain (without `@`)."),
    note: z.string().nullable(),
    since: IsoTime().describe("When it was (last) put on the list."),
    actor: z.strictObject({ keyId: z.string(), name: z.string() }),
  })
  .meta({ id: "AllowlistEntry", description: "An address or domain provider events never suppress." });
export type AllowlistEntry = z.output<typeof AllowlistEntry>;

export const AllowlistPage = z
  .strictObject({ entries: z.array(AllowlistEntry).describe("Newest first.") })
  .meta({ id: "AllowlistPage" });
export type AllowlistPage = z.output<typeof AllowlistPage>;

export const DisallowAnswer = z
  .strictObject({
    subjectKind: z.enum(SUBJECT_KINDS),
    subject: z.string(),
    allowlisted: z.literal(false),
    actionId: z.string(),
    at: IsoTime(),
  })
  .meta({ id: "DisallowAnswer" });
export type DisallowAnswer = z.output<typeof DisallowAnswer>;

export const AllowlistState = z
  .strictObject({
    subjectKind: z.enum(SUBJECT_KINDS),
    subject: z.string().describe("The canonical address, or the domain (without `@`), as asked."),
    allowlisted: z.boolean().describe("Whether an active allowlist entry covers it."),
    entries: z
      .array(AllowlistEntry)
      .describe("The active entries that cover it: the address itself and its domain (for an address)."),
  })
  .meta({ id: "AllowlistState", description: "Whether provider events can suppress this address." });
export type AllowlistState = z.output<typeof AllowlistState>;
