-- Store sync (station side): the enrolment with the store server, the pull cursor and the quarantine of pushed
-- events the server rejected. The credential lives here, in the station database, never in a config file.

-- At most one enrolment. `credential` is `<stationId>.<secret>` as the server issued it (sent as the bearer
-- token); `cert_sha256` is the pinned SHA-256 fingerprint of the server's TLS certificate (lowercase hex, no
-- colons) or NULL when the certificate is checked against the system's CAs.
CREATE TABLE sync_enrolment (
  singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
  server_url   TEXT NOT NULL,
  credential   TEXT NOT NULL,
  store_id     TEXT NOT NULL,
  store_name   TEXT NOT NULL,
  cert_sha256  TEXT CHECK (cert_sha256 IS NULL OR (length(cert_sha256) = 64 AND cert_sha256 NOT GLOB '*[^0-9a-f]*')),
  enrolled_at  TEXT NOT NULL,
  -- Set when the server refused the credential (revoked or unknown): the loop stops until a new enrolment.
  refused_at   TEXT,
  refused_code TEXT
) STRICT;

-- The pull cursor (the last change-log seq applied) and when push/pull last succeeded. Written in the same
-- transaction as the page it covers, so a crash can neither skip nor re-apply a page.
CREATE TABLE sync_state (
  singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
  pull_cursor   INTEGER NOT NULL DEFAULT 0 CHECK (pull_cursor >= 0),
  last_push_at  TEXT,
  last_pull_at  TEXT,
  -- Warn the manager when the station has not reached the server for this long (0 = never warn).
  offline_warn_minutes INTEGER NOT NULL DEFAULT 240 CHECK (offline_warn_minutes BETWEEN 0 AND 100000)
) STRICT;
INSERT INTO sync_state (singleton) VALUES (1);

-- Events the server rejected, with the server's code and message and the body as it was sent. The outbox row
-- is acknowledged in the same transaction (it will not be sent again); nothing is dropped silently.
CREATE TABLE sync_quarantine (
  seq            INTEGER PRIMARY KEY,
  event_id       TEXT NOT NULL UNIQUE,
  type           TEXT NOT NULL,
  payload        TEXT NOT NULL CHECK (json_valid(payload)),
  created_at     TEXT NOT NULL,
  code           TEXT NOT NULL,
  message        TEXT NOT NULL,
  quarantined_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER sync_quarantine_no_update BEFORE UPDATE ON sync_quarantine
BEGIN SELECT RAISE(ABORT, 'quarantined events are kept as they were'); END;
