import { fileURLToPath } from 'node:url';

/** The repository root and the folders tests reach into, independent of the working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
export const DIST_DIR = fileURLToPath(new URL('../../dist', import.meta.url));
