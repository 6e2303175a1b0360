/**
 * Exponential backoff with full jitter (the delay is uniform in [0, min(cap, base·2^attempt)]), so stations that
 * lost the server at the same moment do not come back in lock-step. A server's Retry-After is a floor.
 */
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** Uniform in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

export const DEFAULT_BACKOFF_BASE_MS = 500;
export const DEFAULT_BACKOFF_CAP_MS = 60_000;

export class Backoff {
  private failures = 0;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
    this.capMs = options.capMs ?? DEFAULT_BACKOFF_CAP_MS;
    this.random = options.random ?? Math.random;
  }

  /** Consecutive failures since the last success. */
  get attempts(): number {
    return this.failures;
  }

  /** Records a failure and returns how long to wait before the next try. */
  next(retryAfterMs: number | null = null): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures += 1;
    const jittered = Math.floor(this.random() * ceiling);
    return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, this.capMs));
  }

  reset(): void {
    this.failures = 0;
  }
}
