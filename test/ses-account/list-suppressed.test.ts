/**
 * Pages of `ListSuppressedDestinations` (lambdas/ses-account/list-suppressed.ts) over a mocked SESv2
 * client: every page in order with its token, the page size and the window passed through,
 * resuming at a token, and SES's refusals as the importer's errors.
 */
import type { SuppressedDestinationSummary } from "@aws-sdk/client-sesv2";
import { afterEach, describe, expect, it } from "vitest";
import {
  listSuppressedPages,
  SES_MAX_PAGE_SIZE,
  SesListError,
  SesNextTokenError,
  type SuppressedPage,
} from "../../lambdas/ses-account/list-suppressed.js";
import { type FakeSesList, fakeSesList, summary } from "../providers/ses-account-list/fake-ses-list.js";

const T0 = Date.parse("2026-11-01T00:00:00Z");
const MINUTE = 60_000;

/** `n` bounces, a minute apart from T0. */
const entries = (n: number): SuppressedDestinationSummary[] =>
  Array.from({ length: n }, (_, i) => summary(`u${i}@example.org`, "BOUNCE", new Date(T0 + i * MINUTE)));

async function collect(pages: AsyncGenerator<SuppressedPage>): Promise<SuppressedPage[]> {
  const out: SuppressedPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe("listSuppressedPages", () => {
  let ses: FakeSesList;
  afterEach(() => ses?.mock.restore());

  it("reads every page in order, each with the token it was read with and the next one", async () => {
    // Prepare
    ses = fakeSesList(entries(5));
    // Act
    const pages = await collect(listSuppressedPages(ses.client, { pageSize: 2 }));
    // Assert
    expect(pages.map((p) => p.summaries.map((s) => s.EmailAddress))).toEqual([
      ["u0@example.org", "u1@example.org"],
      ["u2@example.org", "u3@example.org"],
      ["u4@example.org"],
    ]);
    expect(pages.map((p) => [p.token, p.nextToken])).toEqual([
      [null, "tok-2-0"],
      ["tok-2-0", "tok-4-0"],
      ["tok-4-0", null],
    ]);
    expect(ses.calls.map((c) => c.NextToken)).toEqual([undefined, "tok-2-0", "tok-4-0"]);
    expect(ses.calls.every((c) => c.PageSize === 2)).toBe(true);
  });

  it("asks for SES's largest page by default and passes the window", async () => {
    // Prepare
    ses = fakeSesList(entries(5));
    const startDate = new Date(T0 + MINUTE);
    const endDate = new Date(T0 + 3 * MINUTE);
    // Act
    const pages = await collect(listSuppressedPages(ses.client, { startDate, endDate }));
    // Assert
    expect(ses.calls).toEqual([{ PageSize: SES_MAX_PAGE_SIZE, StartDate: startDate, EndDate: endDate }]);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.summaries.map((s) => s.EmailAddress)).toEqual([
      "u1@example.org",
      "u2@example.org",
      "u3@example.org",
    ]);
  });

  it("resumes at a token", async () => {
    // Prepare
    ses = fakeSesList(entries(5));
    // Act
    const pages = await collect(listSuppressedPages(ses.client, { pageSize: 2, nextToken: "tok-4-0" }));
    // Assert
    expect(pages).toEqual([{ summaries: [entries(5)[4]], token: "tok-4-0", nextToken: null }]);
  });

  it("gives one empty page for an empty list", async () => {
    // Prepare
    ses = fakeSesList([]);
    // Act
    const pages = await collect(listSuppressedPages(ses.client));
    // Assert
    expect(pages).toEqual([{ summaries: [], token: null, nextToken: null }]);
  });

  it("turns a refused token into SesNextTokenError, and another failure into SesListError, with the cause", async () => {
    // Prepare
    ses = fakeSesList(entries(5));
    ses.expireTokens();
    // Act
    const refused = collect(listSuppressedPages(ses.client, { pageSize: 2, nextToken: "tok-2-0" }));
    // Assert
    await expect(refused).rejects.toBeInstanceOf(SesNextTokenError);
    await expect(refused).rejects.toMatchObject({ cause: { name: "InvalidNextTokenException" } });
    // Prepare
    ses.failCalls.add(ses.calls.length + 2);
    // Act
    const failing = listSuppressedPages(ses.client, { pageSize: 2 });
    const first = await failing.next();
    // Assert
    expect(first.done).toBe(false);
    const error = await failing.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SesListError);
    expect(error).not.toBeInstanceOf(SesNextTokenError);
    expect(error).toMatchObject({ message: /injected failure/, cause: { name: "TooManyRequestsException" } });
  });

  it.each([0, 1001, 2.5])("refuses a page size of %s", async (pageSize) => {
    // Prepare
    ses = fakeSesList([]);
    // Act / Assert
    await expect(collect(listSuppressedPages(ses.client, { pageSize }))).rejects.toBeInstanceOf(RangeError);
    expect(ses.calls).toEqual([]);
  });
});
