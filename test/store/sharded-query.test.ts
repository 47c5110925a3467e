/**
 * The sharded reader (store/sharded-query.ts) on an in-memory fake of the shard Query that keeps
 * DynamoDB's semantics (newest first, inclusive key bounds, `Limit`, `ExclusiveStartKey`, a
 * `LastEvaluatedKey` whenever the limit is reached): for random shard contents, groups, filters,
 * page sizes, first-Query sizes and read budgets, the pages put together are exactly the globally
 * sorted, filtered list; items added while paging never repeat nor push out the others; a cursor
 * is refused (InputError) unless it is one the reader gave.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../lambdas/core/errors.js";
import { openCursor, sealCursor } from "../../lambdas/store/cursor-seal.js";
import {
  compareKeys,
  type QueryShard,
  readSharded,
  type ShardedIndex,
  type ShardGroup,
  type ShardQuery,
} from "../../lambdas/store/sharded-query.js";

type Item = {
  readonly pk: string;
  readonly sk: string;
  /** The index sort key: `<time>#<sk>` (ties when two items share time and sk: one shard). */
  readonly isk: string;
  readonly keep: boolean;
};

/** Index order: sort key, then the table key, all descending (DynamoDB's order within a partition). */
const order = (a: Item, b: Item): number =>
  compareKeys(b.isk, a.isk) || compareKeys(b.pk, a.pk) || compareKeys(b.sk, a.sk);

const hash = (text: string): number => [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

/** A partition-keyed store of items with a DynamoDB-like Query; counts calls. */
function fakeIndex(shards: number) {
  const partitions = new Map<string, Item[]>();
  let calls = 0;
  const query: QueryShard = async (q: ShardQuery) => {
    calls++;
    const inRange = (partitions.get(q.partition) ?? [])
      .filter(
        (i) => (q.low === undefined || compareKeys(i.isk, q.low) >= 0) && compareKeys(i.isk, q.high) <= 0,
      )
      .sort(order);
    let start = 0;
    if (q.startKey !== undefined) {
      const key = q.startKey as Item;
      const at = { ...key, keep: true };
      start = inRange.findIndex((i) => order(i, at) > 0);
      if (start < 0) start = inRange.length;
    }
    const page = inRange.slice(start, start + q.limit);
    const last = page.at(-1);
    return {
      items: page.map((i) => ({ ...i })),
      ...(page.length === q.limit && last ? { lastKey: { pk: last.pk, sk: last.sk, isk: last.isk } } : {}),
    };
  };
  return {
    query,
    calls: () => calls,
    add(group: string, item: Item, shard = hash(item.sk) % shards) {
      const partition = `${group}#${shard}`;
      partitions.set(partition, [...(partitions.get(partition) ?? []), item]);
    },
  };
}

/** Status-like: sort keys may repeat (same time and sk, other pk), resumed by the exact key. */
const TIES: ShardedIndex = {
  sortKey: "isk",
  resume: {
    pkOf: (item) => String(item.pk),
    startKey: (p) => ({ pk: p.pk, sk: p.k.slice(p.k.indexOf("#") + 1), isk: p.k }),
  },
};
/** Lists-like: unique sort keys, no exact resume. */
const UNIQUE: ShardedIndex = { sortKey: "isk" };

const groupsOf = (ids: readonly string[], shards: number): ShardGroup[] =>
  ids.map((id) => ({ id, partitions: Array.from({ length: shards }, (_, s) => `${id}#${s}`) }));

type Scenario = {
  shards: number;
  groups: string[];
  items: { group: number; time: number; sk: number; pk: number; keep: boolean }[];
  limit: number;
  firstLimit: number | undefined;
  budgetRounds: number;
  low: number | undefined;
  high: number | undefined;
  unique: boolean;
};

const scenario: fc.Arbitrary<Scenario> = fc.record({
  shards: fc.integer({ min: 1, max: 6 }),
  groups: fc.constantFrom(["g0"], ["g0", "g1"], ["g0", "g1", "g2"]),
  items: fc.array(
    fc.record({
      group: fc.integer({ min: 0, max: 2 }),
      time: fc.integer({ min: 10, max: 40 }),
      sk: fc.integer({ min: 0, max: 5 }),
      pk: fc.integer({ min: 0, max: 9 }),
      keep: fc.boolean(),
    }),
    { maxLength: 120 },
  ),
  limit: fc.integer({ min: 1, max: 9 }),
  firstLimit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  budgetRounds: fc.integer({ min: 1, max: 4 }),
  low: fc.option(fc.integer({ min: 10, max: 40 }), { nil: undefined }),
  high: fc.option(fc.integer({ min: 10, max: 40 }), { nil: undefined }),
  unique: fc.boolean(),
});

/** The items of a scenario, deduplicated by table key (one item per key, in one group only). */
function itemsOf(s: Scenario): { group: string; item: Item }[] {
  const byKey = new Map<string, { group: string; item: Item }>();
  for (const i of s.items) {
    const group = s.groups[i.group % s.groups.length] as string;
    const sk = s.unique ? `s${i.sk}-p${i.pk}-t${i.time}` : `s${i.sk}`;
    const item: Item = { pk: `p${i.pk}`, sk, isk: `t${i.time}#${sk}`, keep: i.keep };
    byKey.set(`${item.pk}|${item.sk}|${item.isk}`, { group, item });
  }
  return [...byKey.values()];
}

const bound = (time: number | undefined, high: boolean): string | undefined =>
  time === undefined ? undefined : `t${time}${high ? "#~" : ""}`;

/** Reads every page, following cursors; fails on a cursor that never ends. */
async function readAll(
  fake: ReturnType<typeof fakeIndex>,
  s: Scenario,
  between?: (page: number) => void,
): Promise<{ pages: Item[][]; calls: number[] }> {
  const pages: Item[][] = [];
  const calls: number[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 5_000; n++) {
    const before = fake.calls();
    const low = bound(s.low, false);
    const page = await readSharded(fake.query, s.unique ? UNIQUE : TIES, {
      groups: groupsOf(s.groups, s.shards),
      ...(low === undefined ? {} : { low }),
      high: bound(s.high, true) ?? "~",
      limit: s.limit,
      pick: (item) => ((item as Item).keep ? (item as Item) : undefined),
      maxQueries: s.shards * s.budgetRounds,
      ...(s.firstLimit === undefined ? {} : { firstLimit: s.firstLimit }),
      ...(cursor === undefined ? {} : { cursor }),
      what: "this test",
      sealedFor: "test",
    });
    pages.push([...page.items]);
    calls.push(fake.calls() - before);
    expect(page.queries).toBe(fake.calls() - before);
    if (page.cursor === null) return { pages, calls };
    cursor = page.cursor;
    between?.(n);
  }
  throw new Error("the cursor never ended");
}

const keyOf = (i: Item): string => `${i.pk}|${i.sk}|${i.isk}`;

describe("readSharded on a fake index", () => {
  it("the pages put together are the globally sorted, filtered list, within every budget", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        // Prepare
        const fake = fakeIndex(s.shards);
        const all = itemsOf(s);
        for (const { group, item } of all)
          fake.add(group, item, s.unique ? hash(item.pk) % s.shards : undefined);
        const low = bound(s.low, false);
        const high = bound(s.high, true) ?? "~";
        const expected = s.groups.flatMap((g) =>
          all
            .filter(({ group }) => group === g)
            .map(({ item }) => item)
            .filter(
              (i) =>
                i.keep &&
                (low === undefined || compareKeys(i.isk, low) >= 0) &&
                compareKeys(i.isk, high) <= 0,
            )
            .sort(order),
        );
        // Act
        const { pages, calls } = await readAll(fake, s);
        // Assess
        expect(pages.flat().map(keyOf)).toEqual(expected.map(keyOf));
        for (const page of pages) expect(page.length).toBeLessThanOrEqual(s.limit);
        for (const n of calls) expect(n).toBeLessThanOrEqual(s.shards * s.budgetRounds);
        // With a budget of one round per page, the last page is the only one that may end early
        // only when there was no filter; with a filter, pages may be short but never over-full.
        if (s.budgetRounds >= 4 && s.items.every((i) => i.keep) && s.firstLimit === undefined) {
          for (const page of pages.slice(0, -1)) expect(page.length).toBe(s.limit);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("items added while paging never repeat, and every item there before appears exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.array(
          fc.record({
            time: fc.integer({ min: 5, max: 45 }),
            sk: fc.integer({ min: 0, max: 5 }),
            pk: fc.integer({ min: 10, max: 30 }),
          }),
          {
            maxLength: 30,
          },
        ),
        async (s, later) => {
          // Prepare
          const fake = fakeIndex(s.shards);
          const all = itemsOf(s);
          for (const { group, item } of all)
            fake.add(group, item, s.unique ? hash(item.pk) % s.shards : undefined);
          const low = bound(s.low, false);
          const high = bound(s.high, true) ?? "~";
          const inWindow = (i: Item) =>
            i.keep && (low === undefined || compareKeys(i.isk, low) >= 0) && compareKeys(i.isk, high) <= 0;
          const before = all.map(({ item }) => item).filter(inWindow);
          let next = 0;
          // Act: after every page, one more item (other pks than the originals: new table keys)
          const { pages } = await readAll(fake, s, () => {
            const add = later[next++];
            if (add === undefined) return;
            const sk = s.unique ? `s${add.sk}-p${add.pk}-t${add.time}` : `s${add.sk}`;
            const item: Item = { pk: `p${add.pk}-${next}`, sk, isk: `t${add.time}#${sk}`, keep: true };
            fake.add(
              s.groups[next % s.groups.length] as string,
              item,
              s.unique ? hash(item.pk) % s.shards : undefined,
            );
          });
          // Assess
          const seen = pages.flat().map(keyOf);
          expect(new Set(seen).size).toBe(seen.length);
          for (const item of before) expect(seen.filter((k) => k === keyOf(item))).toHaveLength(1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses a cursor it did not give, with an InputError, before any Query", async () => {
    const fake = fakeIndex(4);
    for (let i = 0; i < 20; i++)
      fake.add("g0", { pk: `p${i}`, sk: "s", isk: `t${10 + i}#s`, keep: true }, i % 4);
    const request = (cursor: string) =>
      readSharded(fake.query, TIES, {
        groups: groupsOf(["g0"], 4),
        high: "~",
        limit: 3,
        pick: (item) => item,
        maxQueries: 16,
        cursor,
        what: "this test",
        sealedFor: "test",
      });
    const first = await readSharded(fake.query, TIES, {
      groups: groupsOf(["g0"], 4),
      high: "~",
      limit: 3,
      pick: (item) => item,
      maxQueries: 16,
      what: "this test",
      sealedFor: "test",
    });
    const real = JSON.parse(openCursor(first.cursor ?? "", "test") ?? "null");
    // Sealed as readSharded seals: the checks behind the seal hold even for a holder of the key.
    const forged = (value: unknown) => sealCursor(JSON.stringify(value), "test");
    const bad = [
      "",
      "!!!",
      "bm90IGpzb24",
      Buffer.from(JSON.stringify(real)).toString("base64url"),
      sealCursor(JSON.stringify(real), "another query"),
      forged(null),
      forged([1, 2, 3]),
      forged({ ...real, v: 2 }),
      forged({ ...real, g: "another-group" }),
      forged({ ...real, d: 2 ** 4 }),
      forged({ ...real, d: -1 }),
      forged({ ...real, p: { ...real.p, s: 4 } }),
      forged({ ...real, p: { ...real.p, pk: undefined } }),
      forged({ ...real, p: { ...real.p, k: "~~" } }),
      forged({ ...real, extra: true }),
    ];
    const calls = fake.calls();
    for (const cursor of bad) {
      await expect(request(cursor), cursor).rejects.toBeInstanceOf(InputError);
    }
    expect(fake.calls()).toBe(calls);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (garbage) => {
        const outcome = await request(garbage).then(
          () => "read",
          (error: unknown) => error,
        );
        if (outcome !== "read") expect(outcome).toBeInstanceOf(InputError);
      }),
    );
  });
});
