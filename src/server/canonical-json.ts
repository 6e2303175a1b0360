/**
 * JSON with object keys sorted, so two copies of the same event hash alike whatever order a station's
 * serialiser wrote the keys in (PostgreSQL's jsonb reorders them too). Arrays keep their order. A replacer
 * that rebuilds each object with sorted keys lets the native serialiser do the rest, which is about twice as
 * fast as assembling the string by hand — it runs on every pushed event.
 */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortedKeys) ?? 'null';
}
