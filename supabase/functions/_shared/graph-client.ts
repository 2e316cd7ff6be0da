// Calls the Graph API: one POST per attempt, bounded retries with exponential backoff and full jitter,
// honouring Facebook's throttling headers, and a timeout per attempt. The token travels only in the
// Authorization header of the outgoing request.
import type { GraphSettings } from './config.ts';
import type { FacebookErrorDetails } from './errors.ts';
import { classifyFacebookError, type FacebookErrorKind } from './facebook-errors.ts';
import { log } from './log.ts';
import { RateGate, sleep } from './rate-gate.ts';

export interface GraphPost {
  url: string;
  /** Field values; objects are sent as JSON strings, as the Marketing API expects in forms. */
  fields: Record<string, unknown>;
}

export type GraphFailureKind = FacebookErrorKind | 'timeout' | 'network';

export interface GraphFailure {
  kind: GraphFailureKind;
  details: FacebookErrorDetails;
  /** Set when the caller should try again later (throttling, outage). */
  retryAfterMs?: number;
}

export type GraphResult =
  | { ok: true; id: string; attempts: number }
  | { ok: false; failure: GraphFailure; attempts: number };

export function formBody(fields: Record<string, unknown>): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    form.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return form;
}

const noDetails = (message: string): FacebookErrorDetails => ({
  code: null, subcode: null, message, user_title: null, user_msg: null, fbtrace_id: null,
});

/** Full jitter: a random wait in [0, min(cap, base * 2^(attempt-1))]. */
export function backoffMs(attempt: number, settings: GraphSettings): number {
  const ceiling = Math.min(settings.retryMaxDelayMs, settings.retryBaseMs * 2 ** (attempt - 1));
  return Math.random() * ceiling;
}

/** Connection refused means the request never reached Facebook: safe to try again. */
function neverSent(error: unknown): boolean {
  return /connection refused|ECONNREFUSED/i.test(String(error));
}

export async function postToGraph(
  request: GraphPost,
  token: string,
  settings: GraphSettings,
  gate: RateGate,
  context: Record<string, unknown> = {},
): Promise<GraphResult> {
  for (let attempt = 1; ; attempt++) {
    await gate.wait();
    let response: Response;
    let body: unknown;
    try {
      response = await fetch(request.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody(request.fields),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      const text = await response.text();
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
    } catch (error) {
      if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        // Facebook may still create the ad set: retrying a timed-out POST could create a second one.
        return {
          ok: false,
          attempts: attempt,
          failure: { kind: 'timeout', details: noDetails(`Facebook did not answer within ${settings.timeoutMs} ms`) },
        };
      }
      if (neverSent(error) && attempt < settings.maxAttempts) {
        const wait = backoffMs(attempt, settings);
        log('warn', 'Graph API unreachable, retrying', { ...context, attempt, wait_ms: Math.round(wait) });
        await sleep(wait);
        continue;
      }
      return {
        ok: false,
        attempts: attempt,
        failure: { kind: 'network', details: noDetails(`Could not reach Facebook: ${String(error)}`), retryAfterMs: 30_000 },
      };
    }

    if (response.ok && body && typeof body === 'object' && typeof (body as { id?: unknown }).id === 'string') {
      return { ok: true, id: (body as { id: string }).id, attempts: attempt };
    }

    const classified = classifyFacebookError(response.status, body, response.headers);
    const retryable = classified.kind === 'transient' || classified.kind === 'rate_limited';
    if (!retryable) return { ok: false, attempts: attempt, failure: { kind: classified.kind, details: classified.details } };

    const wait = Math.max(backoffMs(attempt, settings), classified.waitHintMs);
    const retryAfterMs = Math.max(wait, 1000);
    if (attempt >= settings.maxAttempts || wait > settings.maxWaitMs) {
      if (classified.kind === 'rate_limited') gate.pauseFor(wait);
      return { ok: false, attempts: attempt, failure: { kind: classified.kind, details: classified.details, retryAfterMs } };
    }
    log('warn', classified.kind === 'rate_limited' ? 'Facebook rate limit, backing off' : 'Facebook temporary error, retrying', {
      ...context,
      attempt,
      wait_ms: Math.round(wait),
      fb_code: classified.details.code,
      fb_subcode: classified.details.subcode,
      fbtrace_id: classified.details.fbtrace_id,
    });
    if (classified.kind === 'rate_limited') gate.pauseFor(wait);
    await sleep(wait);
  }
}
