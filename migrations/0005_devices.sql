-- Devices: the station's device configuration and the print queue.

-- One row: the whole device configuration as JSON, validated by the core's zod schema before it is written.
CREATE TABLE device_config (
  singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
  config     TEXT NOT NULL CHECK (json_valid(config)),
  source     TEXT NOT NULL CHECK (source IN ('channel', 'file')),
  updated_by TEXT,
  updated_at TEXT NOT NULL
) STRICT;

-- Every print job is written here BEFORE anything is sent. `id` is the job's idempotency key; each send
-- attempt uses `id:attempt`, so the driver never sends one attempt twice. A sale's receipt job is inserted in
-- the sale's completing transaction: a completed sale always has its receipt queued.
--   queued   waiting for the printer (nothing of the current attempt reached it)
--   printing an attempt is being sent; found at startup it means the outcome is unknown → failed
--   printed  every byte was handed to the printer
--   failed   an attempt was sent (in part or unknown) and did not finish: a person decides to retry
CREATE TABLE print_jobs (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('receipt', 'report', 'test_page', 'terminal_receipt')),
  ref             TEXT NOT NULL,
  title           TEXT NOT NULL,
  document        TEXT NOT NULL CHECK (json_valid(document)),
  copy            INTEGER NOT NULL DEFAULT 0 CHECK (copy IN (0, 1)),
  status          TEXT NOT NULL CHECK (status IN ('queued', 'printing', 'printed', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error      TEXT CHECK (last_error IS NULL OR json_valid(last_error)),
  -- The drawer is opened once per job, even when the receipt needs several attempts.
  open_drawer     INTEGER NOT NULL DEFAULT 0 CHECK (open_drawer IN (0, 1)),
  drawer_opened_at TEXT,
  created_by      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  printed_at      TEXT
) STRICT;
CREATE INDEX print_jobs_queued ON print_jobs (created_at) WHERE status = 'queued';
CREATE INDEX print_jobs_printing ON print_jobs (id) WHERE status = 'printing';
CREATE INDEX print_jobs_ref ON print_jobs (ref, created_at);
CREATE INDEX print_jobs_created ON print_jobs (created_at);
