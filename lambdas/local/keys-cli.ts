/**
 * `npm run keys -- create|list|revoke` (design.md §5.1, §5.4): makes, lists and revokes API keys
 * in the store directly, through `apiKeysStore`, without a server: the local embedded store
 * (`DATA_DIR`, the directory `npm start` uses), a DynamoDB-compatible endpoint, or the deployed
 * table. `HELP` below is the user's documentation (docs/operators.md, "Keys and tenants", shows it
 * in use).
 *
 * The CLI acts as an operator with every right (`CLI_ACTOR`): whoever can run it can write the
 * table anyway, so there is no `refusalToCreate` check (that guards keys made over HTTP by keys).
 */
import { parseArgs } from "node:util";
import type * as z from "zod";
import { type CreatedKey, CreateKeyRequest, type KeyView, Tenant } from "../contract/keys.js";
import { type Actor, DEFAULT_TENANT, SCOPES } from "../core/access.js";
import { KEY_CACHE_SECONDS } from "../handlers/http/authenticate.js";
import { keyView } from "../handlers/key-view.js";
import { apiKeysStore, KEY_ID_PATTERN, keyIdOf } from "../store/api-keys.js";
import { StoreUnavailableError } from "../store/index.js";
import { runMain, unexpectedFailure } from "./cli-main.js";
import {
  describeTarget,
  failureParts,
  openStore,
  StoreInUseError,
  type StoreTarget,
  TARGET_FLAGS,
  TARGET_OPTIONS_HELP,
  targetHelp,
  targetOf,
} from "./store-target.js";

export { describeTarget } from "./store-target.js";

export const HELP = `Usage: npm run keys -- <command> [options]

Makes, lists and revokes API keys, in the store itself (no server needed). Each key belongs to one
tenant and holds scopes:
  check    POST /v1/check and GET /v1/suppressions/{address}
  ingest   POST /v1/import/{provider}
  admin    the operators' routes: manual entries, removals, allowlist, lists, history
  pii      addresses in full in lists and history (masked without)
  keys     create, list and revoke the tenant's keys over HTTP (/v1/keys)

Commands:
  create --name <name> --scopes <scope,…> [--tenant <t>]
                 a new key; it is printed this once (only its SHA-256 is stored)
  list [--tenant <t>]
                 the tenant's keys, newest first, revoked ones included (never a key)
  revoke <id> [--tenant <t>]
                 revokes the key <id> (the 12 hex digits after ssk_); running servers refuse it
                 within ${KEY_CACHE_SECONDS} s (they remember a key that long)

Options:
      --tenant <t>       the tenant, default \`${DEFAULT_TENANT}\`: lower-case letters, digits, - and _
      --name <name>      a label for people, shown in lists and in the history (create)
      --scopes <list>    comma-separated: ${SCOPES.join(", ")} (create)
      --json             print JSON (create: the key document POST /v1/keys answers; list: an
                         array of keys; revoke: the key) instead of text; run npm run --silent keys
                         so npm's own banner stays out of stdout
${TARGET_OPTIONS_HELP}
  -h, --help             this text

${targetHelp(
  "keys",
  `, or make the key through the running server
                      (POST /v1/keys, docs/operators.md)`,
)}

Exit codes:
  0  done
  1  failed: the store did not answer or is in use, no such key to revoke
  2  bad usage: an unknown command or option, a bad tenant, name, scope list or key id
`;

/** Who the history and the key's `createdBy` / `revokedBy` record for what the CLI does. */
export const CLI_ACTOR: Actor = { keyId: "cli", name: "npm run keys" };

/** Where the keys are (store-target.ts). */
export type KeysTarget = StoreTarget;

export type KeysCommand =
  | { readonly command: "create"; readonly request: CreateKeyRequest & { tenant: string } }
  | { readonly command: "list"; readonly tenant: string }
  | { readonly command: "revoke"; readonly tenant: string; readonly id: string };

export type KeysOptions = KeysCommand & { readonly target: KeysTarget; readonly json: boolean };

/** A failure with its exit code; the message is the one line printed. */
export class KeysCliError extends Error {
  constructor(
    readonly exitCode: 1 | 2,
    message: string,
  ) {
    super(message);
  }
}

const usage = (message: string) => new KeysCliError(2, message);

const FLAG_OF: Readonly<Record<string, string>> = { tenant: "--tenant", name: "--name", scopes: "--scopes" };

/** The first issue of a failed parse, as `--flag: message`. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "invalid input";
  const flag = FLAG_OF[String(issue.path[0])] ?? String(issue.path[0] ?? "input");
  return `${flag}: ${issue.message}`;
}

function tenantOf(value: string | undefined): string {
  const parsed = Tenant.safeParse(value ?? DEFAULT_TENANT);
  if (!parsed.success) throw usage(`--tenant: ${parsed.error.issues[0]?.message ?? "not a tenant"}`);
  return parsed.data;
}

function parseWith(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      tenant: { type: "string" },
      name: { type: "string" },
      scopes: { type: "string" },
      json: { type: "boolean" },
      ...TARGET_FLAGS,
      help: { type: "boolean", short: "h" },
    },
  });
}

/**
 * Reads the command line (`argv` without node and the script) and the environment.
 *
 * @throws KeysCliError with exit code 2 for bad usage.
 * @example
 * parseKeysArgs(["create", "--tenant", "acme", "--name", "ci", "--scopes", "check"], {});
 * // { command: "create", request: { tenant: "acme", name: "ci", scopes: ["check"] }, json: false,
 * //   target: { kind: "local", dataDir: ".data", tableName: "suppressions" } }
 */
export function parseKeysArgs(argv: readonly string[], env: NodeJS.ProcessEnv): KeysOptions | "help" {
  let parsed: ReturnType<typeof parseWith>;
  try {
    parsed = parseWith(argv);
  } catch (error) {
    throw usage((error as Error).message.replace(/\. To specify a positional argument.*$/, ""));
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const [command, ...rest] = positionals;
  if (command === undefined) throw usage("name a command: create, list or revoke");
  if (command !== "create" && command !== "list" && command !== "revoke") {
    throw usage(`unknown command '${command}': create, list or revoke`);
  }
  if (command !== "create") {
    for (const flag of ["name", "scopes"] as const) {
      if (values[flag] !== undefined) throw usage(`--${flag} is an option of create only`);
    }
  }
  if (command !== "revoke" && rest[0] !== undefined) {
    throw usage(`unexpected argument '${rest[0]}' (${command} takes none)`);
  }
  const target = targetOf(values.endpoint, values.table, env, {
    usage,
    inMemory:
      "DATA_DIR=:memory: keeps nothing, so the key would be lost; make keys of an in-memory server with POST /v1/keys",
  });
  const json = values.json ?? false;
  if (command === "create") {
    const scopes = values.scopes === undefined ? [] : values.scopes.split(",").map((s) => s.trim());
    if (values.name === undefined) throw usage("create needs --name (a label for the key)");
    if (values.scopes === undefined) throw usage(`create needs --scopes (some of ${SCOPES.join(", ")})`);
    const request = CreateKeyRequest.safeParse({
      tenant: values.tenant ?? DEFAULT_TENANT,
      name: values.name,
      scopes,
    });
    if (!request.success) throw usage(firstIssue(request.error));
    const tenant = request.data.tenant ?? DEFAULT_TENANT;
    return { command, request: { ...request.data, tenant }, target, json };
  }
  const tenant = tenantOf(values.tenant);
  if (command === "list") return { command, tenant, target, json };
  const id = rest[0];
  if (id === undefined) throw usage("revoke needs the key's id (npm run keys -- list shows them)");
  if (rest[1] !== undefined) throw usage(`unexpected argument '${rest[1]}' (revoke takes one id)`);
  if (!KEY_ID_PATTERN.test(id)) {
    const fromKey = keyIdOf(id);
    throw usage(
      fromKey === undefined
        ? `'${id.slice(0, 40)}' is not a key id (12 hex digits, the part after ssk_)`
        : `give the key's id (${fromKey}), not the key itself`,
    );
  }
  return { command, tenant, id, target, json };
}

/** What the command answered, for `format`. */
export type KeysResult =
  | { readonly command: "create"; readonly created: CreatedKey }
  | { readonly command: "list"; readonly tenant: string; readonly keys: KeyView[] }
  | { readonly command: "revoke"; readonly revoked: KeyView };

/** Seconds since the epoch. */
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Runs one command against its store, then closes the store (and the embedded engine, which
 * flushes its data).
 *
 * @throws KeysCliError (exit code 1) for a store in use, a store that did not answer, no such key.
 */
export async function runKeys(options: KeysOptions): Promise<KeysResult> {
  const { target } = options;
  let close: (() => Promise<void>) | undefined;
  try {
    const opened = await openStore(target);
    close = opened.close;
    const keys = apiKeysStore(opened.store);
    if (options.command === "create") {
      const created = await keys.create({ ...options.request, createdBy: CLI_ACTOR }, nowSeconds());
      return { command: "create", created: { ...keyView(created.item), key: created.key } };
    }
    if (options.command === "list") {
      return {
        command: "list",
        tenant: options.tenant,
        keys: (await keys.list(options.tenant)).map(keyView),
      };
    }
    const revoked = await keys.revoke(options.tenant, options.id, CLI_ACTOR, nowSeconds());
    if (revoked === undefined) {
      throw new KeysCliError(
        1,
        `tenant ${options.tenant} has no key ${options.id} (npm run keys -- list --tenant ${options.tenant} shows its keys)`,
      );
    }
    return { command: "revoke", revoked: keyView(revoked) };
  } catch (error) {
    if (error instanceof KeysCliError) throw error;
    if (error instanceof StoreInUseError) {
      throw new KeysCliError(1, `${error.message}, or make the key through the server with POST /v1/keys`);
    }
    throw new KeysCliError(1, failureLine(error, target));
  } finally {
    await close?.();
  }
}

/** A store failure as one line: what failed, where, and the innermost reason. */
function failureLine(error: unknown, target: KeysTarget): string {
  const { message, inner, reason } = failureParts(error);
  const what = error instanceof StoreUnavailableError ? "did not answer" : "failed";
  const notFound = inner instanceof Error && inner.name === "ResourceNotFoundException";
  const hint = notFound && target.kind === "aws" ? "; is it the right table and region (AWS_REGION)?" : "";
  return (
    `the store (${describeTarget(target)}) ${what}: ${message}${reason}${hint}`.split("\n")[0] ?? message
  );
}

/** A table of rows, columns padded to their widest cell. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * The output of a command: JSON with `json`, else text for people.
 *
 * @example
 * format({ command: "list", tenant: "acme", keys: [] }, false, target); // "tenant acme has no keys …"
 */
export function format(result: KeysResult, json: boolean, target: KeysTarget): string {
  if (json) {
    if (result.command === "create") return JSON.stringify(result.created);
    if (result.command === "list") return JSON.stringify(result.keys);
    return JSON.stringify(result.revoked);
  }
  const where = `store: ${describeTarget(target)}`;
  if (result.command === "create") {
    const { created } = result;
    return [
      `Created key ${created.id} "${created.name}" for tenant ${created.tenant}, scopes ${created.scopes.join(", ")}:`,
      "",
      `  ${created.key}`,
      "",
      "This is the only time the key is shown: only its SHA-256 is stored. Send it as",
      "Authorization: Bearer <key>.",
      where,
    ].join("\n");
  }
  if (result.command === "list") {
    if (result.keys.length === 0) return `tenant ${result.tenant} has no keys\n${where}`;
    const rows = result.keys.map((key) => [
      key.id,
      key.name,
      key.scopes.join(","),
      key.createdAt,
      key.revokedAt === null ? "live" : `revoked ${key.revokedAt} by ${key.revokedBy?.name ?? "?"}`,
    ]);
    return `${table([["ID", "NAME", "SCOPES", "CREATED", "STATUS"], ...rows])}\n${where}`;
  }
  const { revoked } = result;
  return [
    `Revoked key ${revoked.id} "${revoked.name}" of tenant ${revoked.tenant} (at ${revoked.revokedAt}).`,
    `Running servers refuse it within ${KEY_CACHE_SECONDS} s.`,
    where,
  ].join("\n");
}

async function main(argv: readonly string[]): Promise<number> {
  let options: KeysOptions | "help";
  try {
    options = parseKeysArgs(argv, process.env);
  } catch (error) {
    if (!(error instanceof KeysCliError)) throw error;
    process.stderr.write(`keys: ${error.message}; see --help\n`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    const result = await runKeys(options);
    process.stdout.write(`${format(result, options.json, options.target)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof KeysCliError)) throw error;
    process.stderr.write(`keys: ${error.message}\n`);
    return error.exitCode;
  }
}

runMain(import.meta.url, main, unexpectedFailure("keys"));
