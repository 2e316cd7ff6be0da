// The local stack's one entry point: start (foreground), stop, reset, status.
import { loadConfig } from './config.ts';
import { StackError } from './errors.ts';
import { readState, startStack, stopRunningStack } from './stack.ts';
import { pidAlive } from './process.ts';

const DEMO_SIGN_INS = [
  ['demo1@example.com', 'demo-password-1'],
  ['demo2@example.com', 'demo-password-2'],
];

const USAGE = `usage: node --import tsx stack/cli.ts <start|stop|reset|status> [--json]
  start    run the local stack in the foreground (Ctrl-C stops everything it started)
  stop     stop a stack started from the same STACK_DATA_DIR
  reset    clean database: migrations and seed re-applied (stops a running stack first)
  status   print the URLs and keys of the running stack (--json for scripts)
environment: STACK_PORT_BASE, STACK_API_PORT, STACK_DB_PORT, STACK_WEB_PORT, STACK_DATA_DIR (see README)`;

async function start(reset = false) {
  const config = loadConfig();
  // Signals are handled from the first moment: Ctrl-C during start-up aborts it and stops what
  // already runs, instead of killing this process and orphaning PostgREST and Deno.
  const abort = new AbortController();
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    if (!stack) {
      abort.abort();
      return; // startStack rejects, stops what it started, and main() reports it
    }
    console.log('\nstopping…');
    await stack.stop();
    console.log('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, shutdown);

  try {
    stack = await startStack(config, { web: true, reset, log: (l) => console.log(l), signal: abort.signal });
  } catch (error) {
    if (abort.signal.aborted) {
      console.log('start-up interrupted: everything it had started is stopped');
      process.exit(130);
    }
    throw error;
  }
  const { status, timings } = stack;
  console.log(`
WhatsApp number router — local stack is running (ready in ${timings.api_ready} ms, all services in ${timings.ready} ms)

  API URL           ${status.api_url}
  DB URL            ${status.db_url}
  Web app           ${stack.webProblem ? 'NOT SERVED:\n' + stack.webProblem : status.web_url}
  anon key          ${status.anon_key}
  service_role key  ${status.service_role_key}

  Demo sign-ins:    ${DEMO_SIGN_INS.map(([e, p]) => `${e} / ${p}`).join('   ')}

  Logs: ${config.dataDir}/logs   Press Ctrl-C to stop.`);
}

async function main() {
  const [command, ...flags] = process.argv.slice(2);
  const config = loadConfig();
  switch (command) {
    case 'start':
      return start();
    case 'stop': {
      const result = await stopRunningStack(config);
      console.log(result === 'stopped' ? 'local stack stopped' : 'no local stack was running');
      return;
    }
    case 'reset': {
      await stopRunningStack(config);
      const stack = await startStack(config, { reset: true, web: false });
      await stack.stop();
      console.log('database reset: migrations and seed re-applied. Run npm start to use it.');
      return;
    }
    case 'status': {
      const state = readState(config);
      const running = state && pidAlive(state.pid);
      if (flags.includes('--json')) {
        if (!running) {
          console.log(JSON.stringify({ running: false }));
          process.exitCode = 1;
          return;
        }
        const { api_url, db_url, anon_key, service_role_key, web_url } = state;
        console.log(JSON.stringify({ api_url, db_url, anon_key, service_role_key, web_url }));
        return;
      }
      if (!running) {
        console.log('no local stack is running (npm start runs one)');
        process.exitCode = 1;
        return;
      }
      console.log(`running (pid ${state.pid}) since ${state.started_at}\n  API ${state.api_url}\n  DB  ${state.db_url}\n  Web ${state.web_url}`);
      return;
    }
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main().catch((error) => {
  if (error instanceof StackError) {
    console.error(error.describe());
  } else {
    console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
