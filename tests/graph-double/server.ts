// A faithful local model of the Facebook Graph API endpoints the product calls, plus a control API.
// Usage: `npx tsx tests/graph-double/server.ts --port 58326` or `startGraphDouble({port})` from tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { businessUseCaseUsage, fbtraceId, graphError, replies, type GraphReply } from './errors.ts';
import { FaultQueue, validateFault, type FaultSpec } from './faults.ts';
import { digitsOf, GraphWorld, stripAct, type AccountsConfig, type RecordedRequest } from './model.ts';
import { checkAdSet, parseObjectField, versionNumber } from './validate.ts';

export interface GraphDouble {
  url: string;
  state: GraphWorld;
  faults: FaultQueue;
  close(): Promise<void>;
}

const OBJECT_FIELDS = ['targeting', 'promoted_object'];
const MAX_BODY_BYTES = 1_000_000;

export async function startGraphDouble(options: { port?: number; host?: string } = {}): Promise<GraphDouble> {
  const host = options.host ?? '127.0.0.1';
  const world = new GraphWorld();
  const faults = new FaultQueue();
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    handle(world, faults, req, res).catch((error) => {
      if (!res.headersSent) send(res, { status: 500, body: { error: { message: String(error), code: 1, type: 'GraphMethodException', is_transient: true, fbtrace_id: fbtraceId() } } });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    state: world,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, reply: GraphReply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=UTF-8',
    'x-fb-trace-id': fbtraceId(),
    'x-fb-rev': '1024000000',
    ...(reply.headers ?? {}),
  });
  res.end(body);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseParams(contentType: string, raw: string, query: URLSearchParams): Record<string, unknown> | string {
  const params: Record<string, unknown> = Object.fromEntries(query);
  if (!raw) return params;
  if (contentType.includes('application/json')) {
    try {
      const parsed = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return 'the JSON body must be an object';
      Object.assign(params, parsed);
    } catch {
      return 'the JSON body could not be parsed';
    }
  } else if (contentType.includes('application/x-www-form-urlencoded') || contentType === '') {
    Object.assign(params, Object.fromEntries(new URLSearchParams(raw)));
  } else {
    return `unsupported content type ${contentType}`;
  }
  return params;
}

/** For recording: object fields decoded from their JSON strings, so tests can assert on them. */
function decodedForRecord(params: Record<string, unknown>): Record<string, unknown> {
  const decoded = { ...params };
  for (const field of OBJECT_FIELDS) {
    if (field in decoded) {
      const parsed = parseObjectField(decoded[field]);
      if (parsed.ok) decoded[field] = parsed.value;
    }
  }
  return decoded;
}

function tokenOf(req: IncomingMessage, params: Record<string, unknown>): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(auth);
    if (match) return match[1].trim();
  }
  return typeof params.access_token === 'string' ? params.access_token : undefined;
}

async function handle(world: GraphWorld, faults: FaultQueue, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://double');
  const method = (req.method ?? 'GET').toUpperCase();
  if (url.pathname.startsWith('/__control/')) return control(world, faults, method, url, req, res);

  const raw = await readBody(req);
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  const parsed = parseParams(contentType, raw, url.searchParams);
  const segments = url.pathname.split('/').filter(Boolean);
  const version = segments[0];
  const adAccountId = segments[1]?.startsWith('act_') ? stripAct(segments[1]) : undefined;
  const params = typeof parsed === 'string' ? {} : parsed;
  const record: RecordedRequest = {
    seq: world.requests.length + 1,
    at: new Date().toISOString(),
    method,
    path: url.pathname,
    version,
    ad_account_id: adAccountId,
    query: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')])),
    content_type: contentType || undefined,
    raw_body: raw,
    body: decodedForRecord(params),
    access_token: tokenOf(req, params),
  };
  world.requests.push(record);

  const reply = async (r: GraphReply) => {
    const latency = world.latencyFor(adAccountId);
    if (latency > 0) await sleep(latency);
    record.response_status = r.status;
    record.response_body = r.body;
    if (!res.destroyed) send(res, r);
  };

  const fault = faults.take(method, url.pathname, adAccountId);
  if (fault) {
    record.fault = fault.name;
    if (fault.kind === 'hang') {
      // Never answers; the connection is released when the client gives up or the double closes.
      return;
    }
    if (fault.kind === 'drop') {
      if (fault.delayMs) await sleep(fault.delayMs);
      record.response_status = 0;
      // Part of a response, then the reset: the client cannot mistake it for a request never sent
      // (HTTP clients silently resend those on a fresh connection).
      req.socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 64\r\n\r\n{"id":');
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'reply') {
      if (fault.delayMs) await sleep(fault.delayMs);
      return reply(fault.reply);
    }
    if (fault.delayMs) await sleep(fault.delayMs);
  }

  if (typeof parsed === 'string') return reply(graphError({ message: `(#100) ${parsed}`, code: 100 }));
  return reply(route(world, method, segments, params, record.access_token, url));
}

function route(
  world: GraphWorld,
  method: string,
  segments: string[],
  params: Record<string, unknown>,
  token: string | undefined,
  url: URL,
): GraphReply {
  const [version, node, edge, ...rest] = segments;
  const versionValue = version ? versionNumber(version) : undefined;
  if (versionValue === undefined || !node || rest.length > 0) return replies.unknownPath(url.pathname);
  if (versionValue < 20) return replies.deprecatedVersion(version);

  if (!token) return replies.missingToken();
  const tokenConfig = world.tokens.get(token);
  if (!tokenConfig) return replies.tokenInvalid();
  if (tokenConfig.expired) return replies.tokenExpired();

  if (node.startsWith('act_')) {
    const accountId = stripAct(node);
    const account = world.adAccounts.get(accountId);
    if (!account) return replies.objectNotFound(node);
    if (tokenConfig.ad_account_ids && !tokenConfig.ad_account_ids.map(stripAct).includes(accountId)) {
      return replies.permissionDenied(accountId);
    }
    if (edge === 'adsets' && method === 'POST') return createAdSet(world, version, accountId, params);
    if (edge === 'adsets' && method === 'GET') {
      return { status: 200, body: { data: world.adsets.filter((a) => a.ad_account_id === accountId).map((a) => ({ id: a.id, name: a.fields.name, status: a.fields.status })) } };
    }
    return replies.unknownPath(url.pathname);
  }

  if (edge === 'phone_numbers' && method === 'GET') {
    const waba = world.wabas.get(node);
    if (!waba) return replies.objectNotFound(node);
    const fields = String(params.fields ?? 'display_phone_number,verified_name,id').split(',').map((f) => f.trim());
    return {
      status: 200,
      body: { data: waba.phone_numbers.map((n) => pick({ ...n } as unknown as Record<string, unknown>, [...fields, 'id'])) },
    };
  }

  if (!edge && method === 'GET') {
    const page = world.pages.get(node);
    if (!page) return replies.objectNotFound(node);
    const fields = String(params.fields ?? 'name,id').split(',').map((f) => f.trim());
    const business = page.whatsapp === 'business';
    const all: Record<string, unknown> = {
      id: page.id,
      name: page.name ?? `Page ${page.id}`,
      has_whatsapp_number: page.whatsapp !== 'none',
      has_whatsapp_business_number: business,
      whatsapp_number: page.whatsapp === 'none' ? undefined : digitsOf(page.numbers?.[0] ?? '77000000000'),
    };
    return { status: 200, body: pick(all, [...fields, 'id']) };
  }
  return replies.unknownPath(url.pathname);
}

function pick(source: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (source[field] !== undefined) out[field] = source[field];
  return out;
}

function createAdSet(world: GraphWorld, version: string, accountId: string, params: Record<string, unknown>): GraphReply {
  const account = world.adAccounts.get(accountId)!;
  let usagePercent = 1;
  if (account.rate_limit) {
    const now = Date.now();
    const recent = (world.callLog.get(accountId) ?? []).filter((t) => now - t < account.rate_limit!.window_ms);
    recent.push(now);
    world.callLog.set(accountId, recent);
    usagePercent = Math.round((recent.length / account.rate_limit.max_calls) * 100);
    if (recent.length > account.rate_limit.max_calls) {
      return replies.rateLimit(accountId, 80004, account.rate_limit.regain_minutes ?? 0);
    }
  }
  const check = checkAdSet(world, version, accountId, params);
  const usage = { 'x-business-use-case-usage': businessUseCaseUsage(accountId, Math.min(usagePercent, 100), 0) };
  if (!check.ok) return { ...check.reply, headers: { ...usage, ...(check.reply.headers ?? {}) } };
  const { access_token: _token, ...fields } = check.fields;
  const id = world.newObjectId();
  world.adsets.push({ id, ad_account_id: accountId, version, fields, created_at: new Date().toISOString() });
  return { status: 200, body: { id }, headers: usage };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  return raw ? JSON.parse(raw) : {};
}

async function control(world: GraphWorld, faults: FaultQueue, method: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const ok = (body: unknown) => send(res, { status: 200, body });
  const bad = (message: string) => send(res, { status: 400, body: { error: message } });
  let input: any;
  try {
    input = method === 'POST' ? await readJson(req) : {};
  } catch {
    return bad('control bodies are JSON');
  }
  const filterByAccount = <T extends { ad_account_id?: string }>(items: T[]) => {
    const account = url.searchParams.get('ad_account_id');
    return account ? items.filter((i) => i.ad_account_id === stripAct(account)) : items;
  };
  switch (`${method} ${url.pathname}`) {
    case 'POST /__control/reset':
      world.reset();
      faults.clear();
      return ok({ ok: true });
    case 'POST /__control/accounts':
      world.configure(input as AccountsConfig);
      return ok({ ok: true });
    case 'POST /__control/faults': {
      const list: unknown[] = Array.isArray(input) ? input : Array.isArray(input?.faults) ? input.faults : [input];
      for (const spec of list) {
        const problem = validateFault(spec);
        if (problem) return bad(problem);
      }
      for (const spec of list) faults.add(spec as FaultSpec);
      return ok({ ok: true, pending: faults.pending().length });
    }
    case 'GET /__control/faults':
      return ok({ faults: faults.pending() });
    case 'DELETE /__control/faults':
      faults.clear();
      return ok({ ok: true });
    case 'POST /__control/latency': {
      const ms = Number(input?.ms);
      if (!Number.isFinite(ms) || ms < 0) return bad('latency needs {ms: number >= 0, ad_account_id?}');
      if (input.ad_account_id) {
        const account = world.adAccounts.get(stripAct(input.ad_account_id));
        if (!account) return bad(`unknown ad account ${input.ad_account_id}`);
        account.latency_ms = ms;
      } else {
        world.globalLatencyMs = ms;
      }
      return ok({ ok: true });
    }
    case 'GET /__control/requests': {
      const since = Number(url.searchParams.get('since') ?? 0);
      return ok({ requests: filterByAccount(world.requests).filter((r) => r.seq > since) });
    }
    case 'GET /__control/adsets':
      return ok({ adsets: filterByAccount(world.adsets) });
    default:
      return send(res, { status: 404, body: { error: `unknown control route ${method} ${url.pathname}` } });
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const double = await startGraphDouble({ port: Number(flag('port') ?? process.env.GRAPH_DOUBLE_PORT ?? 0), host: flag('host') ?? '127.0.0.1' });
  console.log(`graph double listening on ${double.url}`);
  const stop = () => double.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
