// Builds the web app when its sources changed and serves web/dist, with the stack's API URL and anon
// key written into index.html at serve time (one build works against any stack).
import http from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { StackError } from './errors.ts';
import { run } from './process.ts';
import { projectRoot, type StackConfig } from './config.ts';

export const webDir = join(projectRoot, 'web');
export const webDist = join(webDir, 'dist');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function webAppPresent(): boolean {
  return existsSync(join(webDir, 'vite.config.ts')) && existsSync(join(webDir, 'index.html'));
}

/** Rebuilds web/dist only when a source file is newer than the last build. */
export function buildWebIfStale(): boolean {
  if (!webAppPresent()) return false;
  const builtIndex = join(webDist, 'index.html');
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= newestMtime(webDir)) return false;
  try {
    run(join(projectRoot, 'node_modules', '.bin', 'vite'), ['build', '--config', join(webDir, 'vite.config.ts'), '--logLevel', 'error'], { cwd: projectRoot });
  } catch (error) {
    throw new StackError(`the web app did not build: ${(error as Error).message.slice(0, 600)}`, 'fix the error in web/ and start again');
  }
  return true;
}

export function createWebServer(config: StackConfig, anonKey: string): http.Server {
  const appConfig = JSON.stringify({ supabaseUrl: config.apiUrl, supabaseAnonKey: anonKey }).replace(/</g, '\\u003c');
  const cache = new Map<string, { body: Buffer; gzip: Buffer; type: string; immutable: boolean }>();

  function load(path: string) {
    // Hashed assets never change, so they are cached; index.html is read each time because a rebuild
    // (by this or another stack sharing web/dist) renames the assets it points to.
    const isIndex = path.endsWith('index.html');
    const cached = isIndex ? undefined : cache.get(path);
    if (cached) return cached;
    let body = readFileSync(path);
    if (isIndex) {
      body = Buffer.from(body.toString('utf8').replace('<!--app-config-->', `<script id="app-config" type="application/json">${appConfig}</script>`));
    }
    const entry = { body, gzip: gzipSync(body), type: MIME[extname(path)] ?? 'application/octet-stream', immutable: path.includes(`${sep}assets${sep}`) };
    if (!isIndex) cache.set(path, entry);
    return entry;
  }

  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', config.webUrl);
    const requested = normalize(join(webDist, decodeURIComponent(url.pathname)));
    if (!requested.startsWith(webDist)) {
      res.writeHead(400).end('bad path');
      return;
    }
    // Client-side routes fall back to index.html, as a static host configured for an SPA does.
    const file = existsSync(requested) && statSync(requested).isFile() ? requested : join(webDist, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The web app is not built: run npm start again after fixing web/.');
      return;
    }
    const entry = load(file);
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, {
      'content-type': entry.type,
      'cache-control': entry.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      vary: 'accept-encoding',
    });
    res.end(gzip ? entry.gzip : entry.body);
  });
}
