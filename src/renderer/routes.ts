/**
 * The renderer's pages, chosen by the URL hash: the cashier app (default) and the customer display
 * (`#/customer-display`, a second tab in the browser host, a second window in Electron). A hash may also carry
 * the browser host's access token: `#token=…` or `#/customer-display?token=…`.
 */
export type Route = 'cashier' | 'customer-display';

export const CUSTOMER_DISPLAY_PATH = '/customer-display';

/** `#/path?a=b` → { path: '/path', params: a=b }; `#a=b` → { path: '', params: a=b }. */
export function splitHash(hash: string): { path: string; params: URLSearchParams } {
  const raw = hash.replace(/^#/, '');
  if (!raw.startsWith('/')) return { path: '', params: new URLSearchParams(raw) };
  const q = raw.indexOf('?');
  return q < 0
    ? { path: raw, params: new URLSearchParams() }
    : { path: raw.slice(0, q), params: new URLSearchParams(raw.slice(q + 1)) };
}

/** The hash again from its parts (the inverse of splitHash). */
export function joinHash(path: string, params: URLSearchParams): string {
  const query = params.toString();
  if (path === '') return query ? `#${query}` : '';
  return `#${path}${query ? `?${query}` : ''}`;
}

export function routeOf(hash: string): Route {
  return splitHash(hash).path === CUSTOMER_DISPLAY_PATH ? 'customer-display' : 'cashier';
}
