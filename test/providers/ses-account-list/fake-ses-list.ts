/**
 * A fake SES account-level suppression list for the SES import's tests: an SESv2 client whose
 * `ListSuppressedDestinations` is answered by `aws-sdk-client-mock` (SES has no local engine) from
 * an array of summaries, filtered by `StartDate`/`EndDate` on `LastUpdateTime`, paged by
 * `PageSize` with opaque tokens. Tokens can be expired (`InvalidNextTokenException`) and a call can
 * be made to fail.
 */
import {
  InvalidNextTokenException,
  ListSuppressedDestinationsCommand,
  type ListSuppressedDestinationsCommandInput,
  SESv2Client,
  type SuppressedDestinationSummary,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";

export type FakeSesList = {
  readonly client: SESv2Client;
  readonly mock: AwsClientStub<SESv2Client>;
  /** The list SES holds; change it between runs. */
  entries: SuppressedDestinationSummary[];
  /** Every call's input, in order. */
  readonly calls: ListSuppressedDestinationsCommandInput[];
  /** Call numbers (1-based, counted over the fake's life) that fail with a non-retryable error. */
  readonly failCalls: Set<number>;
  /** Called at the start of every call (a test's clock moves on, say). */
  onCall: (() => void) | undefined;
  /** Makes every token handed out so far invalid. */
  expireTokens(): void;
};

/** A summary SES would list. */
export const summary = (
  address: string,
  reason: "BOUNCE" | "COMPLAINT",
  at: Date,
): SuppressedDestinationSummary => ({ EmailAddress: address, Reason: reason, LastUpdateTime: at });

/**
 * A client over a fake list of `entries`.
 *
 * @example
 * const ses = fakeSesList([summary("a@example.org", "BOUNCE", at)]);
 * for await (const page of listSuppressedPages(ses.client)) …;
 * ses.mock.restore();
 */
export function fakeSesList(entries: SuppressedDestinationSummary[] = []): FakeSesList {
  // No retries: a failure the fake injects reaches the code under test at once.
  const client = new SESv2Client({
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const mock = mockClient(client);
  let generation = 0;
  const fake: FakeSesList = {
    client,
    mock,
    entries,
    calls: [],
    failCalls: new Set(),
    onCall: undefined,
    expireTokens: () => {
      generation++;
    },
  };
  mock.on(ListSuppressedDestinationsCommand).callsFake((input: ListSuppressedDestinationsCommandInput) => {
    fake.calls.push(input);
    fake.onCall?.();
    if (fake.failCalls.has(fake.calls.length)) {
      throw new TooManyRequestsException({ message: "injected failure", $metadata: {} });
    }
    let offset = 0;
    if (input.NextToken !== undefined) {
      const match = /^tok-(\d+)-(\d+)$/.exec(input.NextToken);
      if (match === null || Number(match[2]) !== generation) {
        throw new InvalidNextTokenException({ message: "The token is invalid or expired", $metadata: {} });
      }
      offset = Number(match[1]);
    }
    const start = input.StartDate?.getTime() ?? Number.NEGATIVE_INFINITY;
    const end = input.EndDate?.getTime() ?? Number.POSITIVE_INFINITY;
    const listed = fake.entries.filter((e) => {
      const t = e.LastUpdateTime?.getTime() ?? 0;
      return t >= start && t <= end;
    });
    const size = input.PageSize ?? 1000;
    const page = listed.slice(offset, offset + size);
    const next = offset + size < listed.length ? `tok-${offset + size}-${generation}` : undefined;
    return Promise.resolve({
      SuppressedDestinationSummaries: page,
      ...(next !== undefined ? { NextToken: next } : {}),
      $metadata: {},
    });
  });
  return fake;
}
