// Reads Facebook's error envelope and sorts it into what the product does about it (DESIGN.md §5).
import type { FacebookErrorDetails } from './errors.ts';
import { redactSecrets } from './log.ts';

export type FacebookErrorKind =
  | 'token_invalid'       // 190: the user must reconnect Facebook
  | 'number_not_connected' // 100/1487246: the number is not linked to the Page (Page fallback may apply)
  | 'page_personal_whatsapp' // 100/2446885: the Page's WhatsApp is a personal account
  | 'page_without_whatsapp'  // 100/2446886: the Page has no WhatsApp
  | 'invalid_parameter'   // 100 other
  | 'permission_denied'   // 10, 200-299
  | 'rate_limited'        // 4, 17, 32, 613, 80000-80014
  | 'transient'           // 1, 2, or is_transient
  | 'other';

export interface ClassifiedFacebookError {
  kind: FacebookErrorKind;
  details: FacebookErrorDetails;
  /** How long Facebook asks us to wait, from x-business-use-case-usage or Retry-After. */
  waitHintMs: number;
}

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);

function isRateLimitCode(code: number | null): boolean {
  return code !== null && (RATE_LIMIT_CODES.has(code) || (code >= 80000 && code <= 80014));
}

const asNumber = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
// Facebook's texts go to the user, the audit row and the logs: a token echoed in them is cut out here, once.
const asText = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? redactSecrets(v) : null);

export function kindOf(code: number | null, subcode: number | null, transient: boolean): FacebookErrorKind {
  if (code === 190) return 'token_invalid';
  if (isRateLimitCode(code)) return 'rate_limited';
  if (code === 100 && subcode === 1487246) return 'number_not_connected';
  if (code === 100 && subcode === 2446885) return 'page_personal_whatsapp';
  if (code === 100 && subcode === 2446886) return 'page_without_whatsapp';
  if (code === 1 || code === 2 || transient) return 'transient';
  if (code === 100) return 'invalid_parameter';
  if (code === 10 || (code !== null && code >= 200 && code <= 299)) return 'permission_denied';
  return 'other';
}

/** The longest `estimated_time_to_regain_access` (minutes) in an x-business-use-case-usage header. */
export function regainAccessMs(header: string | null): number {
  if (!header) return 0;
  try {
    const usage = JSON.parse(header) as Record<string, Array<{ estimated_time_to_regain_access?: unknown }>>;
    let minutes = 0;
    for (const entries of Object.values(usage)) {
      for (const entry of Array.isArray(entries) ? entries : []) {
        minutes = Math.max(minutes, asNumber(entry?.estimated_time_to_regain_access) ?? 0);
      }
    }
    return minutes * 60_000;
  } catch {
    return 0;
  }
}

export function retryAfterMs(header: string | null): number {
  if (!header) return 0;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : Math.max(0, date - Date.now());
}

export function classifyFacebookError(status: number, body: unknown, headers: Headers): ClassifiedFacebookError {
  const error = (body && typeof body === 'object' && 'error' in body ? (body as { error: Record<string, unknown> }).error : null) ?? {};
  const code = asNumber(error.code);
  const subcode = asNumber(error.error_subcode);
  const details: FacebookErrorDetails = {
    code,
    subcode,
    message: asText(error.message) ?? (code === null ? `HTTP ${status} without a Graph error body` : null),
    user_title: asText(error.error_user_title),
    user_msg: asText(error.error_user_msg),
    fbtrace_id: asText(error.fbtrace_id) ?? headers.get('x-fb-trace-id'),
  };
  // A 5xx without Facebook's envelope (a proxy or an outage page) is temporary too.
  const transient = error.is_transient === true || (code === null && status >= 500);
  return {
    kind: kindOf(code, subcode, transient),
    details,
    waitHintMs: Math.max(regainAccessMs(headers.get('x-business-use-case-usage')), retryAfterMs(headers.get('retry-after'))),
  };
}
