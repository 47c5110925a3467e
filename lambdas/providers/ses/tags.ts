/**
 * SES message tags (`mail.tags` of an event-publishing record) → the normalized event's `tags`.
 */
import { isRecord } from "../../core/is-record.js";
import { listOf, tagsFrom } from "../shared/tags.js";

/**
 * The one automatic tag kept: the configuration set the message was sent with, which senders use
 * to tell their mail streams apart (and which the status view can filter on).
 */
export const SES_KEPT_AUTO_TAG = "ses:configuration-set";

/**
 * `mail.tags` — `{ "<name>": ["<value>", …] }`, filled by event publishing only (classic
 * notifications have none) — as tags `name:value`, one per value, in SES's order.
 *
 * The sender's own tags are all kept. Of the automatic tags SES adds (`ses:` names), only
 * `ses:configuration-set` is: `ses:source-ip` is the address the message was submitted from (often
 * a person's, so personal data we have no reason to store with every event), and `ses:outgoing-ip`,
 * `ses:from-domain`, `ses:caller-identity` and `ses:operation` describe our sending infrastructure,
 * not the message: they would fill the event's `MAX_TAGS` with values nobody filters on. An
 * automatic tag SES adds later is dropped the same way. Names are compared case-insensitively.
 *
 * Never throws: a `tags` that is not an object, a name that is empty, a value that is not a string
 * (a number, an object, a nested list) is dropped, and the record still gives its events.
 *
 * @example
 * sesTags({ "ses:configuration-set": ["ConfigSet"], "ses:source-ip": ["192.0.2.0"],
 *   campaign: ["spring", "promo"] });
 * // ["ses:configuration-set:ConfigSet", "campaign:spring", "campaign:promo"]
 * sesTags(undefined); // undefined
 */
export function sesTags(tags: unknown): string[] | undefined {
  if (!isRecord(tags)) return undefined;
  const pairs: string[] = [];
  for (const [rawName, values] of Object.entries(tags)) {
    const name = rawName.trim();
    const key = name.toLowerCase();
    // `ses:` is the prefix SES reserves for the tags it adds itself.
    if (!name || (key.startsWith("ses:") && key !== SES_KEPT_AUTO_TAG)) continue;
    for (const value of listOf(values)) {
      if (typeof value === "string" && value.trim()) pairs.push(`${name}:${value.trim()}`);
    }
  }
  return tagsFrom(pairs);
}
