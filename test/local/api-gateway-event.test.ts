/**
 * The local server's request → API Gateway (payload v2) event translation, over a real socket.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toApiGatewayEvent } from "../../lambdas/local/api-gateway-event.js";

describe("toApiGatewayEvent", () => {
  let server: Server;
  let url = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      const event = toApiGatewayEvent(req, Buffer.alloc(0), { routeKey: "GET /echo", pathParameters: {} });
      const query = event.queryStringParameters ?? {};
      const own = Object.fromEntries(Object.keys(query).map((name) => [name, query[name]]));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(own));
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", () => listening()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((closed) => server.close(() => closed()));
  });

  it("joins repeated query parameters with commas, as API Gateway does", async () => {
    const answer = await fetch(`${url}/echo?a=1&a=2&b=3`);
    expect(await answer.json()).toEqual({ a: "1,2", b: "3" });
  });

  it("keeps query parameters named like Object.prototype members as plain values", async () => {
    const answer = await fetch(`${url}/echo?toString=x&constructor=y&hasOwnProperty=z`);
    expect(await answer.json()).toEqual({ toString: "x", constructor: "y", hasOwnProperty: "z" });
  });
});
