/**
 * The plain-text bounce formats of the common MTAs, Sisimai-style: one small module per format,
 * tried in this order when a message carries no standard report. The first whose markers match
 * and that names a recipient decodes the message. The more specific formats come first: those
 * known by their sender or headers (Amazon WorkMail, EZweb, Exchange, Zoho, IMail) before the
 * generic texts they resemble (Google Groups before Gmail; Yahoo's and X2's qmail-derived text
 * before qmail's own; Zoho's Exim-like opening before Exim).
 */
import { amazonworkmail } from "./amazonworkmail.js";
import type { PlainFormat } from "./common.js";
import { dragonfly } from "./dragonfly.js";
import { exchange2003 } from "./exchange2003.js";
import { exim } from "./exim.js";
import { ezweb } from "./ezweb.js";
import { gmail } from "./gmail.js";
import { gmx } from "./gmx.js";
import { googlegroups } from "./googlegroups.js";
import { imailserver } from "./imailserver.js";
import { interscanmss } from "./interscanmss.js";
import { kddi } from "./kddi.js";
import { mailmarshal } from "./mailmarshal.js";
import { mfilter } from "./mfilter.js";
import { notes } from "./notes.js";
import { opensmtpd } from "./opensmtpd.js";
import { postfix } from "./postfix.js";
import { qmail } from "./qmail.js";
import { v5sendmail } from "./v5sendmail.js";
import { x2 } from "./x2.js";
import { yahoo } from "./yahoo.js";
import { zoho } from "./zoho.js";

export type { BounceHeaders, ParsedPlainRecipient, PlainFormat } from "./common.js";

export const FORMATS: readonly PlainFormat[] = [
  amazonworkmail,
  dragonfly,
  googlegroups,
  gmail,
  ezweb,
  kddi,
  exchange2003,
  zoho,
  imailserver,
  mfilter,
  mailmarshal,
  gmx,
  interscanmss,
  notes,
  opensmtpd,
  yahoo,
  x2,
  postfix,
  qmail,
  v5sendmail,
  exim,
];
