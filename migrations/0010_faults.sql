-- Device fault log: every self-test check and every device fault the station saw while running (disconnect,
-- paper out, cover open, timeout, bad data, print failure), for the technician. Diagnostic rows, not business
-- documents: they are not synced and are pruned to the newest rows by the core. Never holds card data.
CREATE TABLE device_faults (
  id        TEXT PRIMARY KEY,
  at        TEXT NOT NULL,
  device    TEXT NOT NULL,
  category  TEXT CHECK (category IS NULL OR category IN
              ('receipt_printer', 'cash_drawer', 'scanner', 'card_reader', 'payment_terminal', 'customer_display')),
  level     TEXT NOT NULL CHECK (level IN ('internal', 'external', 'interactive', 'runtime')),
  result    TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'fault', 'recovered', 'info')),
  code      TEXT NOT NULL,
  upos_code INTEGER,
  message   TEXT NOT NULL,
  raw       TEXT,
  run_id    TEXT
) STRICT;
-- Newest first, optionally for one device or level: the technician's list and the export.
CREATE INDEX device_faults_at ON device_faults (at);
CREATE INDEX device_faults_device_at ON device_faults (device, at);
CREATE INDEX device_faults_level_at ON device_faults (level, at);
