import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, apiFetch, readCookie } from "./client";

afterEach(() => vi.unstubAllGlobals());

function stubFetch(status: number, body: string, contentType = "application/json") {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(status === 204 ? null : body, { status, headers: { "Content-Type": contentType } });
  });
  return calls;
}

describe("api client", () => {
  it("reads Django's csrftoken cookie", () => {
    expect(readCookie("csrftoken", "a=1; csrftoken=abc%3D; b=2")).toBe("abc=");
    expect(readCookie("csrftoken", "a=1")).toBeNull();
  });

  it("sends the CSRF header on unsafe methods only, and JSON bodies", async () => {
    vi.stubGlobal("document", { cookie: "csrftoken=tok" });
    const calls = stubFetch(200, '{"id": 1}');
    expect(await apiFetch("/api/x/", { body: { a: 1 } })).toEqual({ id: 1 });
    await apiFetch("/api/x/");
    const [post, get] = calls;
    expect(post!.init.method).toBe("POST");
    expect((post!.init.headers as Record<string, string>)["X-CSRFToken"]).toBe("tok");
    expect(post!.init.body).toBe('{"a":1}');
    expect((get!.init.headers as Record<string, string>)["X-CSRFToken"]).toBeUndefined();
  });

  it("turns error bodies into ApiError with the server's detail and graph errors", async () => {
    stubFetch(400, JSON.stringify({ detail: "Invalid graph", code: "invalid", errors: [{ code: "cycle", message: "a → b → a", node: "a" }] }));
    const err = await apiFetch("/api/x/", { method: "POST" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe("Invalid graph");
    expect((err as ApiError).body.errors?.[0]?.node).toBe("a");
  });

  it("explains non-JSON errors and unreachable servers", async () => {
    stubFetch(502, "<html>Bad gateway</html>", "text/html");
    await expect(apiFetch("/api/x/")).rejects.toThrow(/502/);
    vi.stubGlobal("fetch", async () => { throw new TypeError("Failed to fetch"); });
    await expect(apiFetch("/api/x/")).rejects.toThrow(/Cannot reach the server/);
  });
});
