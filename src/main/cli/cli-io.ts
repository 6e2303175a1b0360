/** Where a command writes its lines: stdout for results, stderr for problems (injected in tests). */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes of the maintenance commands: 0 done, 1 the check or operation failed, 2 bad command line / cannot read. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
