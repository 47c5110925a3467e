/**
 * Text rules of the fine reason `suspend` (Mailbox suspended; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `suspend` rules, in decision order. */
export const rules: readonly ReasonRule<"suspend">[] = [
  {
    id: "text-suspend",
    reason: "suspend",
    re: /\baccount\b[^.;]{0,30}\b(?:disabled|locked|suspended|deactivated|frozen)\b|\btemporar(?:y|ily) locked\b/,
    any: [
      "is a deactivated mailbox",
      "account is disabled",
      "account has been disabled",
      "account disabled",
      "disabled recipient",
      "mailbox disabled",
      "mailbox is disabled",
      "tried to reach is disabled",
      "tried to reach is inactive",
      "account is inactive",
      "mailbox is inactive",
      "account is locked",
      "temporary locked",
      "temporarily locked",
      "mailbox is frozen",
      "account is frozen",
      "account suspended",
      "account has been suspended",
      "account is suspended",
      "mailbox suspended",
      "mailbox is suspended",
      "user suspended",
      "user disabled",
      "user is locked",
      "account has been temporarily suspended",
      "recipient suspended",
      "disabled or discontinued",
      "recipient account is blocked",
      "compte du destinataire est bloque",
      "邮箱已停用",
      "邮箱已被停用",
      "帐号已停用",
      "账号已停用",
      "账号已冻结",
      "帐号已冻结",
      "账号被冻结",
      "帐号被冻结",
      "账户被冻结",
      "用户被冻结",
      "用户已冻结",
      "邮箱被冻结",
      "邮箱已冻结",
      "已被禁用",
      "被锁定",
      "帳號已停用",
    ],
    example: {
      smtpCode: "550",
      enhancedCode: "5.2.1",
      diagnostic: "550-5.2.1 The email account that you tried to reach is disabled.",
    },
  },
];
