// The benchmark harness: figures with their bars and same-run baselines, printed as a table and written as JSON.
import { writeFileSync } from 'node:fs';

export interface Figure {
  id: string;
  value: number;
  unit: string;
  bar: number;
  better: 'lower' | 'higher';
  baseline?: number;
  ratio?: number;
}

export interface Benchmark {
  /** Group name, e.g. "client-store"; `--only` selects groups. */
  group: string;
  run(report: (figure: Figure) => void, log: (msg: string) => void): Promise<void>;
}

export const meetsBar = (f: Figure) => (f.better === 'lower' ? f.value <= f.bar : f.value >= f.bar);

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** Times `fn` `runs` times after `warmup` runs; returns each run's milliseconds. */
export async function timeRuns(fn: () => unknown, runs: number, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 100) / 100);

export function printTable(figures: Figure[]): string {
  const rows = figures.map((f) => [f.id, `${round(f.value)} ${f.unit}`, `${f.better === 'lower' ? '≤' : '≥'} ${f.bar} ${f.unit}`, f.baseline === undefined ? '' : `${round(f.baseline)} ${f.unit}`, f.ratio === undefined ? '' : `${round(f.ratio)}×`, meetsBar(f) ? 'ok' : 'MISSED']);
  const head = ['benchmark', 'value', 'bar', 'baseline', 'ratio', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

export async function runBenchmarks(benchmarks: Benchmark[], args: string[]): Promise<Figure[]> {
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1] : 'bench-results.json';
  if (!out) throw new Error('--out needs a file name');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : null;
  const figures: Figure[] = [];
  for (const b of benchmarks) {
    if (only && !only.has(b.group)) continue;
    console.log(`— ${b.group}`);
    await b.run((f) => {
      figures.push(f);
      console.log(`  ${f.id}: ${round(f.value)} ${f.unit} (bar ${f.better === 'lower' ? '≤' : '≥'} ${f.bar})${f.ratio === undefined ? '' : `, ${round(f.ratio)}× baseline`}`);
    }, (msg) => console.log(`  ${msg}`));
  }
  writeFileSync(out, JSON.stringify(figures, null, 2));
  console.log(`\n${printTable(figures)}\n\nwritten to ${out}`);
  return figures;
}
