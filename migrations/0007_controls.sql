-- Controls: audit log browsing indexes, backup schedule and backup history.

-- The manager's audit screen pages newest-first by seq (keyset) filtered by user or action.
CREATE INDEX audit_log_user_seq ON audit_log (user_id, seq);
CREATE INDEX audit_log_action_seq ON audit_log (action, seq);

-- The scheduled backup, one per station. The passphrase itself is never stored: `backup_key` is the 64-byte
-- scrypt output (encryption key + key-check key) for `kdf_salt` and the scrypt parameters, so the station can
-- write backups unattended and a person can still open them with the passphrase alone (the header of each file
-- carries the salt and parameters). Whoever holds this database can decrypt these backups, but then they already
-- hold every row the backups contain; the passphrase, which people reuse, stays unrecoverable.
CREATE TABLE backup_schedule (
  singleton        INTEGER PRIMARY KEY CHECK (singleton = 1),
  enabled          INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  folder           TEXT NOT NULL CHECK (length(folder) BETWEEN 1 AND 1024),
  interval_minutes INTEGER NOT NULL CHECK (interval_minutes BETWEEN 15 AND 10080),
  keep_last        INTEGER NOT NULL CHECK (keep_last BETWEEN 1 AND 365),
  kdf_salt         BLOB NOT NULL CHECK (length(kdf_salt) = 16),
  kdf_log_n        INTEGER NOT NULL CHECK (kdf_log_n BETWEEN 14 AND 20),
  kdf_r            INTEGER NOT NULL CHECK (kdf_r BETWEEN 1 AND 16),
  kdf_p            INTEGER NOT NULL CHECK (kdf_p BETWEEN 1 AND 4),
  backup_key       BLOB NOT NULL CHECK (length(backup_key) = 64),
  updated_at       TEXT NOT NULL,
  updated_by       TEXT REFERENCES users (id)
) STRICT;

-- Every backup attempt (scheduled or on demand), kept for the backup screen and for "when did the last one
-- succeed" (the scheduler's next due time).
CREATE TABLE backup_runs (
  id             TEXT PRIMARY KEY,
  kind           TEXT NOT NULL CHECK (kind IN ('scheduled', 'manual')),
  status         TEXT NOT NULL CHECK (status IN ('created', 'failed')),
  started_at     TEXT NOT NULL,
  finished_at    TEXT NOT NULL,
  file           TEXT,
  bytes          INTEGER CHECK (bytes IS NULL OR bytes >= 0),
  schema_version INTEGER,
  error          TEXT,
  user_id        TEXT REFERENCES users (id),
  CHECK ((status = 'created') = (file IS NOT NULL AND error IS NULL))
) STRICT;
CREATE INDEX backup_runs_started ON backup_runs (started_at);
