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

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
  res.writeHead(status, { ...CORS_HEADERS, 'content-type': 'application/json', ...extra });
  res.end(JSON.stringify(body));
}

function proxy(req: IncomingMessage, res: ServerResponse, port: number, path: string, headers: http.OutgoingHttpHeaders) {
  const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path, headers, agent }, (up) => {
    const responseHeaders = { ...up.headers, ...CORS_HEADERS };
    res.writeHead(up.statusCode ?? 502, responseHeaders);
    up.pipe(res);
  });
  upstream.on('error', (error) => {
    if (res.headersSent) return res.destroy();
    sendJson(res, 503, { code: 'upstream_unavailable', message: `The service behind ${req.url?.split('?')[0]} is unavailable: ${error.message}` },
      { 'retry-after': '1' });
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
        if (service === 'auth/v1') return auth(req, res, subPath, url.searchParams, CORS_HEADERS);
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
