/**
 * The history of one address (or domain): its provider events and operators' actions, newest
 * first, in pages, from the `history` index (schema.ts). One Query per page on the subject's own
 * partition; items past their `ttl` are left out, as every read does (DynamoDB deletes lazily).
 */
import { QueryCommand, type QueryCommandOutput } from "@aws-sdk/lib-dynamodb";
import type { Subject } from "../core/address.js";
import { InputError } from "../core/errors.js";
import type { EventType } from "../core/taxonomy.js";
import type { AdminActionItem } from "./admin.js";
import { type CallContext, nowSeconds } from "./context.js";
import { openCursor, sealCursor } from "./cursor-seal.js";
import { toStoreError } from "./errors.js";
import type { EventItem } from "./ingest.js";
import { EVENT_SK_PREFIX, subjectPk } from "./keys.js";
import { HISTORY_INDEX, HISTORY_SORT_KEY, PARTITION_KEY, SORT_KEY } from "./schema.js";
import type { SuppressionStore } from "./store.js";

/** At most this many items per page. */
export const MAX_HISTORY_PAGE = 100;

/** Which part of a subject's history to read. */
export type HistoryQuery = {
  readonly tenant: string;
  readonly subject: Subject;
  /** Epoch seconds, inclusive; the history's start when absent. */
  readonly from?: number;
  /** Epoch seconds, inclusive; now when absent. */
  readonly to?: number;
  /** Only provider events of this type, or only operators' actions (`admin`). */
  readonly type?: EventType | "admin";
  /** 1..`MAX_HISTORY_PAGE`. */
  readonly limit: number;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
};

/** One page: provider event items and action items as stored, newest first. */
export type HistoryPage = {
  readonly items: readonly (EventItem | AdminActionItem)[];
  /** Pass it back for the next page; `null` on the last one. */
  readonly cursor: string | null;
};

type Position = { readonly pk: string; readonly sk: string; readonly hsk: string };

const isPosition = (value: unknown): value is Position =>
  typeof value === "object" &&
  value !== null &&
  ["pk", "sk", "hsk"].every((k) => typeof (value as Record<string, unknown>)[k] === "string");

const HISTORY_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z#E#/;

/** `E#…` and `<ISO time>#E#…` ending in that very `E#…`: the keys of a history item. */
const isHistoryKey = ({ sk, hsk }: Position): boolean =>
  sk.startsWith(EVENT_SK_PREFIX) &&
  sk.length > EVENT_SK_PREFIX.length &&
  HISTORY_TIME.test(hsk) &&
  hsk.endsWith(`#${sk}`);

/** An opaque cursor: where the last item returned sits in the index. */
/** The context a history cursor is sealed for (cursor-seal.ts): this subject of this tenant. */
const sealedFor = (pk: string): string => `history|${pk}`;

const encodeCursor = (position: Position): string =>
  sealCursor(JSON.stringify([position.pk, position.sk, position.hsk]), sealedFor(position.pk));

function decodeCursor(cursor: string, pk: string): Position {
  let position: unknown;
  try {
    const [p, s, h] = JSON.parse(openCursor(cursor, sealedFor(pk)) ?? "null") as unknown[];
    position = { pk: p, sk: s, hsk: h };
  } catch {
    position = undefined;
  }
  // A cursor of another subject (or tenant) would read another partition: refused, not followed;
  // and only the key of an item of this history is a position (DynamoDB refuses anything else).
  if (!isPosition(position) || position.pk !== pk || !isHistoryKey(position)) {
    throw new InputError("The cursor is not one this history returned.", [
      { path: "cursor", message: "not a cursor of this address's history" },
    ]);
  }
  return position;
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

const matches = (item: EventItem | AdminActionItem, type: HistoryQuery["type"]): boolean =>
  type === undefined ||
  (type === "admin" ? item.kind === "admin" : item.kind === "event" && item.event.type === type);

/**
 * A page of a subject's history, newest first: at most `limit` items that occurred between `from`
 * and `to`, of `type` when given. Reads on from the cursor's item, so pages neither repeat nor skip
 * an item however many are written meanwhile (a newer item appears on a new first page).
 *
 * @throws InputError when the cursor is not one this history returned
 * @throws StoreUnavailableError when DynamoDB fails
 * @example
 * const page = await readHistory(ctx, { tenant: "default", subject, limit: 50 }, now);
 * const next = page.cursor && (await readHistory(ctx, { ...query, cursor: page.cursor }, now));
 */
export async function readHistory(ctx: CallContext, query: HistoryQuery, now: number): Promise<HistoryPage> {
  const pk = subjectPk(query.tenant, query.subject.kind, query.subject.value);
  let start: Position | undefined = query.cursor === undefined ? undefined : decodeCursor(query.cursor, pk);
  const items: (EventItem | AdminActionItem)[] = [];
  // `hsk` starts with the ISO time, so a time window is a range of it: [from, to + 1 s), which
  // keeps every item of the second `to` names, milliseconds and all. (DynamoDB takes no empty key
  // value, so an open start is `<`, not a range from "".)
  const high = iso((query.to ?? now) + 1);
  // An empty window is an empty page: DynamoDB refuses a BETWEEN whose bounds are reversed.
  if (query.from !== undefined && iso(query.from) > high) return { items: [], cursor: null };
  const window =
    query.from === undefined
      ? { condition: "#hsk < :high", values: { ":high": high } }
      : { condition: "#hsk BETWEEN :low AND :high", values: { ":low": iso(query.from), ":high": high } };
  for (;;) {
    let out: QueryCommandOutput;
    try {
      out = await ctx.doc.send(
        new QueryCommand({
          TableName: ctx.tableName,
          IndexName: HISTORY_INDEX,
          KeyConditionExpression: `#pk = :pk AND ${window.condition}`,
          ExpressionAttributeNames: { "#pk": PARTITION_KEY, "#hsk": HISTORY_SORT_KEY },
          ExpressionAttributeValues: { ":pk": pk, ...window.values },
          ScanIndexForward: false,
          // One more than the page needs: whether it comes tells if there is a next page.
          Limit: query.limit - items.length + 1,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
        { abortSignal: ctx.signal },
      );
    } catch (err) {
      throw toStoreError(err, "Query (history)");
    }
    for (const raw of out.Items ?? []) {
      const item = raw as EventItem | AdminActionItem;
      if (typeof item.ttl === "number" && item.ttl <= now) continue;
      if (!matches(item, query.type)) continue;
      if (items.length === query.limit) {
        // A next page exists: it starts after the last item of this one, so none is lost.
        const lastKept = items[items.length - 1] as EventItem | AdminActionItem;
        return { items, cursor: encodeCursor({ pk, sk: lastKept.sk, hsk: lastKept.hsk }) };
      }
      items.push(item);
    }
    const last = out.LastEvaluatedKey;
    if (last === undefined) return { items, cursor: null };
    start = { pk, sk: String(last[SORT_KEY]), hsk: String(last[HISTORY_SORT_KEY]) };
  }
}

/**
 * The history reads of `store`, each one store call under the store's budget (a module of its own,
 * so the check function never loads it).
 *
 * @example
 * const page = await historyStore(deps.store()).read({ tenant: "default", subject, limit: 50 });
 */
export function historyStore(store: SuppressionStore) {
  return {
    read: (query: HistoryQuery, now: number = nowSeconds()): Promise<HistoryPage> =>
      store.within("readHistory", (call) => readHistory(call, query, now)),
  };
}
