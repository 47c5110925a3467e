/**
 * The recipients an SES body lists, counted cheaply before parsing: each becomes one event, and an
 * SES record with 100 000 `bouncedRecipients` fits in 6 MB, so parsing it all only to refuse it
 * would waste the deadline. `npm run import` sizes its requests by the same count.
 */
import { isRecord } from "../../core/is-record.js";

/** How deep `sesRecipientCount` follows envelopes (SQS record → body → SNS document → Message → record). */
const MAX_ENVELOPE_DEPTH = 8;

const lengthOf = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

/** A string layer (`Message`, `body`) parsed when it holds a JSON object; anything else counts 0. */
function parsedLayer(text: string): unknown {
  if (!text.trimStart().startsWith("{")) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function countIn(value: unknown, depth: number): number {
  if (depth > MAX_ENVELOPE_DEPTH) return 0;
  if (typeof value === "string") return countIn(parsedLayer(value), depth + 1);
  if (Array.isArray(value)) return value.reduce<number>((sum, v) => sum + countIn(v, depth + 1), 0);
  if (!isRecord(value)) return 0;
  if ("eventType" in value || "notificationType" in value) {
    const field = (name: string): Record<string, unknown> => {
      const part = value[name];
      return isRecord(part) ? part : {};
    };
    return (
      lengthOf(field("bounce").bouncedRecipients) +
      lengthOf(field("complaint").complainedRecipients) +
      lengthOf(field("delivery").recipients)
    );
  }
  let sum = 0;
  for (const layer of ["Records", "Sns", "Message", "body", "detail"]) {
    if (layer in value) sum += countIn(value[layer], depth + 1);
  }
  return sum;
}

/**
 * The recipients an SES body lists in its bounces, complaints and deliveries — each becomes one
 * event — counted through every envelope SES output arrives in (SNS HTTP document, SNS → Lambda,
 * SQS → Lambda, EventBridge, a bare record; JSON-string layers are parsed). Cheap: no validation,
 * no classification. Malformed layers count 0 (the real parser reports them).
 *
 * @example
 * sesRecipientCount({ notificationType: "Bounce", bounce: { bouncedRecipients: [{}, {}] } }); // 2
 * sesRecipientCount({ Records: [{ eventSource: "aws:sqs", body: '{"eventType":"Delivery","delivery":{"recipients":["a@b.example"]}}' }] }); // 1
 */
export function sesRecipientCount(body: unknown): number {
  return countIn(body, 0);
}
