-- Shifts and cash: business days closed by a numbered Z report, drawer shifts with their counted opening float
-- and blind close count, cash movements (paid-in, paid-out, drop), and the alerts the risk rules raise.
-- Money is INTEGER minor units. Sales, refunds and post-voids are tied to the shift and business day they were
-- completed in (two columns added to `sales`, written in the completing transaction).

-- A business day of one station: opened by its first activity (or by the previous Z), closed by its Z report.
-- `z_number` is gapless per station: the trigger only lets a day close with the next number. The audit sequence
-- bounds say which audit rows (line voids, no-sale opens …) belong to the day.
CREATE TABLE business_days (
  id              TEXT PRIMARY KEY,
  station_id      TEXT NOT NULL,
  opened_at       TEXT NOT NULL,
  -- Audit rows with seq > audit_seq_from (and <= audit_seq_to once closed) happened in this day.
  audit_seq_from  INTEGER NOT NULL CHECK (audit_seq_from >= 0),
  closed_at       TEXT,
  closed_by       TEXT REFERENCES users (id),
  z_number        INTEGER CHECK (z_number >= 1),
  audit_seq_to    INTEGER,
  -- The Z report exactly as it was printed (JSON of the shared Report shape).
  z_report        TEXT CHECK (z_report IS NULL OR json_valid(z_report)),
  CHECK ((closed_at IS NULL) = (z_number IS NULL)),
  CHECK ((closed_at IS NULL) = (z_report IS NULL)),
  CHECK ((closed_at IS NULL) = (audit_seq_to IS NULL)),
  CHECK ((closed_at IS NULL) = (closed_by IS NULL))
) STRICT;
CREATE UNIQUE INDEX business_days_open ON business_days (station_id) WHERE closed_at IS NULL;
CREATE UNIQUE INDEX business_days_z ON business_days (station_id, z_number) WHERE z_number IS NOT NULL;
CREATE TRIGGER business_days_closed_final BEFORE UPDATE ON business_days WHEN OLD.closed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed business day is final'); END;
CREATE TRIGGER business_days_z_gapless BEFORE UPDATE OF z_number ON business_days
WHEN NEW.z_number IS NOT NULL AND NEW.z_number <> COALESCE(
  (SELECT MAX(z_number) FROM business_days WHERE station_id = NEW.station_id), 0) + 1
BEGIN SELECT RAISE(ABORT, 'Z numbers are gapless'); END;
CREATE TRIGGER business_days_no_delete BEFORE DELETE ON business_days
BEGIN SELECT RAISE(ABORT, 'business days are never deleted'); END;

-- A drawer shift: one open per station (the cash drawer). `user_id` is the cashier who owns the drawer; they
-- cannot sign out while it is open. Expected and counted figures are written once, at the blind close.
CREATE TABLE shifts (
  id                TEXT PRIMARY KEY,
  station_id        TEXT NOT NULL,
  business_day_id   TEXT NOT NULL REFERENCES business_days (id),
  user_id           TEXT NOT NULL REFERENCES users (id),
  currency          TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at         TEXT NOT NULL,
  -- The last audit seq before the shift opened: the shift's own audit rows (voids, no-sales …) come after it.
  audit_seq_from    INTEGER NOT NULL CHECK (audit_seq_from >= 0),
  opening_float     INTEGER NOT NULL CHECK (opening_float >= 0),
  -- The opening count: {"denominations": {"n100": 2, …}} or {} when only a total was entered.
  opening_count     TEXT NOT NULL CHECK (json_valid(opening_count)),
  closed_at         TEXT,
  closed_by         TEXT REFERENCES users (id),
  expected_cash     INTEGER,
  counted_cash      INTEGER,
  close_count       TEXT CHECK (close_count IS NULL OR json_valid(close_count)),
  close_approval_id TEXT REFERENCES approvals (id),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CHECK ((status = 'closed') = (expected_cash IS NOT NULL AND counted_cash IS NOT NULL AND close_count IS NOT NULL
    AND closed_by IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX shifts_open ON shifts (station_id) WHERE status = 'open';
CREATE INDEX shifts_day ON shifts (business_day_id);
CREATE TRIGGER shifts_closed_final BEFORE UPDATE ON shifts WHEN OLD.status = 'closed'
BEGIN SELECT RAISE(ABORT, 'a closed shift is final'); END;
CREATE TRIGGER shifts_no_delete BEFORE DELETE ON shifts
BEGIN SELECT RAISE(ABORT, 'shifts are never deleted'); END;

-- Expected against counted, per tender, written at the close. `counted` is NULL for a tender that was not
-- counted (card and wallet totals settle electronically unless the cashier enters the slip totals).
CREATE TABLE shift_tender_counts (
  shift_id    TEXT NOT NULL REFERENCES shifts (id),
  tender_code TEXT NOT NULL,
  tender_type TEXT NOT NULL CHECK (tender_type IN ('cash', 'card', 'external')),
  expected    INTEGER NOT NULL,
  counted     INTEGER,
  PRIMARY KEY (shift_id, tender_code)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER shift_tender_counts_no_update BEFORE UPDATE ON shift_tender_counts
BEGIN SELECT RAISE(ABORT, 'shift counts are append-only'); END;
CREATE TRIGGER shift_tender_counts_no_delete BEFORE DELETE ON shift_tender_counts
BEGIN SELECT RAISE(ABORT, 'shift counts are append-only'); END;

-- Cash in and out of the drawer that is not a sale: paid-in (change float top-up), paid-out (petty cash) and
-- drops (notes taken to the safe). Always positive; the kind gives the direction.
CREATE TABLE cash_movements (
  id          TEXT PRIMARY KEY,
  shift_id    TEXT NOT NULL REFERENCES shifts (id),
  kind        TEXT NOT NULL CHECK (kind IN ('paid_in', 'paid_out', 'drop')),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  reason      TEXT NOT NULL,
  user_id     TEXT NOT NULL REFERENCES users (id),
  at          TEXT NOT NULL
) STRICT;
CREATE INDEX cash_movements_shift ON cash_movements (shift_id, at);
CREATE TRIGGER cash_movements_no_update BEFORE UPDATE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'cash movements are append-only'); END;
CREATE TRIGGER cash_movements_no_delete BEFORE DELETE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'cash movements are append-only'); END;

-- The shift and business day a document was completed in (NULL on open, parked and voided sales, and on
-- documents completed before this migration). Written while the sale is still `tendering`, before the
-- immutability trigger of 0004 applies.
ALTER TABLE sales ADD COLUMN shift_id TEXT REFERENCES shifts (id);
ALTER TABLE sales ADD COLUMN business_day_id TEXT REFERENCES business_days (id);
CREATE INDEX sales_shift ON sales (shift_id) WHERE shift_id IS NOT NULL;
CREATE INDEX sales_business_day ON sales (business_day_id) WHERE business_day_id IS NOT NULL;

-- Alerts raised by the risk rules, written in the transaction of the event that fired them. Only the
-- acknowledgement may change, once.
CREATE TABLE risk_alerts (
  id              TEXT PRIMARY KEY,
  station_id      TEXT NOT NULL,
  rule            TEXT NOT NULL,
  -- Who did what fired the rule, and in which shift (NULL without an open shift).
  user_id         TEXT REFERENCES users (id),
  shift_id        TEXT REFERENCES shifts (id),
  audit_seq       INTEGER NOT NULL,
  details         TEXT NOT NULL CHECK (json_valid(details)),
  at              TEXT NOT NULL,
  acknowledged_at TEXT,
  acknowledged_by TEXT REFERENCES users (id),
  CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
) STRICT;
CREATE INDEX risk_alerts_open ON risk_alerts (at) WHERE acknowledged_at IS NULL;
CREATE INDEX risk_alerts_rule_shift ON risk_alerts (rule, shift_id);
CREATE TRIGGER risk_alerts_ack_only BEFORE UPDATE ON risk_alerts
WHEN OLD.acknowledged_at IS NOT NULL OR NEW.id <> OLD.id OR NEW.rule <> OLD.rule OR NEW.details <> OLD.details
  OR NEW.at <> OLD.at OR NEW.audit_seq <> OLD.audit_seq OR NEW.user_id IS NOT OLD.user_id
  OR NEW.shift_id IS NOT OLD.shift_id
BEGIN SELECT RAISE(ABORT, 'an alert only changes when it is acknowledged, once'); END;
CREATE TRIGGER risk_alerts_no_delete BEFORE DELETE ON risk_alerts
BEGIN SELECT RAISE(ABORT, 'alerts are never deleted'); END;
