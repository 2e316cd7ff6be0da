// The API gateway (Kong's role on Supabase): one origin with /rest/v1, /auth/v1 and /functions/v1,
// API-key check, JWT check for functions whose verify_jwt is on, and Supabase's CORS headers.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { jwtVerify } from 'jose';
import type { StackConfig } from './config.ts';

export const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD',
  'access-control-allow-headers':
    'authorization, x-client-info, apikey, content-type, content-profile, accept-profile, prefer, range, x-supabase-api-version, x-upsert, x-region, if-none-match',
  'access-control-expose-headers': 'content-range, content-location, x-supabase-api-version, preference-applied, retry-after, range-unit, x-total-count',
  'access-control-max-age': '3600',
};

type AuthHandler = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, cors: Record<string, string>) => Promise<unknown>;

interface GatewayOptions {
  config: StackConfig;
  apiKeys: string[];
  auth: AuthHandler;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Largest request body the gateway forwards; nothing this product sends comes close. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** How much of an oversized body is read and discarded so the client can read the 413. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
  res.writeHead(status, { ...CORS_HEADERS, 'content-type': 'application/json', ...extra });
  res.end(JSON.stringify(body));
}

/** Answers 413; the rest of the oversized body is discarded, never forwarded. */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse) {
  if (!res.headersSent) {
    res.writeHead(413, { ...CORS_HEADERS, 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'request_too_large', message: `Request body is larger than ${MAX_BODY_BYTES} bytes` }));
  }
  discardBody(req);
}

/**
 * Reads and throws away the rest of a refused body (up to a bound): closing on a client that is still
 * uploading makes it see a reset instead of the 413; once drained, the connection stays usable.
 */
export function discardBody(req: IncomingMessage) {
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAIN_BYTES) req.destroy();
  });
  req.resume();
}

function proxy(req: IncomingMessage, res: ServerResponse, port: number, path: string, headers: http.OutgoingHttpHeaders) {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return refuseTooLarge(req, res);
  let received = 0;
  let refused = false;
  const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path, headers, agent }, (up) => {
    const responseHeaders = { ...up.headers, ...CORS_HEADERS };
    res.writeHead(up.statusCode ?? 502, responseHeaders);
    up.pipe(res);
  });
  upstream.on('error', (error) => {
    if (refused) return; // we cut the upstream ourselves after answering 413
    if (res.headersSent) return res.destroy();
    sendJson(res, 503, { code: 'upstream_unavailable', message: `The service behind ${req.url?.split('?')[0]} is unavailable: ${error.message}` },
      { 'retry-after': '1' });
  });
  // A chunked body has no length up front: count it as it streams and stop at the limit.
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_BODY_BYTES && !refused) {
      refused = true;
      req.unpipe(upstream);
      upstream.destroy();
      refuseTooLarge(req, res);
    }
  });
  req.pipe(upstream);
}

export function createGateway({ config, apiKeys, auth }: GatewayOptions): http.Server {
  const secret = new TextEncoder().encode(config.jwtSecret);
  const knownKeys = new Set(apiKeys);

  return http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', config.apiUrl);
      if (req.method === 'OPTIONS') {
        res.writeHead(200, CORS_HEADERS);
        return res.end('ok');
      }
      const headers: http.OutgoingHttpHeaders = { ...req.headers };
      delete headers.host;
      const apikey = (req.headers.apikey as string | undefined) ?? null;
      const authorization = req.headers.authorization ?? null;

      const [, prefix, version, ...rest] = url.pathname.split('/');
      const service = `${prefix}/${version}`;
      const subPath = '/' + rest.join('/');

      if (service === 'rest/v1' || service === 'auth/v1') {
        // Kong's key-auth: a request needs a known API key (apikey header, or the key as bearer).
        const bearerToken = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
        if (!apikey && !bearerToken) return sendJson(res, 401, { message: 'No API key found in request' });
        if (apikey && !knownKeys.has(apikey)) return sendJson(res, 401, { message: 'Invalid API key' });
        if (!authorization && apikey) headers.authorization = `Bearer ${apikey}`;
        if (service === 'auth/v1') {
          if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return refuseTooLarge(req, res);
          return auth(req, res, subPath, url.searchParams, CORS_HEADERS);
        }
        return proxy(req, res, config.ports.rest, subPath + url.search, headers);
      }

      if (service === 'functions/v1') {
        const name = rest[0] ?? '';
        if (!name) return sendJson(res, 404, { code: 'NOT_FOUND', message: 'Requested function was not found' });
        if (config.functionsVerifyJwt[name] !== false) {
          const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
          if (!token) return sendJson(res, 401, { code: 401, message: 'Missing authorization header' });
          try {
            await jwtVerify(token, secret);
          } catch {
            return sendJson(res, 401, { code: 401, message: 'Invalid JWT' });
          }
        }
        return proxy(req, res, config.ports.functions, subPath + url.search, headers);
      }

      return sendJson(res, 404, { message: 'no Route matched with those values' });
    } catch (error) {
      console.error('gateway error', error);
      if (!res.headersSent) sendJson(res, 500, { message: 'gateway failure' });
    }
  });
}
