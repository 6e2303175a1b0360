declare const __COUNTERTOP_VERSION__: string | undefined;

/** The app version, injected by the build; tests and dev runs see "dev". */
export const APP_VERSION: string =
  typeof __COUNTERTOP_VERSION__ === 'string' ? __COUNTERTOP_VERSION__ : 'dev';
