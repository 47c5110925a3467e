/**
 * Fetches Amazon's DynamoDB Local (the jar and its `DynamoDBLocal_lib`, native sqlite4java included)
 * into the git-ignored `.cache/dynamodb-local/`. The jar ships inside the npm package
 * `amplify-dynamodb-simulator` (under `emulator/`), so it comes from the npm registry through
 * `npm pack`; the package is never installed nor added as a dependency.
 *
 * Idempotent: when the pinned version is already extracted it returns at once.
 * Run by hand with `npm run dynamodb-local:fetch`; the vitest global setup calls it too.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The one pinned version of the npm package that carries DynamoDB Local. */
export const DYNAMODB_LOCAL_PACKAGE = "amplify-dynamodb-simulator@2.9.30";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where DynamoDB Local lives once fetched. */
export const DYNAMODB_LOCAL_DIR = join(ROOT, ".cache", "dynamodb-local");
export const DYNAMODB_LOCAL_JAR = join(DYNAMODB_LOCAL_DIR, "DynamoDBLocal.jar");
export const DYNAMODB_LOCAL_LIB = join(DYNAMODB_LOCAL_DIR, "DynamoDBLocal_lib");
/** Written last, naming the package it came from: its presence means a complete extraction. */
const MARKER = join(DYNAMODB_LOCAL_DIR, "VERSION");

/** DynamoDB Local could not be fetched or unpacked. */
export class DynamoDbLocalFetchError extends Error {
  override readonly name = "DynamoDbLocalFetchError";
}

/** True when the pinned DynamoDB Local is already extracted. */
export async function isDynamoDbLocalPresent(): Promise<boolean> {
  if (!existsSync(MARKER) || !existsSync(DYNAMODB_LOCAL_JAR) || !existsSync(DYNAMODB_LOCAL_LIB)) return false;
  return (await readFile(MARKER, "utf8")).trim() === DYNAMODB_LOCAL_PACKAGE;
}

/**
 * Makes sure the pinned DynamoDB Local is in `.cache/dynamodb-local/`, fetching it with `npm pack`
 * and extracting only `emulator/DynamoDBLocal.jar` and `emulator/DynamoDBLocal_lib/` with `tar`.
 *
 * @returns the directory that holds `DynamoDBLocal.jar`
 * @example
 * const dir = await fetchDynamoDbLocal();
 * // spawn("java", [`-Djava.library.path=${dir}/DynamoDBLocal_lib`, "-jar", `${dir}/DynamoDBLocal.jar`, "-inMemory"])
 */
export async function fetchDynamoDbLocal(): Promise<string> {
  if (await isDynamoDbLocalPresent()) return DYNAMODB_LOCAL_DIR;
  await mkdir(dirname(DYNAMODB_LOCAL_DIR), { recursive: true });
  const work = await mkdtemp(join(dirname(DYNAMODB_LOCAL_DIR), "dynamodb-local-fetch-"));
  try {
    await run("npm", ["pack", DYNAMODB_LOCAL_PACKAGE, "--pack-destination", work, "--silent"], {
      cwd: work,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = (await readdir(work)).find((f) => f.endsWith(".tgz"));
    if (tarball === undefined) throw new DynamoDbLocalFetchError(`npm pack produced no tarball in ${work}`);
    const out = join(work, "out");
    await mkdir(out);
    await run("tar", [
      "-xzf",
      join(work, tarball),
      "-C",
      out,
      "--strip-components=2",
      "package/emulator/DynamoDBLocal.jar",
      "package/emulator/DynamoDBLocal_lib",
    ]);
    if (!existsSync(join(out, "DynamoDBLocal.jar")) || !existsSync(join(out, "DynamoDBLocal_lib")))
      throw new DynamoDbLocalFetchError(`${DYNAMODB_LOCAL_PACKAGE} has no emulator/DynamoDBLocal.jar`);
    await writeFile(join(out, "VERSION"), `${DYNAMODB_LOCAL_PACKAGE}\n`);
    await rm(DYNAMODB_LOCAL_DIR, { recursive: true, force: true });
    await rename(out, DYNAMODB_LOCAL_DIR);
    return DYNAMODB_LOCAL_DIR;
  } catch (err) {
    if (err instanceof DynamoDbLocalFetchError) throw err;
    throw new DynamoDbLocalFetchError(`could not fetch ${DYNAMODB_LOCAL_PACKAGE}`, { cause: err });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  fetchDynamoDbLocal().then(
    (dir) => console.log(`DynamoDB Local (${DYNAMODB_LOCAL_PACKAGE}) in ${dir} [${Date.now() - started} ms]`),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
