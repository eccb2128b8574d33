/**
 * Saved-search webhooks in `npm start`: a receiver on 127.0.0.1 (allowed by the WEBHOOK_ALLOW_HOSTS that
 * `npm start` sets) gets the signed delivery of a matching listing within 15 s of its ingest, through the
 * local matching and delivery queues.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintServiceToken, stackDatabaseUrl, stackForFile, uniqueListing } from "./test/stack.ts";

const stack = stackForFile(["--demo-limit", "1"]);

type Received = { at: number; headers: IncomingHttpHeaders; body: string };
const received: Received[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(200).end();
  });
});

beforeAll(() => new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve)));
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

describe("saved-search webhooks in npm start", { retry: 0 }, () => {
  it("delivers a signed event to a receiver on 127.0.0.1 within 15 s of the ingest", async () => {
    const origin = stack().origin;
    const signup = await fetch(`${origin}/api/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `hooks-${randomBytes(4).toString("hex")}@stack.test`, password: "a long enough password" }),
    });
    expect(signup.status, await signup.clone().text()).toBe(201);
    const { access_token } = ((await signup.json()) as { data: { access_token: string } }).data;
    const city = `Zz${randomBytes(5).toString("hex").replace(/\d/g, "q")}`;
    const listing = uniqueListing();
    (listing.address as Record<string, unknown>).city = city;
    const created = await fetch(`${origin}/api/v1/saved-searches`, {
      method: "POST",
      headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
      body: JSON.stringify({
        name: "stack",
        query: `city=${city}`,
        webhook_url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { webhook_secret } = ((await created.json()) as { data: { webhook_secret: string } }).data;

    const token = await mintServiceToken(stackDatabaseUrl(stack().dataDir));
    const ingestedAt = Date.now();
    const ingest = await fetch(`${origin}/api/v1/properties`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(listing),
    });
    expect(ingest.status, await ingest.clone().text()).toBeLessThan(300);
    while (received.length === 0 && Date.now() - ingestedAt < 15_000) await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(1);
    expect(received[0]!.at - ingestedAt).toBeLessThan(15_000);
    const payload = new Webhook(webhook_secret).verify(received[0]!.body, received[0]!.headers as Record<string, string>);
    expect(payload).toMatchObject({ type: "saved_search.new_match" });
  });
});
