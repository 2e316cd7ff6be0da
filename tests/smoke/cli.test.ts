// The stack's command line: a second start is refused clearly, a taken port names itself and the
// fix, status --json is machine-readable, and stop leaves nothing running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../stack/config.ts';

// A separate instance beside the test stack, on ports derived from it so parallel runs do not collide.
const BASE = Number(process.env.STACK_PORT_BASE ?? 63320) + 100;
// One Node process with the tsx loader: the tsx wrapper would SIGKILL a child busy in a synchronous call.
const nodeWithTsx = [process.execPath, '--import', 'tsx'] as const;
const cli = join(projectRoot, 'stack', 'cli.ts');
const env = { ...process.env, STACK_PORT_BASE: String(BASE), STACK_DATA_DIR: `.stack/cli-test-${BASE}`, STACK_WEB: '0', FORCE_COLOR: '0' };

function runCli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(nodeWithTsx[0], [...nodeWithTsx.slice(1), cli, ...args], { cwd: projectRoot, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 120000 }) // generous: a loaded 2-core machine starts Node slowly;
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('start runs in the foreground, a second start is refused clearly, status --json answers, stop stops everything', async () => {
  const child = spawn(nodeWithTsx[0], [...nodeWithTsx.slice(1), cli, 'start'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    const deadline = Date.now() + 60000;
    while (!output.includes('Press Ctrl-C') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    assert.match(output, new RegExp(`API URL\\s+http://127\\.0\\.0\\.1:${BASE + 1}`));
    assert.match(output, /demo1@example\.com/);

    const second = runCli(['start']);
    assert.equal(second.code, 1);
    assert.match(second.out, /already running/);
    assert.doesNotMatch(second.out, /\n\s+at /, 'no stack trace');

    const status = runCli(['status', '--json']);
    assert.equal(status.code, 0);
    const parsed = JSON.parse(status.out);
    assert.deepEqual(Object.keys(parsed).sort(), ['anon_key', 'api_url', 'db_url', 'service_role_key', 'web_url']);
    assert.equal(parsed.api_url, `http://127.0.0.1:${BASE + 1}`);
  } finally {
    const stop = runCli(['stop']);
    assert.match(stop.out, /stopped/);
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
  const health = await fetch(`http://127.0.0.1:${BASE + 1}/rest/v1/`).catch(() => null);
  assert.equal(health, null, 'the gateway is gone after stop');
});

test('a taken port ends the start with one message naming the port and the fix, not a stack trace', async () => {
  const blocker = createServer().listen(BASE + 1, '127.0.0.1');
  await new Promise((r) => blocker.once('listening', r));
  try {
    const result = runCli(['start']);
    assert.equal(result.code, 1);
    assert.match(result.out, new RegExp(`port ${BASE + 1} \\(API gateway\\) is already in use`));
    assert.match(result.out, /fix: .*STACK_PORT_BASE/);
    assert.doesNotMatch(result.out, /\n\s+at /);
  } finally {
    blocker.close();
  }
});

test('Ctrl-C during start-up stops everything started so far: no stray PostgREST, Deno or Postgres', async () => {
  const child = spawn(nodeWithTsx[0], [...nodeWithTsx.slice(1), cli, 'start'], { cwd: projectRoot, env, stdio: 'ignore' });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // Interrupt as soon as Postgres answers: migrations, PostgREST and the functions are still to come.
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await portOpen(BASE + 2)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGINT');
  await exited;
  for (const port of [BASE + 1, BASE + 2, BASE + 3, BASE + 4, BASE + 7]) {
    assert.equal(await portOpen(port), false, `port ${port} is still open after the interrupted start`);
  }
});

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
