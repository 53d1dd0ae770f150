/**
 * The only network code of the run sources: one JSON request, time-bounded (a timeout per attempt), retried with
 * backoff on 429 and 5xx (and on a refused connection or a timeout), cancellable with an AbortSignal. The transport is
 * injected (`FetchLike`): the CLI uses Node's http/https (`nodeFetch`), the extension passes one that runs in the
 * extension host, tests pass their own. Errors are `RemoteError`s that say what happened and what to do; no message
 * ever holds a credential (URLs are written without their user info, headers are never written).
 */
import * as http from 'node:http';
import * as https from 'node:https';

export interface FetchInit {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}
export interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}
/** What `globalThis.fetch` also satisfies. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

export type RemoteErrorKind = 'unauthorized' | 'forbidden' | 'not-found' | 'timeout' | 'unreachable' | 'server' | 'bad-response' | 'cancelled' | 'config';

export class RemoteError extends Error {
  constructor(
    readonly kind: RemoteErrorKind,
    message: string,
    /** What the user can do about it (shown on the message row of the view and after the CLI's error). */
    readonly action: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

export interface HttpOptions {
  fetch?: FetchLike;
  /** Per attempt (default 15 s). */
  timeoutMs?: number;
  /** Attempts after the first on 429/5xx/timeout/refused (default 3). */
  retries?: number;
  /** First backoff (default 500 ms), doubled after each retry, capped at 8 s; a Retry-After header wins (capped at 10 s). */
  backoffMs?: number;
  signal?: AbortSignal;
  /** Injected by tests (default setTimeout, cancelled by the signal). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told about each retry (the view shows "retrying"). */
  onRetry?: (attempt: number, reason: string, waitMs: number) => void;
}

/** `https://user:secret@host/x?token=y` -> `https://host/x` (query left out too: tokens travel there sometimes). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<invalid URL>';
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(): RemoteError {
  return new RemoteError('cancelled', 'cancelled', '');
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * Sends one request and parses the JSON answer. `what` names the service in messages ("MLflow server http://host").
 * Throws RemoteError.
 */
export async function requestJson(url: string, init: Omit<FetchInit, 'signal'>, what: string, opts: HttpOptions = {}): Promise<unknown> {
  const fetchFn = opts.fetch ?? nodeFetch;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const retries = opts.retries ?? 3;
  const sleep = opts.sleep ?? defaultSleep;
  let backoff = opts.backoffMs ?? 500;
  const where = redactUrl(url);
  for (let attempt = 0; ; attempt++) {
    if (opts.signal?.aborted) throw cancelled();
    const ctl = new AbortController();
    const onAbort = () => ctl.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, timeoutMs);
    let retry: { reason: string; waitMs?: number } | undefined;
    try {
      const res = await fetchFn(url, { ...init, signal: ctl.signal });
      const text = await res.text();
      if (res.status >= 200 && res.status < 300) {
        try {
          return text ? JSON.parse(text) : {};
        } catch {
          throw new RemoteError(
            'bad-response',
            `${what} answered ${where} with something that is not JSON (${text.slice(0, 80).replace(/\s+/g, ' ')}…)`,
            'Check that the URI points at the tracking server itself (not a login page or a proxy).',
            res.status,
          );
        }
      }
      if (res.status >= 300 && res.status < 400) {
        // the API never redirects; a proxy or a login page does
        const to = res.headers.get('location');
        throw new RemoteError(
          'bad-response',
          `${what} redirected ${where} to ${to ? redactUrl(new URL(to, url).toString()) : 'another address'} (HTTP ${res.status})`,
          'The URI may lead to a login page or need https://: set the address of the tracking server itself.',
          res.status,
        );
      }
      if (RETRY_STATUS.has(res.status) && attempt < retries) {
        const ra = Number(res.headers.get('retry-after'));
        retry = { reason: `HTTP ${res.status}`, waitMs: Number.isFinite(ra) && ra > 0 ? Math.min(ra * 1000, 10_000) : undefined };
      } else throw statusError(res.status, text, what, where);
    } catch (e) {
      if (e instanceof RemoteError) throw e;
      if (opts.signal?.aborted) throw cancelled();
      const code = (e as NodeJS.ErrnoException).code ?? (e as { cause?: NodeJS.ErrnoException }).cause?.code;
      const reason = timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : (code ?? (e as Error).message);
      // a refused connection is retried once (a server restarting), a reset or a timeout like a 503
      if (
        attempt < (code === 'ECONNREFUSED' ? Math.min(1, retries) : retries) &&
        (timedOut || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EAI_AGAIN')
      )
        retry = { reason };
      else if (timedOut)
        throw new RemoteError(
          'timeout',
          `${what} did not answer within ${Math.round(timeoutMs / 1000)} s (${attempt + 1} attempt${attempt ? 's' : ''})`,
          'The server is slow or unreachable: check the URI and your network or proxy, then refresh.',
        );
      else
        throw new RemoteError(
          'unreachable',
          `${what} cannot be reached at ${where} (${reason})`,
          code === 'ENOTFOUND'
            ? 'The host name is unknown: check the tracking URI.'
            : 'Start the server (e.g. `mlflow server`) or check the URI, your VPN and proxy, then refresh.',
        );
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
    const waitMs = retry.waitMs ?? backoff;
    opts.onRetry?.(attempt + 1, retry.reason, waitMs);
    await sleep(waitMs, opts.signal);
    backoff = Math.min(backoff * 2, 8000);
  }
}

function statusError(status: number, body: string, what: string, where: string): RemoteError {
  let detail = '';
  try {
    const j = JSON.parse(body) as { message?: unknown; error_code?: unknown; errors?: { message?: string }[] };
    if (typeof j.message === 'string') detail = `: ${j.error_code ? `${String(j.error_code)}: ` : ''}${j.message}`;
    else if (Array.isArray(j.errors) && j.errors[0]?.message) detail = `: ${j.errors[0].message}`;
  } catch {
    /* not JSON */
  }
  detail = detail.slice(0, 200);
  if (status === 401)
    return new RemoteError(
      'unauthorized',
      `${what} refused the credentials (HTTP 401${detail})`,
      'Set the token or user name and password (MLOps Hygiene: Set Tracking Server Credentials, or the environment variables), then refresh.',
      status,
    );
  if (status === 403)
    return new RemoteError(
      'forbidden',
      `${what} denies access (HTTP 403${detail})`,
      'Your account lacks permission on this server or project: ask its administrator, or use another token.',
      status,
    );
  if (status === 404)
    return new RemoteError(
      'not-found',
      `${what} has no ${where} (HTTP 404${detail})`,
      'Check the URI: it must be the server root (the REST API lives under /api/2.0/mlflow/), or the project name.',
      status,
    );
  return new RemoteError(
    status >= 500 || status === 429 ? 'server' : 'bad-response',
    `${what} failed (HTTP ${status}${detail})`,
    status >= 500 || status === 429 ? 'The server is busy or failing: try again later.' : 'The request was refused: check the filter and the URI.',
    status,
  );
}

/**
 * A fetch over Node's http/https modules. In VS Code's extension host these modules are the ones VS Code patches for
 * its proxy (`http.proxy`, `http.proxySupport`) and the system certificate store (`http.systemCertificates`), so the
 * extension uses this, not `globalThis.fetch`, which those settings do not reach on every supported VS Code version.
 */
export const nodeFetch: FetchLike = (url, init) =>
  new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : undefined;
    if (!mod) return reject(new RemoteError('config', `unsupported protocol ${u.protocol}`, 'Use an http:// or https:// URI.'));
    const req = mod.request(
      u,
      {
        method: init.method,
        headers: { ...init.headers, ...(init.body !== undefined ? { 'content-length': Buffer.byteLength(init.body) } : {}) },
        signal: init.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: {
              get: (n) => {
                const v = res.headers[n.toLowerCase()];
                return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
              },
            },
            text: async () => text,
          });
        });
      },
    );
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
