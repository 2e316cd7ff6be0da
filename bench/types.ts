import type { StackEnv } from '../tests/support/env.ts';

// What every benchmark reports: a figure, the reference measured beside it in the same run, and
// their ratio (these machines are shared and noisy, so ratios are the claims).
export interface BenchResult {
  name: string;
  workload: string;
  command: string;
  median_ms: number;
  /** Spread over the repeated runs, e.g. "p10 1.2 – p90 1.9 ms" or "min–max". */
  spread: string;
  reference?: string;
  reference_median_ms?: number;
  ratio?: number;
  /** The bar from the issue, e.g. "ratio <= 1.2". */
  bar?: string;
  /** Whether the bar is met (undefined when there is no bar). */
  met?: boolean;
  note?: string;
}

/** The stack a benchmark runs against: the suites' StackEnv, with its folder instead of its logs. */
export type BenchEnv = Omit<StackEnv, 'logDir'> & { dataDir: string };

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function spreadOf(values: number[], unit = 'ms'): string {
  return `p10 ${percentile(values, 10).toFixed(2)} – p90 ${percentile(values, 90).toFixed(2)} ${unit} (n=${values.length})`;
}
