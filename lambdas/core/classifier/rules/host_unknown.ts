/**
 * Text rules of the fine reason `host_unknown` (Host unknown; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `host_unknown` rules, in decision order. */
export const rules: readonly ReasonRule<"host_unknown">[] = [
  {
    id: "provider-cpanel-unrouteable",
    reason: "host_unknown",
    any: ["the account or domain may not exist"],
    note:
      "cPanel's Exim says this when it cannot route to the recipient's domain (no usable DNS); " +
      "before the block-list rule, which its 'may be blacklisted' would otherwise trip.",
    example: {
      diagnostic:
        "The mail server could not deliver mail to jdoe@example.net. The account or domain may not exist, they may be blacklisted, or missing the proper dns entries.",
    },
  },
  {
    id: "text-host-unknown",
    reason: "host_unknown",
    re: /\b(?:domain|host ?name)\b[^.;]{0,30}\b(?:does ?n[o']t exist|not exist|not found|unknown|not reachable|no such)\b|\bunroute?able (?:recipient )?(?:address|domain)\b|\b(?:unknown|invalid|non-?existent|no such) (?:domain|host)\b/,
    any: [
      "host unknown",
      "unknown host",
      "host not found",
      "bad host domain",
      "domain not found",
      "domain name not found",
      "domain does not exist",
      "domain doesn't exist",
      "no such domain",
      "unrouteable address",
      "unroutable address",
      "invalid domain",
      "illegal host/domain",
      "host or domain name not found",
      "couldn't find any host",
      "could not find any host",
      "domain is not reachable",
      "domain couldn't be found",
      "domain could not be found",
      "domain was not found",
      "domain may not exist",
      "domain name does not exist",
      "nxdomain",
      "dns query error",
      "域名不存在",
      "域名无法解析",
      "找不到域名",
      "无效的域名",
      "网域不存在",
      "網域不存在",
      "主机不存在",
    ],
    seq: [["lookup failure: host ", " not found"]],
    example: {
      smtpCode: "550",
      enhancedCode: "5.1.2",
      diagnostic:
        "550 5.1.2 <user@example.invalid>... Host unknown (Name server: example.invalid: host not found)",
    },
  },
];
