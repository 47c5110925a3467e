/**
 * Operators' changes to entries (design.md §5.3): `PUT` and `DELETE /v1/suppressions/{address}`.
 * Classic zod: the admin function parses its requests with these schemas at run time (it is not
 * the check function, whose bundle carries zod/mini only).
 */
import * as z from "zod";
import { MAX_NOTE_CHARS } from "../core/limits.js";
import { SUBJECT_KINDS } from "./suppressions.js";
import { Cause, IsoTime, Scope } from "./taxonomy.js";

export { MAX_NOTE_CHARS };

const note = z.string().trim().min(1).max(MAX_NOTE_CHARS);

export const ManualSuppressionRequest = z
  .strictObject({
    scope: Scope.optional().describe("Default `*`: all mail."),
    note: note.optional().describe("Why, shown with the entry and kept in the history."),
    expiresAt: IsoTime().nullable().optional().describe("Default `null`: never. Must be in the future."),
  })
  .meta({
    id: "ManualSuppressionRequest",
    description: "A manual entry: the address (or `@domain`) is suppressed at the scope until it expires.",
  });
export type ManualSuppressionRequest = z.output<typeof ManualSuppressionRequest>;

const subject = {
  subjectKind: z.enum(SUBJECT_KINDS),
  subject: z.string().describe("The canonical address, or the domain (without `@`)."),
  scope: Scope,
};

export const ManualSuppressionAnswer = z
  .strictObject({
    ...subject,
    cause: z.literal("manual"),
    expiresAt: IsoTime().nullable(),
    note: z.string().nullable(),
    actionId: z.string().describe("The action's id in the history (the manual cause's `eventId`)."),
    at: IsoTime(),
  })
  .meta({ id: "ManualSuppressionAnswer" });
export type ManualSuppressionAnswer = z.output<typeof ManualSuppressionAnswer>;

/** The query of a removal (documented as parameters in docs/openapi.json, not as a component). */
export const RemovalQuery = z.strictObject({
  scope: Scope.optional(),
  cause: Cause.optional(),
  reason: note,
});
export type RemovalQuery = z.output<typeof RemovalQuery>;

export const RemovalAnswer = z
  .strictObject({
    ...subject,
    removed: z.array(Cause).min(1).describe("The causes that were live and now are not."),
    kept: z
      .array(Cause)
      .describe("Live causes left as they are: their latest event is dated after the request."),
    reason: z.string(),
    actionId: z.string(),
    at: IsoTime(),
  })
  .meta({ id: "RemovalAnswer" });
export type RemovalAnswer = z.output<typeof RemovalAnswer>;
