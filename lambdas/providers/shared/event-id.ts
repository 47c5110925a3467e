import { InputError } from "../../core/errors.js";
import { MAX_EVENT_ID_CHARS } from "../../core/events.js";

/**
 * An event id as it will be stored, or an `InputError` when it cannot be one: longer than
 * `MAX_EVENT_ID_CHARS` (the schema's bound; it is part of the DynamoDB sort key) or empty. A
 * provider's ids are far shorter; a longer one is a broken or hostile payload, refused with a
 * clear message rather than cut (two ids sharing a head would then collide) or stored.
 *
 * @param path where the id (or the field it is built from) sits in the body, for the issue.
 * @throws InputError when the id is empty or too long.
 * @example
 * checkedEventId("ZGVsaXZlcmVkLTAtMjQ", "0.sg_event_id"); // "ZGVsaXZlcmVkLTAtMjQ"
 * checkedEventId("x".repeat(100_000), "0.sg_event_id");   // throws InputError
 */
export function checkedEventId(id: string, path: string): string {
  if (id.length === 0 || id.length > MAX_EVENT_ID_CHARS) {
    throw new InputError(`The event id is ${id.length === 0 ? "empty" : "too long"}.`, [
      {
        path,
        message:
          id.length === 0
            ? "an event id is required"
            : `at most ${MAX_EVENT_ID_CHARS} characters (the id would be ${id.length})`,
      },
    ]);
  }
  return id;
}
