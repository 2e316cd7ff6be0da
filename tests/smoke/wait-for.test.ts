// Waiting for a service ends as soon as its process has exited, instead of polling until the timeout
// (a Deno that could not bind its port once left `npm start` silent for two minutes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { waitFor } from '../../stack/process.ts';

test('waitFor gives up at once when the awaited process exits, naming why', async () => {
  const child = spawn(process.execPath, ['-e', 'process.exit(3)']);
  let exited = false;
  child.once('exit', () => (exited = true));
  const started = Date.now();
  await assert.rejects(
    waitFor('the test service', async () => false, 30000, 10, () => (exited ? 'exited during start-up' : null)),
    /the test service exited during start-up/,
  );
  assert.ok(Date.now() - started < 5000, `gave up after ${Date.now() - started} ms, not at the exit`);
});

test('waitFor treats a throwing check as not ready yet, and times out with a message', async () => {
  let calls = 0;
  await assert.rejects(waitFor('the flaky service', async () => { calls++; throw new Error('connection refused'); }, 200, 10),
    /the flaky service did not become ready within 200 ms/);
  assert.ok(calls > 3, 'it kept polling');
});
