/**
 * The one fetch client: same-origin session cookies, the CSRF header on unsafe methods, JSON in and
 * out, and errors as `ApiError` carrying the server's `{detail, code, fields, errors}` body.
 */
import type { ApiErrorBody } from "./types";

export class ApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;

  constructor(status: number, body: ApiErrorBody) {
    super(body.detail || `Request failed with status ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/** Value of a cookie by name (Django's `csrftoken`), or null. */
export function readCookie(name: string, cookie: string = typeof document === "undefined" ? "" : document.cookie): string | null {
  for (const part of cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Return the body as text (code export) instead of parsing JSON. */
  text?: boolean;
}

async function errorBody(res: Response): Promise<ApiErrorBody> {
  const raw = await res.text().catch(() => "");
  try {
    const parsed = JSON.parse(raw) as Partial<ApiErrorBody>;
    if (parsed && typeof parsed === "object") {
      return { ...parsed, detail: String(parsed.detail ?? res.statusText), code: String(parsed.code ?? res.status) };
    }
  } catch {
    // not JSON (a proxy's HTML page): fall through
  }
  const hint = res.status === 403 ? " Log in again if your session expired." : "";
  return { detail: `${res.status} ${res.statusText || "error"} from ${res.url || "the server"}.${hint}`, code: String(res.status) };
}

export async function apiFetch<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = (opts.method ?? (opts.body === undefined ? "GET" : "POST")).toUpperCase();
  const headers: Record<string, string> = { Accept: opts.text ? "text/plain, */*" : "application/json" };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (!SAFE.has(method)) {
    const token = readCookie("csrftoken");
    if (token) headers["X-CSRFToken"] = token;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiError(0, { detail: "Cannot reach the server; check that it is running.", code: "network" });
  }
  if (!res.ok) throw new ApiError(res.status, await errorBody(res));
  if (res.status === 204) return undefined as T;
  if (opts.text) return (await res.text()) as T;
  return (await res.json()) as T;
}
