/**
 * The origin the station UI is served from. Everything the shell trusts (navigation, IPC senders, event
 * delivery) is decided by `isAppUrl`.
 */
export const APP_SCHEME = 'countertop';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
/** The customer-facing page of the same renderer (the hash route of src/renderer/routes.ts). */
export const CUSTOMER_DISPLAY_URL = `${APP_ENTRY_URL}#/customer-display`;

/** True for `countertop://app/...` exactly: no other host, no port, no credentials. */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === ''
  );
}
