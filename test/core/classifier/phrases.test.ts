import { describe, expect, it } from "vitest";
import { classify, type DiagnosticInput } from "../../../lambdas/core/classifier/index.js";
import type { Reason } from "../../../lambdas/core/taxonomy.js";

type Case = readonly [diagnostic: string, reason: Reason, codes?: Omit<DiagnosticInput, "diagnostic">];

/** design.md §2.5 phrase families, in English and in the wording of Chinese providers. */
const FAMILIES: Readonly<Record<string, readonly Case[]>> = {
  "recipient unknown": [
    ["550 Invalid User", "user_unknown"],
    ["550 User not found: someone@163.com", "user_unknown"],
    ["550 5.1.1 <a@b.example>: Recipient address rejected: User unknown", "user_unknown"],
    ["550 No such user here", "user_unknown"],
    ["553 5.1.1 unknown or illegal alias: a@b.example", "user_unknown"],
    ["550 account inactive", "user_unknown"],
    ["550 Invalid address", "user_unknown"],
    ["550 5.1.1 invalid recipient", "user_unknown"],
    ["550 a@b.example is not a valid mailbox", "user_unknown"],
    ["550 mailbox cannot be delivered", "user_unknown"],
    [
      "550 Mailbox not found. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728",
      "user_unknown",
    ],
    ["550 Mailbox unavailable or access denied", "user_unknown"],
    ["550 user not exist", "user_unknown"],
    ["550 用户不存在", "user_unknown"],
    ["收件人不存在", "user_unknown"],
    ["邮箱地址不存在，请核对后重发", "user_unknown"],
    ["您发送的邮件收件人帐号不存在", "user_unknown"],
    ["使用者不存在", "user_unknown"],
    ["查无此人", "user_unknown"],
  ],
  "host not found": [
    ["550 Host unknown", "host_unknown", { smtpCode: "550" }],
    [
      "Host or domain name not found. Name service error for name=b.example type=A: Host not found",
      "host_unknown",
    ],
    ["550 bad host domain", "host_unknown"],
    ["550 5.1.2 Recipient address rejected: Domain not found", "host_unknown"],
    ["域名不存在", "host_unknown"],
    ["收件人域名无法解析", "host_unknown"],
  ],
  "connection timed out": [
    ["connect to mx.b.example[192.0.2.1]:25: Connection timed out", "expired"],
    ["连接超时", "expired"],
    ["投递超时，邮件已退回", "expired"],
  ],
  "too many recipients": [
    ["452 4.5.3 Too many recipients", "too_many_conn"],
    ["550 RP:RCL 群发收件人数量超过了限额", "too_many_conn"],
    ["421 HL:ICC 该IP同时并发连接数过大", "too_many_conn"],
  ],
  "mailbox full": [
    ["552 5.2.2 Quota exceeded", "mailbox_full"],
    ["552 Requested mail action aborted: exceeded storage allocation", "mailbox_full"],
    ["mailbox has reached its hard limit", "mailbox_full"],
    ["550 邮箱已满", "mailbox_full"],
    ["收件人邮箱空间不足", "mailbox_full"],
    ["對方信箱已滿", "mailbox_full"],
  ],
  "too large": [
    ["552 Message exceeds maximum fixed size", "mesg_too_big"],
    ["552 5.3.4 Maximum message size exceeded", "mesg_too_big"],
    ["552 Data size exceeds limit", "mesg_too_big"],
    ["552 Requested mail action aborted: exceeded mailsize limit", "mesg_too_big"],
    ["邮件过大，对方拒收", "mesg_too_big"],
  ],
  "anti-spam list": [
    ["554 Mail from 192.0.2.1 refused, see http://www.example.org/bl", "blocked"],
    ["554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "blocked"],
    ["554 Email blocked by barracuda reputation, see http://www.barracudanetworks.com/reputation", "blocked"],
    ["554 IP in blacklist", "blocked"],
    ["发信IP在黑名单中", "blocked"],
    ["554 HL:IHU 发信IP因发送垃圾邮件或存在异常的连接行为，被暂时挂起", "blocked"],
  ],
  "sender side domain (not host_unknown)": [
    ["450 4.1.8 <bounce@x.example>: Sender address rejected: Domain not found", "rejected"],
    ["550 can't verify FROM domain in DNS", "rejected"],
    ["553 5.1.8 Domain of sender address bounce@x.example does not exist", "rejected"],
    ["550 MI:IMF 发信人电子邮件地址不合规范", "rejected"],
    ["发件人域名不存在", "rejected"],
  ],
  authentication: [
    ["550 5.7.23 SPF validation failed", "auth_failure"],
    ["550 5.7.20 No passing DKIM signature found", "auth_failure"],
    ["550 5.7.26 Unauthenticated email is not accepted due to domain's DMARC policy", "auth_failure"],
    ["550 MI:SPF 发信IP未被发送域的SPF许可", "auth_failure"],
    ["550 DMARC check failed", "auth_failure"],
  ],
  "mail rejected / transaction failed": [
    ["550 mail rejected", "filtered"],
    ["554 transaction failed", "system_error"],
  ],
  "spam content": [
    ["554 DT:SPM 发送的邮件内容包含了未被许可的信息，或被系统识别为垃圾邮件", "spam_detected"],
    ["550 Mail content denied", "spam_detected"],
    ["554 Reject by content spam", "spam_detected"],
    ["该邮件被判定为垃圾邮件", "spam_detected"],
  ],
  "account disabled": [
    ["550 User suspended", "suspend"],
    ["550-5.2.1 The email account that you tried to reach is disabled.", "suspend"],
    ["550 user is locked", "suspend"],
    ["收件人账号已冻结", "suspend"],
    ["该邮箱已停用", "suspend"],
  ],
  "rate limits": [
    ["550 Ip frequency limited", "too_many_conn"],
    ["421 HL:IFC 该IP短期内发送了大量信件", "speeding"],
    ["451 发送频率过高，请稍后再试", "speeding"],
    ["452 4.7.0 Daily sending quota exceeded", "speeding"],
  ],
  relaying: [
    ["554 5.7.1 <a@b.example>: Relay access denied", "no_relaying"],
    ["550 RP:FRL 网易邮箱不开放匿名转发", "no_relaying"],
  ],
  "other families": [
    ["550 5.7.25 Reverse DNS validation failed", "require_ptr"],
    ["550 Virus Detected", "virus_detected"],
    ["邮件含有病毒", "virus_detected"],
    ["554 5.4.6 Too many hops", "network_error"],
    ["网络错误", "network_error"],
    ["451 Internal server error", "system_error"],
    ["系统繁忙", "system_error"],
    ["500 syntax error, command unrecognized", "syntax_error"],
    ["501 5.1.3 Bad recipient address syntax", "bad_address_format"],
    ["地址格式错误", "bad_address_format"],
    ["556 5.1.10 Recipient address has null MX", "not_accept"],
    ["该域名不接收邮件", "not_accept"],
    ["550 5.1.6 Mailbox has moved", "has_moved"],
    ["530 5.7.0 Must issue a STARTTLS command first", "failed_starttls"],
    ["550 Messages with multiple addresses in From: header are not accepted", "not_compliant_rfc"],
    [
      "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints",
      "bad_reputation",
    ],
  ],
  "big receivers' documented replies": [
    ["550 5.1.0 Sender denied", "rejected"],
    ["550 5.2.1 Content Filter agent quarantined this message", "spam_detected"],
    ["550 5.7.506 Access Denied, Bad HELO", "blocked", { enhancedCode: "5.7.506" }],
    [
      "550 5.2.122 Recipient's per hour message receive limit exceeded",
      "speeding",
      { enhancedCode: "5.2.122" },
    ],
    [
      "450 4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time.",
      "speeding",
    ],
    ["550 5.7.1 Messages missing a valid Message-ID: header are not accepted.", "not_compliant_rfc"],
    ["501 5.5.4 HELO/EHLO argument is invalid.", "blocked"],
    [
      "554 Reject by behaviour spam at Rcpt State(Connection IP address:192.0.2.1)ANTISPAM_BAT[01201311R196, c01a1]: too frequently sending",
      "speeding",
    ],
    ["550 <jdoe@qq.example> is a deactivated mailbox", "suspend"],
    ["550 Suspected bounce attacks", "blocked"],
    ["Account storage limit", "mailbox_full"],
    ["554 cox too many invalid recipients from 192.0.2.1", "blocked"],
    ["451 DT:RBL 163 mx14,QsCowEDJ7_HP8 (ip in blacklist)", "blocked"],
    ["554 maximum email size exceeded", "mesg_too_big"],
    ["550 envelope blocked - user entry", "rejected"],
    ["550 envelope rejected - block policy for envelope from address", "rejected"],
    ["550 anti-spoofing policy - inbound not allowed", "policy_violation"],
    ["553 this route requires encryption (tls)", "failed_starttls"],
    ["451 unable to process connection at this time", "system_error"],
    [
      "421 4.7.1 Messages to jdoe@icloud.com deferred due to excessive volume. Try again later - https://support.apple.com/en-us/HT204137",
      "speeding",
    ],
    ["421 Max message per connection reached, closing transmission channel", "too_many_conn"],
    [
      "553 5.7.2 [TSS09] All messages from 192.0.2.25 will be permanently deferred; Retrying will NOT succeed.",
      "blocked",
    ],
    [
      "550 5.7.0 Mail Sending denied. This error occurs if the sender account is disabled or not registered within your Google Workspace domain.",
      "rejected",
    ],
    [
      "421 4.7.28 Gmail has detected an unusual rate of mail originating from your IP address 192.0.2.25.",
      "speeding",
    ],
    [
      "421 4.7.29 Your email has been rate limited because this message wasn't sent over a TLS connection. Gmail requires all bulk email senders to use TLS/SSL for SMTP connections.",
      "failed_starttls",
    ],
    [
      "421 4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain.",
      "auth_failure",
    ],
    ["550 MI:DMA 163 mx3,QsCowEDJ7 (dmarc check failed)", "auth_failure"],
  ],
};

describe("§2.5 phrase families", () => {
  for (const [family, cases] of Object.entries(FAMILIES)) {
    it.each(cases.map(([diagnostic, reason, codes]) => [diagnostic, reason, codes ?? {}] as const))(
      `${family}: %j → %s`,
      (diagnostic, reason, codes) => {
        // Act
        const result = classify({ ...codes, diagnostic });
        // Assess
        expect(result.reason).toBe(reason);
      },
    );
  }
});
