/** RFC 9457 problem details, as every error is answered (design.md §5.3), and `GET /healthz`. */
import * as z from "zod";

/** The statuses we answer with a problem document. */
export const PROBLEM_STATUSES = [400, 401, 403, 404, 405, 406, 409, 413, 415, 429, 500, 503] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export const InputIssue = z
  .strictObject({
    path: z.string().describe("Dotted path into the input (`addresses.0`)."),
    message: z.string(),
  })
  .meta({ id: "InputIssue" });

export const ProblemDocument = z
  .strictObject({
    type: z.url().describe("`https://suppression-service.dev/problems/<slug>`."),
    title: z.string(),
    status: z.literal(PROBLEM_STATUSES),
    detail: z.string(),
    errors: z.array(InputIssue).min(1).readonly().optional(),
  })
  .meta({ id: "ProblemDocument", description: "RFC 9457 problem details." });
export type ProblemDocument = z.output<typeof ProblemDocument>;

export const Health = z.strictObject({ status: z.literal("ok") }).meta({ id: "Health" });
export type Health = z.output<typeof Health>;
