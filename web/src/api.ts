// The dashboard's only way to the server: JSON in and out, the optional bearer token, and
// errors as exceptions carrying the server's message.

export class ApiError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

const TOKEN_KEY = "airline-analytics-token";

export function token(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? "";
}

export function setToken(value: string): void {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function headers(json: boolean): Record<string, string> {
  const out: Record<string, string> = { Accept: "application/json" };
  if (json) out["Content-Type"] = "application/json";
  const t = token();
  if (t) out["Authorization"] = `Bearer ${t}`;
  return out;
}

async function check(response: Response): Promise<Response> {
  if (response.ok) return response;
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    message = body?.error?.message ?? message;
  } catch {
    /* not JSON: keep the status line */
  }
  throw new ApiError(response.status, message);
}

export async function get<T = any>(path: string): Promise<T> {
  const r = await check(await fetch(path, { headers: headers(false) }));
  return r.json();
}

export async function post<T = any>(path: string, body: unknown): Promise<T> {
  const r = await check(
    await fetch(path, { method: "POST", headers: headers(true), body: JSON.stringify(body) }),
  );
  return r.json();
}

export interface OpResult<R = any> {
  op: string;
  params: Record<string, unknown>;
  filters: Record<string, unknown>;
  result: R & { units?: Record<string, string> };
}

export function runOp<R = any>(
  name: string,
  params: Record<string, unknown> = {},
  filters: Record<string, unknown> = {},
): Promise<OpResult<R>> {
  return post(`/api/operations/${encodeURIComponent(name)}`, { params, filters });
}

// Downloads an operation's table as CSV (through fetch, so the token travels in a header).
export async function downloadCsv(
  name: string,
  params: Record<string, unknown>,
  filters: Record<string, unknown>,
  table: string,
): Promise<void> {
  const r = await check(
    await fetch(`/api/export/${encodeURIComponent(name)}`, {
      method: "POST",
      headers: headers(true),
      body: JSON.stringify({ params, filters, table }),
    }),
  );
  const blob = await r.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `${name}-${table}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
