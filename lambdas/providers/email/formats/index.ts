/**
 * The plain-text bounce formats of the common MTAs, Sisimai-style: one small module per format,
 * tried in this order when a message carries no standard report. The first whose markers match
 * and that names a recipient decodes the message. The more specific formats come first (Google
 * Groups before Gmail; Yahoo's qmail-derived text before qmail's own).
 */
import type { PlainFormat } from "./common.js";
import { dragonfly } from "./dragonfly.js";
import { exim } from "./exim.js";
import { gmail } from "./gmail.js";
import { googlegroups } from "./googlegroups.js";
import { qmail } from "./qmail.js";
import { yahoo } from "./yahoo.js";

export type { BounceHeaders, ParsedPlainRecipient, PlainFormat } from "./common.js";

export const FORMATS: readonly PlainFormat[] = [dragonfly, googlegroups, gmail, yahoo, qmail, exim];
