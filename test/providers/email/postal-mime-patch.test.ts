/**
 * patches/postal-mime+4.0.0.patch (applied by `npm install`'s postinstall) replaces postal-mime's
 * Blob round trip with one copy into one buffer and feeds plain lines without an await each. These
 * tests hold the patched parser to the bytes Node's own decoders give, part by part, so a patch
 * that drifts (or a postal-mime upgrade it no longer fits) shows here.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";

const BOUNDARY = "b-0";

/** A multipart message with one attachment per transfer encoding, each holding `bytes`. */
function message(bytes: Buffer, lineBreak: "\r\n" | "\n"): string {
  const base64 = bytes.toString("base64").replace(/.{76}/g, `$&${lineBreak}`);
  // Quoted-printable by hand: every byte as =XX, soft line breaks every 25 bytes.
  const qp = [...bytes]
    .map((b) => `=${b.toString(16).toUpperCase().padStart(2, "0")}`)
    .join("")
    .replace(/(.{75})/g, `$1=${lineBreak}`);
  const text = "line one\nline two with trailing spaces   \n\nlast line";
  const part = (type: string, encoding: string, body: string) =>
    [`--${BOUNDARY}`, `Content-Type: ${type}`, `Content-Transfer-Encoding: ${encoding}`, "", body].join(
      lineBreak,
    );
  return [
    "From: a@example.org",
    "To: b@example.org",
    "Subject: parts",
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    "",
    part("text/plain; charset=utf-8", "8bit", text.replace(/\n/g, lineBreak)),
    part("application/octet-stream; name=a.bin", "base64", base64),
    part("application/octet-stream; name=b.bin", "quoted-printable", qp),
    part("text/csv; name=c.csv", "7bit", text.replace(/\n/g, lineBreak)),
    `--${BOUNDARY}--`,
    "",
  ].join(lineBreak);
}

const bytesOf = (content: ArrayBuffer | Uint8Array | string): Buffer =>
  typeof content === "string" ? Buffer.from(content) : Buffer.from(content as ArrayBuffer);

describe("the patched postal-mime", () => {
  it("is the patched build in both module flavours (postinstall ran patch-package)", () => {
    const dist = join(dirname(createRequire(import.meta.url).resolve("postal-mime")), "..");
    for (const flavour of ["esm", "cjs"]) {
      for (const file of ["decode-strings.js", "postal-mime.js"]) {
        expect(readFileSync(join(dist, flavour, file), "utf8"), `${flavour}/${file}`).toContain(
          "suppression-service patch",
        );
      }
    }
  });

  for (const lineBreak of ["\r\n", "\n"] as const) {
    it(`decodes base64, quoted-printable and 7bit parts to Node's bytes (${JSON.stringify(lineBreak)} lines)`, async () => {
      for (const size of [0, 1, 57, 1000, 65_537]) {
        const bytes = randomBytes(size);
        const email = await PostalMime.parse(Buffer.from(message(bytes, lineBreak)), {
          attachmentEncoding: "arraybuffer",
        });
        expect(email.text).toBe("line one\nline two with trailing spaces   \n\nlast line\n");
        const [base64, qp, csv] = email.attachments;
        expect(bytesOf(base64?.content ?? "").equals(bytes), `base64, ${size} bytes`).toBe(true);
        // The last line's hard break is part of a quoted-printable body (unpatched postal-mime too).
        const qpBytes = Buffer.concat([bytes, Buffer.from("\n")]);
        expect(bytesOf(qp?.content ?? "").equals(qpBytes), `quoted-printable, ${size} bytes`).toBe(true);
        expect(bytesOf(csv?.content ?? "").toString("utf8")).toBe(
          "line one\nline two with trailing spaces   \n\nlast line\n",
        );
      }
    });
  }
});
