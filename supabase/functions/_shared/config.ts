// Function settings from the environment (Supabase function secrets), read once per call site.
export function numberFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

export interface GraphSettings {
  baseUrl: string;
  version: string;
  /** Per-attempt limit; a call that never ends is cut here. */
  timeoutMs: number;
  maxAttempts: number;
  /** Base of the exponential backoff (full jitter). */
  retryBaseMs: number;
  /** Longest single backoff step. */
  retryMaxDelayMs: number;
  /** Longest wait the function accepts inside one request; beyond it answers 429 with Retry-After. */
  maxWaitMs: number;
}

export function graphSettings(): GraphSettings {
  const baseUrl = (Deno.env.get('FACEBOOK_GRAPH_API_URL') || 'https://graph.facebook.com').replace(/\/+$/, '');
  const version = Deno.env.get('FACEBOOK_GRAPH_API_VERSION') || 'v23.0';
  if (!/^v\d+\.\d+$/.test(version)) throw new Error(`FACEBOOK_GRAPH_API_VERSION must look like v23.0, got "${version}"`);
  return {
    baseUrl,
    version,
    timeoutMs: numberFromEnv('FACEBOOK_TIMEOUT_MS', 15_000, 10, 120_000),
    maxAttempts: numberFromEnv('FACEBOOK_MAX_ATTEMPTS', 4, 1, 10),
    retryBaseMs: numberFromEnv('FACEBOOK_RETRY_BASE_MS', 200, 0, 60_000),
    retryMaxDelayMs: numberFromEnv('FACEBOOK_RETRY_MAX_DELAY_MS', 5_000, 0, 600_000),
    maxWaitMs: numberFromEnv('FACEBOOK_MAX_WAIT_MS', 20_000, 0, 600_000),
  };
}

/** Country used when a direction's targeting names no location. */
export function defaultCountry(): string {
  const country = (Deno.env.get('FACEBOOK_DEFAULT_COUNTRY') || 'KZ').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw new Error(`FACEBOOK_DEFAULT_COUNTRY must be an ISO country code, got "${country}"`);
  return country;
}

export function requiredEnv(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
