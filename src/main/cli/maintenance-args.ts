import { parseArgs } from 'node:util';

export type ParsedArgs<K extends string> =
  { kind: 'run'; values: Partial<Record<K, string>> } | { kind: 'help' } | { kind: 'error'; message: string };

/**
 * Strict parsing for the maintenance commands (audit:verify, backup, restore): string options only, unknown
 * flags and positionals refused, required ones present and non-empty.
 */
export function parseMaintenanceArgs<K extends string>(
  argv: readonly string[],
  options: { required: readonly K[]; optional: readonly K[] },
): ParsedArgs<K> {
  const spec: Record<string, { type: 'string' } | { type: 'boolean'; short: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const name of [...options.required, ...options.optional]) spec[name] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: spec }));
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
  if (values.help === true) return { kind: 'help' };
  const out: Partial<Record<K, string>> = {};
  for (const name of [...options.required, ...options.optional]) {
    const value = values[name];
    if (typeof value !== 'string') continue;
    if (value.trim() === '') return { kind: 'error', message: `--${name} must not be empty` };
    out[name] = value;
  }
  for (const name of options.required) {
    if (out[name] === undefined) return { kind: 'error', message: `--${name} is required` };
  }
  return { kind: 'run', values: out };
}
