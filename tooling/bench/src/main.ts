import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDropletsList } from './droplets-list.ts';

// Benchmarks report ratios against a baseline measured in the same run, never absolute timings.
const durationSeconds = Number(process.argv.find((a) => a.startsWith('--duration='))?.split('=')[1] ?? 10);
const resultsFile = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bench-results/api.json');

const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(10);

const list = await benchDropletsList({ connections: 50, durationSeconds });
console.log(
  `\ndroplets.list — ${list.droplets} droplets, ${list.pageSize} per page, ${list.connections} connections, ${list.durationSeconds} s each\n`,
);
console.log(
  `${'path'.padEnd(52)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'errors'.padStart(10)}`,
);
for (const r of [list.baseline, list.production]) {
  console.log(
    `${r.name.padEnd(52)}${fmt(r.requestsPerSecond, 0)}${fmt(r.p50Ms)}${fmt(r.p99Ms)}${fmt(r.errors + r.non2xx, 0)}`,
  );
}
const goals = { ratio: list.ratio >= 0.6, p99: list.production.p99Ms < 20 };
console.log(
  `\nratio (Uncloud / baseline): ${list.ratio.toFixed(2)}   goal ≥ 0.60: ${goals.ratio ? 'met' : 'NOT met'}`,
);
console.log(`Uncloud p99: ${list.production.p99Ms} ms   goal < 20 ms: ${goals.p99 ? 'met' : 'NOT met'}`);

mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(
  resultsFile,
  JSON.stringify({ measuredAt: new Date().toISOString(), dropletsList: { ...list, goals } }, null, 2),
);
console.log(`\nfigures written to ${resultsFile}`);
if (list.production.errors + list.production.non2xx + list.baseline.errors + list.baseline.non2xx > 0)
  process.exitCode = 1;
