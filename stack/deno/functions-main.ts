// Local edge runtime: serves every supabase/functions/<name>/handler.ts on one port, routed by the
// first path segment, as Supabase's edge runtime does behind /functions/v1/<name>.
const functionsDir = Deno.env.get('FUNCTIONS_DIR');
const port = Number(Deno.env.get('FUNCTIONS_PORT'));
if (!functionsDir || !port) throw new Error('FUNCTIONS_DIR and FUNCTIONS_PORT are required');

type Handler = (req: Request) => Response | Promise<Response>;
const handlers = new Map<string, Handler>();
const loadErrors = new Map<string, string>();

for await (const entry of Deno.readDir(functionsDir)) {
  if (!entry.isDirectory || entry.name.startsWith('_') || entry.name === 'tests') continue;
  const path = `${functionsDir}/${entry.name}/handler.ts`;
  try {
    await Deno.stat(path);
  } catch {
    continue;
  }
  try {
    const mod = await import(`file://${path}`);
    if (typeof mod.handler !== 'function') throw new Error('handler.ts does not export a handler function');
    handlers.set(entry.name, mod.handler);
  } catch (error) {
    // One broken function must not take the others down: it answers 500 with the reason instead.
    loadErrors.set(entry.name, String(error));
    console.error(JSON.stringify({ level: 'error', msg: 'function failed to load', function: entry.name, error: String(error) }));
  }
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

Deno.serve({ hostname: '127.0.0.1', port, onListen: () => console.log(JSON.stringify({ msg: 'functions ready', functions: [...handlers.keys()] })) }, async (req) => {
  const name = new URL(req.url).pathname.split('/')[1] ?? '';
  const handler = handlers.get(name);
  if (!handler) {
    if (loadErrors.has(name)) return json(500, { code: 'BOOT_ERROR', message: `Function failed to start: ${loadErrors.get(name)}` });
    return json(404, { code: 'NOT_FOUND', message: 'Requested function was not found' });
  }
  try {
    return await handler(req);
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', msg: 'unhandled function error', function: name, error: String(error) }));
    return json(500, { error: { code: 'internal_error', message: 'The function failed unexpectedly' } });
  }
});
