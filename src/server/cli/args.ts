/**
 * The small argument parser the server's commands share: `--name value` options (or `--name=value`), a few
 * known flags, and positional arguments. An unknown option is an error, not silently ignored.
 */

export interface ParsedArgs {
  options: Map<string, string>;
  positional: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `known` options take a value; `flags` take none and are recorded as "true". */
export function parseArgs(
  argv: readonly string[],
  known: readonly string[],
  flags: readonly string[] = [],
): ParsedArgs {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (flags.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value.`);
      options.set(name, 'true');
      continue;
    }
    if (!known.includes(name)) throw new UsageError(`Unknown option --${name}.`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i += 1;
    }
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value.`);
    options.set(name, value);
  }
  return { options, positional };
}

/** `--database-url`, else DATABASE_URL. */
export function databaseUrlOf(args: ParsedArgs, env: NodeJS.ProcessEnv): string {
  const url = args.options.get('database-url') ?? env.DATABASE_URL;
  if (url === undefined || url === '')
    throw new UsageError('Give the database with --database-url URL (or DATABASE_URL).');
  return url;
}

/** The URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(the database URL)';
  }
}

/** One line saying why the database could not be used. */
export function describeDatabaseError(err: unknown, url: string): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof Error && err.name === 'SchemaTooNewError') return message;
  if (
    typeof code === 'string' &&
    (/^E[A-Z]+$/.test(code) ||
      code.startsWith('08') ||
      code === '3D000' ||
      code === '28P01' ||
      code === '28000')
  ) {
    return `Cannot reach the database at ${redactUrl(url)}: ${message}`;
  }
  return `The database at ${redactUrl(url)} failed: ${message}`;
}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
