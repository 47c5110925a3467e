import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy on 127.0.0.1 in front of an HTTP endpoint (a DynamoDB engine, or the local server)
 * that can be told to fail: the client then meets a real network failure, not a mock.
 */
export type FaultyProxy = {
  readonly endpoint: string;
  /** Requests forwarded so far. */
  readonly forwarded: number;
  /** Requests held unanswered so far by `"stall"`. */
  readonly stalled: number;
  /** Requests answered 503 so far by `{ answer503: n }`. */
  readonly refused: number;
  /**
   * `"down"` drops every connection; `"stall"` accepts connections and reads requests but never
   * answers them (a store that hangs: only the client's own timeouts end the wait);
   * `{ afterRequests: n }` forwards n more, then drops; `{ whenBodyContains: s }` drops only the
   * requests that mention `s` (a failure for chosen records); `{ answer503: n }` answers the next n
   * requests itself, 503 problem+json with `Retry-After: 0` (an overloaded service), then forwards.
   */
  fail(
    mode: "down" | "stall" | { afterRequests: number } | { whenBodyContains: string } | { answer503: number },
  ): void;
  heal(): void;
  stop(): Promise<void>;
};

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const upstream = new URL(target);
  let budget = Number.POSITIVE_INFINITY;
  let marker: string | null = null;
  let forwarded = 0;
  let stall = false;
  let stalled = 0;
  let unavailable = 0;
  let refused = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (stall) {
        stalled += 1; // never answered: the socket stays open until the client gives up or stop()
        return;
      }
      if (unavailable > 0) {
        unavailable -= 1;
        refused += 1;
        res.writeHead(503, { "content-type": "application/problem+json", "retry-after": "0" });
        res.end(
          JSON.stringify({ type: "https://suppression-service.dev/problems/store-unavailable", status: 503 }),
        );
        return;
      }
      const body = Buffer.concat(chunks);
      if (budget <= 0 || (marker !== null && body.includes(marker))) {
        req.socket.destroy();
        return;
      }
      budget -= 1;
      forwarded += 1;
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on("error", () => req.socket.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get forwarded() {
      return forwarded;
    },
    get stalled() {
      return stalled;
    },
    get refused() {
      return refused;
    },
    fail: (mode) => {
      if (mode === "down") budget = 0;
      else if (mode === "stall") stall = true;
      else if ("afterRequests" in mode) budget = mode.afterRequests;
      else if ("answer503" in mode) unavailable = mode.answer503;
      else marker = mode.whenBodyContains;
    },
    heal: () => {
      budget = Number.POSITIVE_INFINITY;
      marker = null;
      stall = false;
      unavailable = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
