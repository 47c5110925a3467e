import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** What a script run as a child process left behind. */
export type ScriptRun = { readonly code: number | null; readonly stdout: string; readonly stderr: string };

/**
 * Runs a TypeScript entry point of the repository as its npm script does (tsx on the pinned
 * node, from the repository root) and collects its exit code and output.
 *
 * @param script the path from the repository root, e.g. `lambdas/local/import-cli.ts`
 * @param options `env` adds to the environment; `stdin` is written and closed (else stdin is empty)
 * @example
 * const run = await runTsx("lambdas/local/classify-cli.ts", ["--json"], { stdin: "550 5.1.1 user unknown\n" });
 * run.code; // 0
 */
export function runTsx(
  script: string,
  args: readonly string[] = [],
  options: { env?: Readonly<Record<string, string>>; stdin?: string } = {},
): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: REPO,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}
