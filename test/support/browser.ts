/**
 * Browser tests' parts: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * and the service started exactly as `npm start` starts it, on the embedded in-memory store.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** Where Chromium may be: `CHROMIUM_PATH`, else Debian's and the usual names. */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/**
 * The Chromium binary the browser tests drive.
 *
 * @throws Error with the command that installs it, when there is none (the tests fail, never skip)
 */
export function chromiumPath(): string {
  const named = process.env.CHROMIUM_PATH;
  if (named) {
    if (!existsSync(named)) throw new Error(`CHROMIUM_PATH names ${named}, which does not exist`);
    return named;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error(
      "The browser tests need Chromium: `apt-get install chromium` (Debian), or set CHROMIUM_PATH to a Chromium or Chrome binary",
    );
  }
  return found;
}

/**
 * Headless Chromium. The flags keep it off the network: this machine's closed network refuses its
 * background connections, and the tests talk to 127.0.0.1 only.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

export type StartedService = { readonly url: string; readonly output: () => string; stop(): Promise<void> };

/**
 * Runs the command of `npm start` (package.json's `start` script, so the test follows it) with
 * `env` over the environment, and waits for its "listening on" line.
 *
 * @example
 * const service = await startService({ PORT: "0", DATA_DIR: ":memory:", SUPPRESSION_API_KEY: "k" });
 */
export async function startService(env: Readonly<Record<string, string>>): Promise<StartedService> {
  const scripts = (
    JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: { start: string } }
  ).scripts;
  const [command = "", ...args] = scripts.start.split(/\s+/);
  const child: ChildProcess = spawn(join(REPO, "node_modules/.bin", command), args, {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not listen within 60 s:\n${output}`)),
      60_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
