import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildConsole, UNHASHED_FILES } from "../../console/build.js";

/** The budget: the whole console under 150 KB gzipped. */
const BUDGET_GZIPPED_BYTES = 150 * 1024;

describe("the console build", async () => {
  const files = await buildConsole();

  it("is one page, one content-hashed script and one content-hashed stylesheet", () => {
    const names = [...files.keys()].sort();
    expect(names).toHaveLength(3);
    expect(names.filter((n) => /^main-[A-Z0-9]{8}\.js$/.test(n))).toHaveLength(1);
    expect(names.filter((n) => /^main-[A-Z0-9]{8}\.css$/.test(n))).toHaveLength(1);
    expect(names.filter((n) => !/^main-/.test(n))).toEqual([...UNHASHED_FILES]);
  });

  it("stays under 150 KB gzipped", () => {
    const gzipped = [...files.values()].reduce((sum, body) => sum + gzipSync(body).byteLength, 0);
    expect(gzipped).toBeLessThan(BUDGET_GZIPPED_BYTES);
  });

  it("names its files relatively and has no inline script or style (the CSP allows neither)", () => {
    const page = new TextDecoder().decode(files.get("index.html"));
    const script = [...files.keys()].find((n) => n.endsWith(".js"));
    const style = [...files.keys()].find((n) => n.endsWith(".css"));
    expect(page).toContain(`<script type="module" src="./${script}"></script>`);
    expect(page).toContain(`<link rel="stylesheet" href="./${style}" />`);
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it("carries the providers' names from the registry and nothing of the server", () => {
    const script = new TextDecoder().decode([...files].find(([n]) => n.endsWith(".js"))?.[1]);
    expect(script).toContain('"SendGrid"');
    expect(script).not.toMatch(/@aws-sdk|node:|zod/);
  });
});
