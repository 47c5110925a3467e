/**
 * Reads: batch checks (BatchGetItem, ⌈keys/100⌉ concurrent calls) and the single-address view.
 * Every read filters expired causes itself: DynamoDB's TTL deletion is lazy (design.md §3.2).
 */
import { type AttributeValue, BatchGetItemCommand } from "@aws-sdk/client-dynamodb";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { StoredVerdict as Verdict } from "../contract/check.js";
import type { LiveEntry } from "../contract/suppressions.js";
import { domainOf, type Subject } from "../core/address.js";
import { liveCauses } from "../core/ledger/index.js";
import { fromEpochSeconds } from "../core/ledger/time.js";
import { CAUSES, type Cause, type CauseState, type EntryState } from "../core/ledger/types.js";
import { ALL_MAIL } from "../core/scope.js";
import { backoff, type CallContext } from "./context.js";
import { StoreUnavailableError, toStoreError } from "./errors.js";
import {
  addressPk,
  checkKeys,
  domainPk,
  ENTRY_SK_PREFIX,
  type ItemKey,
  keyId,
  type SubjectKind,
  scopeOfSk,
} from "./keys.js";

/** BatchGetItem takes at most 100 keys. */
export const BATCH_GET_LIMIT = 100;

/** A verdict for one (canonical) address and one live cause of one entry (design.md §5.3). */
export type { LiveEntry, Verdict };

/** The single-address view: the all-mail verdict plus every live entry, strongest first. */
export type AddressView = { readonly verdict: Verdict; readonly entries: LiveEntry[] };

type Candidate = {
  readonly subjectKind: SubjectKind;
  readonly subject: string;
  readonly scope: string;
  readonly cause: Cause;
  readonly state: CauseState;
};

/** Only the causes are read for checks; soft-bounce hits and lift times stay in the table. */
type CausesOnly = { readonly pk: string; readonly sk: string; readonly state?: Pick<EntryState, "causes"> };

function live(causes: EntryState["causes"] | undefined, now: number): { cause: Cause; state: CauseState }[] {
  if (causes === undefined) return [];
  return liveCauses({ causes, soft: { hits: {}, resetAt: null }, liftedAt: null }, now);
}

/** Strongest cause first; then the later expiry (never is latest); then the broader scope. */
function compareCandidates(a: Candidate, b: Candidate): number {
  const strength = CAUSES.indexOf(a.cause) - CAUSES.indexOf(b.cause);
  if (strength !== 0) return strength;
  const ea = a.state.expiresAt ?? Number.POSITIVE_INFINITY;
  const eb = b.state.expiresAt ?? Number.POSITIVE_INFINITY;
  if (ea !== eb) return eb - ea;
  return a.scope.split("/").length - b.scope.split("/").length;
}

function clear(address: string): Verdict {
  return {
    address,
    suppressed: false,
    cause: null,
    reason: null,
    scope: null,
    since: null,
    expiresAt: null,
    source: null,
  };
}

function verdictOf(address: string, candidates: Candidate[]): Verdict {
  const best = candidates.sort(compareCandidates)[0];
  if (best === undefined) return clear(address);
  return {
    address,
    suppressed: true,
    cause: best.cause,
    reason: best.state.verdict,
    scope: best.scope,
    since: best.state.since,
    expiresAt: best.state.expiresAt === null ? null : fromEpochSeconds(best.state.expiresAt),
    source: best.state.source,
  };
}

function subjectOf(pk: string, tenant: string, address: string): { kind: SubjectKind; subject: string } {
  return pk === addressPk(tenant, address)
    ? { kind: "address", subject: address }
    : { kind: "domain", subject: domainOf(address) };
}

type WireKey = Record<"pk" | "sk", AttributeValue>;

async function batchGetChunk(ctx: CallContext, keys: readonly ItemKey[]): Promise<CausesOnly[]> {
  const found: CausesOnly[] = [];
  // The check path speaks the wire format itself: keys are two strings, so building them directly
  // avoids the document client's generic marshalling of ~1000 keys per check (see bench/).
  let pending: WireKey[] = keys.map((k) => ({ pk: { S: k.pk }, sk: { S: k.sk } }));
  for (let attempt = 0; attempt < ctx.batchGetAttempts; attempt++) {
    if (attempt > 0) await backoff(ctx, attempt);
    let out: Awaited<ReturnType<typeof sendBatchGet>>;
    try {
      out = await sendBatchGet(ctx, pending);
    } catch (err) {
      throw toStoreError(err, "BatchGetItem");
    }
    for (const item of out.Responses?.[ctx.tableName] ?? []) found.push(unmarshall(item) as CausesOnly);
    pending = (out.UnprocessedKeys?.[ctx.tableName]?.Keys ?? []) as WireKey[];
    if (pending.length === 0) return found;
  }
  throw new StoreUnavailableError(
    `BatchGetItem left ${pending.length} keys unprocessed after ${ctx.batchGetAttempts} attempts`,
  );
}

function sendBatchGet(ctx: CallContext, keys: WireKey[]) {
  return ctx.doc.send(
    new BatchGetItemCommand({
      RequestItems: {
        [ctx.tableName]: {
          Keys: keys,
          ProjectionExpression: "pk, sk, #state.#causes",
          ExpressionAttributeNames: { "#state": "state", "#causes": "causes" },
        },
      },
    }),
    { abortSignal: ctx.signal },
  );
}

/**
 * Reads the given keys (deduplicated) in chunks of 100, all chunks concurrently, retrying
 * `UnprocessedKeys` with jittered exponential backoff. Returns the found items by `keyId`.
 */
async function readKeys(ctx: CallContext, keys: readonly ItemKey[]): Promise<Map<string, CausesOnly>> {
  const unique = [...new Map(keys.map((k) => [keyId(k), k])).values()];
  const chunks: ItemKey[][] = [];
  for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) chunks.push(unique.slice(i, i + BATCH_GET_LIMIT));
  const results = await Promise.all(chunks.map((chunk) => batchGetChunk(ctx, chunk)));
  return new Map(results.flat().map((item) => [keyId(item), item]));
}

/**
 * Verdicts for canonical addresses of one tenant, in the order given (design.md §5.3). A check for
 * scope `a/b` reads the address and its domain at `*`, `a` and `a/b`; without a scope, at `*` only.
 * All keys are deduplicated and read with ⌈keys/100⌉ concurrent BatchGetItem calls.
 *
 * @param addresses canonical addresses (see `canonicalizeAddress`); malformed ones are the caller's
 * @param now epoch seconds: causes that expired before it are ignored
 * @throws StoreUnavailableError when DynamoDB fails or keeps keys unprocessed
 * @example
 * await checkAddresses(ctx, "default", ["jdoe@example.org"], "newsletter", 1_795_168_800);
 * // [{ address: "jdoe@example.org", suppressed: true, cause: "complaint", scope: "*", … }]
 */
export async function checkAddresses(
  ctx: CallContext,
  tenant: string,
  addresses: readonly string[],
  scope: string | undefined,
  now: number,
): Promise<Verdict[]> {
  const keysPerAddress = addresses.map((address) => checkKeys(tenant, address, scope));
  const items = await readKeys(ctx, keysPerAddress.flat());
  return addresses.map((address, i) => {
    const candidates: Candidate[] = [];
    for (const key of keysPerAddress[i] ?? []) {
      const item = items.get(keyId(key));
      if (item === undefined) continue;
      const { kind, subject } = subjectOf(key.pk, tenant, address);
      for (const c of live(item.state?.causes, now)) {
        candidates.push({
          subjectKind: kind,
          subject,
          scope: scopeOfSk(key.sk),
          cause: c.cause,
          state: c.state,
        });
      }
    }
    return verdictOf(address, candidates);
  });
}

async function queryEntries(ctx: CallContext, pk: string): Promise<CausesOnly[]> {
  const found: CausesOnly[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    try {
      const out = await ctx.doc.send(
        new QueryCommand({
          TableName: ctx.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": pk, ":prefix": ENTRY_SK_PREFIX },
          ProjectionExpression: "pk, sk, #state.#causes",
          ExpressionAttributeNames: { "#state": "state", "#causes": "causes" },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
        { abortSignal: ctx.signal },
      );
      for (const item of out.Items ?? []) found.push(item as CausesOnly);
      start = out.LastEvaluatedKey;
    } catch (err) {
      throw toStoreError(err, "Query");
    }
  } while (start !== undefined);
  return found;
}

/**
 * Everything live about one canonical address: every live cause of every entry on the address or
 * its domain, across all scopes (strongest first), and the all-mail (`*`) verdict. For a domain
 * (`{kind: "domain"}`), the entries on the domain itself, and the verdict they give its addresses
 * (`address` is then `@<domain>`).
 *
 * @example
 * const { verdict, entries } = await getAddress(ctx, "default", "jdoe@example.org", nowSeconds());
 * // entries: [{ subjectKind: "address", scope: "newsletter", cause: "unsubscribe", … }, …]
 */
export async function getAddress(
  ctx: CallContext,
  tenant: string,
  subject: string | Subject,
  now: number,
): Promise<AddressView> {
  const isDomain = typeof subject !== "string" && subject.kind === "domain";
  const address = typeof subject === "string" ? subject : subject.value;
  const domainName = isDomain ? address : domainOf(address);
  const [own, domain] = await Promise.all([
    isDomain ? Promise.resolve([]) : queryEntries(ctx, addressPk(tenant, address)),
    queryEntries(ctx, domainPk(tenant, domainName)),
  ]);
  const candidates: Candidate[] = [];
  for (const [kind, items] of [
    ["address", own],
    ["domain", domain],
  ] as const) {
    for (const item of items) {
      for (const c of live(item.state?.causes, now)) {
        candidates.push({
          subjectKind: kind,
          subject: kind === "address" ? address : domainName,
          scope: scopeOfSk(item.sk),
          cause: c.cause,
          state: c.state,
        });
      }
    }
  }
  candidates.sort(compareCandidates);
  const entries = candidates.map(
    (c): LiveEntry => ({
      subjectKind: c.subjectKind,
      subject: c.subject,
      scope: c.scope,
      cause: c.cause,
      reason: c.state.verdict,
      since: c.state.since,
      lastAt: c.state.lastAt,
      expiresAt: c.state.expiresAt === null ? null : fromEpochSeconds(c.state.expiresAt),
      source: c.state.source,
      eventId: c.state.eventId,
      rule: c.state.rule,
      note: c.state.note ?? null,
    }),
  );
  return {
    verdict: verdictOf(
      isDomain ? `@${domainName}` : address,
      candidates.filter((c) => c.scope === ALL_MAIL),
    ),
    entries,
  };
}
