/**
 * The SESv2 suppression-list wrappers (ses-account/suppression-list.ts). SES has no local engine:
 * the calls are mocked with aws-sdk-client-mock. That mock replaces `send` itself, so the SDK's
 * retries never run under it; the throttling tests therefore drive a real client from
 * `createSesClient` (adaptive retries), whose innermost step answers with SES's HTTP responses
 * (429 TooManyRequestsException first): the SDK's own deserializer and retry strategy do the rest.
 */
import {
  DeleteSuppressedDestinationCommand,
  GetSuppressedDestinationCommand,
  NotFoundException,
  PutSuppressedDestinationCommand,
  SESv2Client,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSesClient } from "../../lambdas/ses-account/client.js";
import {
  deleteSuppressed,
  getSuppressed,
  putSuppressed,
  SesSyncError,
} from "../../lambdas/ses-account/suppression-list.js";

const ADDRESS = "jdoe@example.org";
const META = { $metadata: {} };
const notFound = () => new NotFoundException({ message: "not on the list", ...META });
const throttled = () => new TooManyRequestsException({ message: "Maximum sending rate exceeded.", ...META });

describe("the suppression-list wrappers (mocked SESv2)", () => {
  const ses = new SESv2Client({ region: "us-east-1" });
  const mock = mockClient(ses);
  afterEach(() => mock.reset());

  it("getSuppressed gives the reason and time SES holds", async () => {
    // Arrange
    const at = new Date("2026-11-20T10:00:00Z");
    mock.on(GetSuppressedDestinationCommand, { EmailAddress: ADDRESS }).resolves({
      SuppressedDestination: { EmailAddress: ADDRESS, Reason: "COMPLAINT", LastUpdateTime: at },
    });

    // Act
    const held = await getSuppressed(ses, ADDRESS);

    // Assert
    expect(held).toEqual({ reason: "COMPLAINT", lastUpdateTime: at });
  });

  it("getSuppressed gives undefined when SES answers NotFoundException", async () => {
    // Arrange
    mock.on(GetSuppressedDestinationCommand).rejects(notFound());

    // Act
    const held = await getSuppressed(ses, ADDRESS);

    // Assert
    expect(held).toBeUndefined();
  });

  it("putSuppressed sends the address and the reason", async () => {
    // Arrange
    mock.on(PutSuppressedDestinationCommand).resolves(META);

    // Act
    await putSuppressed(ses, ADDRESS, "BOUNCE");

    // Assert
    expect(mock.commandCalls(PutSuppressedDestinationCommand).map((c) => c.args[0].input)).toEqual([
      { EmailAddress: ADDRESS, Reason: "BOUNCE" },
    ]);
  });

  it("deleteSuppressed says true when SES held it and false when it was already gone", async () => {
    // Arrange
    mock.on(DeleteSuppressedDestinationCommand).resolvesOnce(META).rejectsOnce(notFound());

    // Act
    const first = await deleteSuppressed(ses, ADDRESS);
    const again = await deleteSuppressed(ses, ADDRESS);

    // Assert
    expect([first, again]).toEqual([true, false]);
    expect(mock.commandCalls(DeleteSuppressedDestinationCommand)).toHaveLength(2);
  });

  it("wraps every other failure in a SesSyncError naming the operation, with the SDK error as cause", async () => {
    // Arrange
    const denied = Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });
    mock.on(GetSuppressedDestinationCommand).rejects(denied);
    mock.on(PutSuppressedDestinationCommand).rejects(throttled());
    mock.on(DeleteSuppressedDestinationCommand).rejects(denied);

    // Act
    const results = await Promise.allSettled([
      getSuppressed(ses, ADDRESS),
      putSuppressed(ses, ADDRESS, "COMPLAINT"),
      deleteSuppressed(ses, ADDRESS),
    ]);

    // Assert
    const errors = results.map((r) => (r.status === "rejected" ? r.reason : null));
    for (const err of errors) expect(err).toBeInstanceOf(SesSyncError);
    expect(errors.map((e: SesSyncError) => e.operation)).toEqual([
      "GetSuppressedDestination",
      "PutSuppressedDestination",
      "DeleteSuppressedDestination",
    ]);
    expect(errors.map((e: SesSyncError) => (e.cause as Error).name)).toEqual([
      "AccessDeniedException",
      "TooManyRequestsException",
      "AccessDeniedException",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Throttling through a real client
// ---------------------------------------------------------------------------------------------

type FakeResponse = { readonly status: number; readonly errorType?: string; readonly body?: unknown };
type SeenRequest = { readonly method: string; readonly path: string; readonly body: string };

/**
 * A real client from `createSesClient`, whose innermost step (below the SDK's deserializer, so
 * inside its retry loop) answers `responses` in turn, the last one repeated, and records what the
 * SDK sent.
 */
function scriptedSes(responses: readonly FakeResponse[], maxAttempts?: number) {
  const ses = createSesClient({ region: "us-east-1", ...(maxAttempts ? { maxAttempts } : {}) });
  const seen: SeenRequest[] = [];
  ses.middlewareStack.add(
    () => async (args) => {
      const request = args.request as { method: string; path: string; body?: unknown };
      const answer = responses[Math.min(seen.length, responses.length - 1)] as FakeResponse;
      const body = request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : request.body;
      seen.push({ method: request.method, path: request.path, body: typeof body === "string" ? body : "" });
      const response = {
        statusCode: answer.status,
        headers: {
          "content-type": "application/json",
          ...(answer.errorType ? { "x-amzn-errortype": answer.errorType } : {}),
        },
        body: new TextEncoder().encode(answer.body === undefined ? "" : JSON.stringify(answer.body)),
      };
      return { output: undefined, response } as never;
    },
    { step: "deserialize", priority: "low", name: "scriptedSesResponses" },
  );
  return { ses, seen };
}

const THROTTLED: FakeResponse = {
  status: 429,
  errorType: "TooManyRequestsException",
  body: { message: "Maximum sending rate exceeded." },
};
const OK: FakeResponse = { status: 200, body: {} };

describe("throttling, retried by the SDK of createSesClient", () => {
  beforeEach(() => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
    vi.stubEnv("AWS_SESSION_TOKEN", "");
  });
  afterEach(() => vi.unstubAllEnvs());

  it("puts after one TooManyRequestsException: the SDK sent the request again", async () => {
    // Arrange
    const { ses, seen } = scriptedSes([THROTTLED, OK]);

    // Act
    await putSuppressed(ses, ADDRESS, "COMPLAINT");

    // Assert
    expect(seen).toHaveLength(2);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      "PUT /v2/email/suppression/addresses",
      "PUT /v2/email/suppression/addresses",
    ]);
    expect(seen.map((r) => JSON.parse(r.body))).toEqual([
      { EmailAddress: ADDRESS, Reason: "COMPLAINT" },
      { EmailAddress: ADDRESS, Reason: "COMPLAINT" },
    ]);
    ses.destroy();
  });

  it("deletes after a throttled attempt, and reads a NotFoundException after one as nothing held", async () => {
    // Arrange
    const deleting = scriptedSes([THROTTLED, OK]);
    const reading = scriptedSes([
      THROTTLED,
      { status: 404, errorType: "NotFoundException", body: { message: "not on the list" } },
    ]);

    // Act
    const deleted = await deleteSuppressed(deleting.ses, ADDRESS);
    const held = await getSuppressed(reading.ses, ADDRESS);

    // Assert
    expect(deleted).toBe(true);
    expect(deleting.seen.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);
    expect(held).toBeUndefined();
    expect(reading.seen.map((r) => r.method)).toEqual(["GET", "GET"]);
    deleting.ses.destroy();
    reading.ses.destroy();
  });

  it("gives up after maxAttempts with a SesSyncError whose cause is the throttling", async () => {
    // Arrange
    const { ses, seen } = scriptedSes([THROTTLED], 2);

    // Act
    const failure = await putSuppressed(ses, ADDRESS, "BOUNCE").catch((err: unknown) => err);

    // Assert
    expect(failure).toBeInstanceOf(SesSyncError);
    expect((failure as SesSyncError).cause).toBeInstanceOf(TooManyRequestsException);
    expect(seen).toHaveLength(2);
    ses.destroy();
  });
});
