// npm run bench: every benchmark on its own stack (ports 61321…, folder .stack/bench), then
// BENCHMARKS.md with each figure, its reference measured in the same run, and the ratio.
//   npm run bench                 everything, writes BENCHMARKS.md
//   npm run bench -- db gateway   only those groups, printed (BENCHMARKS.md untouched)
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { loadConfig, projectRoot } from '../stack/config.ts';
import { startStack } from '../stack/stack.ts';
import { benchColdStart, benchGateway } from './stack.ts';
import type { BenchEnv, BenchResult } from './types.ts';

type Group = { name: string; run(env: BenchEnv): Promise<BenchResult[]> };

async function optional(file: string, exportName: string): Promise<((env: BenchEnv) => Promise<BenchResult[]>) | null> {
  const path = join(projectRoot, 'bench', file);
  if (!existsSync(path)) return null;
  const mod = await import(path) as Record<string, (env: BenchEnv) => Promise<BenchResult[]>>;
  return mod[exportName] ?? null;
}

function fmt(n: number | undefined, digits = 2): string {
  return n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits);
}

function markdown(results: BenchResult[], seconds: number): string {
  const rows = results.map((r) =>
    `| ${r.name} | ${r.workload} | \`${r.command}\` | ${fmt(r.median_ms)} | ${r.spread} | ${r.reference ?? '—'} | ${fmt(r.reference_median_ms)} | ${fmt(r.ratio)} | ${r.bar ?? '—'} | ${r.met === undefined ? '—' : r.met ? 'met' : '**missed**'} |`);
  const notes = results.filter((r) => r.note).map((r) => `- **${r.name}**: ${r.note}`);
  return `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}); the whole run took ${seconds.toFixed(0)} s.
These machines are shared and noisy: the claims are the **ratios**, each against a reference measured in the same run.
Times are milliseconds unless the row says otherwise.

| figure | workload | command | median | spread | reference | reference median | ratio | bar | bar met |
| --- | --- | --- | ---: | --- | --- | ---: | ---: | --- | --- |
${rows.join('\n')}

${notes.length ? `## Notes\n\n${notes.join('\n')}\n` : ''}`;
}

async function main() {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const want = (name: string) => only.length === 0 || only.includes(name);
  const t0 = performance.now();
  const results: BenchResult[] = [];
  const report = (r: BenchResult[]) => {
    for (const x of r) {
      results.push(x);
      console.log(`${x.name}: median ${fmt(x.median_ms)} (${x.spread}); reference ${fmt(x.reference_median_ms)}; ratio ${fmt(x.ratio)}${x.bar ? `; bar ${x.bar}: ${x.met ? 'met' : 'MISSED'}` : ''}`);
    }
  };

  if (want('stack')) report([await benchColdStart()]);

  const groups: Group[] = [{ name: 'gateway', run: benchGateway }];
  for (const [name, file, fn] of [['db', 'db.ts', 'runDbBenchmarks'], ['launch', 'launch.ts', 'runLaunchBenchmarks'], ['web', 'web.ts', 'runWebBenchmarks']] as const) {
    const run = await optional(file, fn);
    if (run) groups.push({ name, run });
    else if (want(name)) console.error(`bench/${file} (${fn}) is not there: the ${name} figures are not measured`);
  }
  const selected = groups.filter((g) => want(g.name));
  if (selected.length) {
    process.env.STACK_PORT_BASE = '61320';
    process.env.STACK_DATA_DIR = '.stack/bench';
    process.env.STACK_AUTH_BCRYPT_COST = '4';
    const config = loadConfig();
    let double: { url: string; close(): Promise<void> } | null = null;
    const doubleModule = join(projectRoot, 'tests', 'graph-double', 'server.ts');
    if (existsSync(doubleModule)) {
      const { startGraphDouble } = await import(doubleModule);
      double = await startGraphDouble({ port: config.ports.graphDouble, host: '127.0.0.1' });
      process.env.FACEBOOK_GRAPH_API_URL = double!.url;
    }
    const stack = await startStack(config, { reset: true, web: true });
    try {
      const env: BenchEnv = {
        apiUrl: stack.status.api_url, dbUrl: stack.status.db_url, anonKey: stack.status.anon_key, serviceRoleKey: stack.status.service_role_key,
        webUrl: stack.status.web_url, jwtSecret: config.jwtSecret, graphDoubleUrl: double?.url ?? '', dataDir: config.dataDir,
      };
      for (const group of selected) {
        console.log(`\n━━ ${group.name}`);
        try {
          report(await group.run(env));
        } catch (error) {
          console.error(`${group.name} benchmarks failed: ${(error as Error).stack ?? error}`);
          process.exitCode = 1;
        }
      }
    } finally {
      await stack.stop();
      await double?.close();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  if (only.length === 0) {
    writeFileSync(join(projectRoot, 'BENCHMARKS.md'), markdown(results, seconds));
    console.log(`\nBENCHMARKS.md written (${seconds.toFixed(0)} s)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
