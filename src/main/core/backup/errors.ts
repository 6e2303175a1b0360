/** Why a backup could not be written, read or restored. Each carries one sentence a person can act on. */
export type BackupProblem =
  | 'not_a_backup'
  | 'unsupported_version'
  | 'wrong_passphrase'
  | 'damaged'
  | 'truncated'
  | 'not_a_station_database'
  | 'too_new'
  | 'station_running'
  | 'sale_open'
  | 'not_configured'
  | 'busy'
  | 'io';

export class BackupError extends Error {
  constructor(
    readonly problem: BackupProblem,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

/** A file-system failure as a BackupError naming what was being done (the OS message is kept for the technician). */
export function ioError(doing: string, err: unknown): BackupError {
  if (err instanceof BackupError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new BackupError('io', `Could not ${doing}: ${detail}`);
}
