-- countertop: foreign-keys-off
-- Gift cards (station side): a payment may be a store gift card redeemed against the store server
-- (src/shared/sync/gift-cards.ts). The station never keeps a card's number: a gift-card payment keeps
-- `gift_card_key` (lowercase hex SHA-256 of the normalised number) and, in `reference`, "•••• " + the last four.
--
-- The CHECK on payments.tender_type (0004) and shift_tender_counts.tender_type (0006) cannot be altered in place,
-- so both tables are rebuilt the way SQLite documents it (https://sqlite.org/lang_altertable.html#otheralter):
-- create the new table, copy, drop the old one, rename, recreate its indexes and triggers exactly as they were.
-- The marker on the first line makes the runner (src/main/db/migrations.ts) turn foreign keys off around the
-- transaction — payments references itself (original_payment_id) and is referenced by nothing else, but the
-- copy must not be judged row by row — and run PRAGMA foreign_key_check before it commits.

CREATE TABLE payments_new (
  id                  TEXT PRIMARY KEY,
  sale_id             TEXT NOT NULL REFERENCES sales (id),
  position            INTEGER NOT NULL CHECK (position >= 1),
  -- The configured tender (cash, card, wechat …) and its kind, copied so a settings change keeps history.
  tender_code         TEXT NOT NULL,
  tender_type         TEXT NOT NULL CHECK (tender_type IN ('cash', 'card', 'external', 'gift_card')),
  -- Amount tendered; negative for money given back (refund, post-void).
  amount              INTEGER NOT NULL CHECK (amount <> 0),
  change_given        INTEGER NOT NULL DEFAULT 0 CHECK (change_given >= 0),
  reference           TEXT,
  approval_code       TEXT,
  status              TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'timeout', 'removed')),
  original_payment_id TEXT REFERENCES payments (id),
  created_by          TEXT NOT NULL REFERENCES users (id),
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  -- The card a gift-card payment redeems (or, negative, credits back): SHA-256 hex of the normalised number.
  gift_card_key       TEXT CHECK (gift_card_key IS NULL
                        OR (length(gift_card_key) = 64 AND gift_card_key NOT GLOB '*[^0-9a-f]*')),
  -- 1: accepted while the store server could not be reached (the `allow` offline policy), without a hold.
  gift_card_offline   INTEGER NOT NULL DEFAULT 0 CHECK (gift_card_offline IN (0, 1)),
  CHECK (change_given = 0 OR tender_type = 'cash'),
  CHECK ((tender_type = 'gift_card') = (gift_card_key IS NOT NULL)),
  CHECK (gift_card_offline = 0 OR tender_type = 'gift_card')
) STRICT;

INSERT INTO payments_new (id, sale_id, position, tender_code, tender_type, amount, change_given, reference,
  approval_code, status, original_payment_id, created_by, created_at, updated_at)
SELECT id, sale_id, position, tender_code, tender_type, amount, change_given, reference,
  approval_code, status, original_payment_id, created_by, created_at, updated_at
FROM payments;

DROP TABLE payments;
ALTER TABLE payments_new RENAME TO payments;

-- Exactly as in 0004.
CREATE UNIQUE INDEX payments_position ON payments (sale_id, position);
CREATE INDEX payments_original ON payments (original_payment_id) WHERE original_payment_id IS NOT NULL;

CREATE TRIGGER payments_final_no_insert BEFORE INSERT ON payments
WHEN (SELECT status FROM sales WHERE id = NEW.sale_id) IN ('completed', 'voided')
BEGIN SELECT RAISE(ABORT, 'payments of a completed or voided document are immutable'); END;
CREATE TRIGGER payments_final_no_update BEFORE UPDATE ON payments
WHEN (SELECT status FROM sales WHERE id = OLD.sale_id) IN ('completed', 'voided') OR NEW.sale_id <> OLD.sale_id
BEGIN SELECT RAISE(ABORT, 'payments of a completed or voided document are immutable'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never deleted: remove them'); END;

-- A shift's expected and counted amounts per tender (0006): a gift-card tender is counted like a wallet.
CREATE TABLE shift_tender_counts_new (
  shift_id    TEXT NOT NULL REFERENCES shifts (id),
  tender_code TEXT NOT NULL,
  tender_type TEXT NOT NULL CHECK (tender_type IN ('cash', 'card', 'external', 'gift_card')),
  expected    INTEGER NOT NULL,
  counted     INTEGER,
  PRIMARY KEY (shift_id, tender_code)
) STRICT, WITHOUT ROWID;

INSERT INTO shift_tender_counts_new (shift_id, tender_code, tender_type, expected, counted)
SELECT shift_id, tender_code, tender_type, expected, counted FROM shift_tender_counts;

DROP TABLE shift_tender_counts;
ALTER TABLE shift_tender_counts_new RENAME TO shift_tender_counts;

-- Exactly as in 0006.
CREATE TRIGGER shift_tender_counts_no_update BEFORE UPDATE ON shift_tender_counts
BEGIN SELECT RAISE(ABORT, 'shift counts are append-only'); END;
CREATE TRIGGER shift_tender_counts_no_delete BEFORE DELETE ON shift_tender_counts
BEGIN SELECT RAISE(ABORT, 'shift counts are append-only'); END;

-- The store's offline policy for gift cards, kept with the sync state (0008): `block` (the default) refuses a
-- gift card while the store server cannot be reached; `allow` accepts it unverified (gift_card_offline = 1).
ALTER TABLE sync_state ADD COLUMN gift_card_offline TEXT NOT NULL DEFAULT 'block'
  CHECK (gift_card_offline IN ('block', 'allow'));
