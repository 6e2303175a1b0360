/** One benchmark figure, in the shape `npm run bench -- --json FILE` writes. */
export interface Figure {
  name: string;
  unit: 'ms' | 'MB';
  p50: number;
  p99: number;
  n: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

export function summarise(name: string, samplesMs: readonly number[], unit: Figure['unit'] = 'ms'): Figure {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    name,
    unit,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    n: sorted.length,
  };
}

/** Times one call in milliseconds with the monotonic high-resolution clock. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
