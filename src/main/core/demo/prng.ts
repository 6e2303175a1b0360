/**
 * A small seeded PRNG (mulberry32) so the demo catalog is the same on every station and in every test run.
 * Not for anything secret.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    const span = max - min + 1;
    if (!Number.isSafeInteger(span) || span <= 0 || span > 2 ** 32)
      throw new RangeError(`Bad range ${min}..${max}`);
    return min + (this.nextUint32() % span);
  }

  /** Shuffles a copy (Fisher–Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const a = out[i] as T;
      out[i] = out[j] as T;
      out[j] = a;
    }
    return out;
  }
}
