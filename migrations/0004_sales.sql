-- Sales, refunds and post-voids: documents with their lines, payments, stock movements, supervisor approvals and
-- the per-station receipt counters. Money is INTEGER minor units, quantities INTEGER thousandths of the selling
-- unit (qty_milli), tax rates parts per million. Refund and post-void documents carry NEGATIVE quantities and
-- amounts, so SUM over completed documents is the net takings.
--
-- Completed and voided documents are immutable: the triggers below refuse any change to them, their lines and
-- their payments; nothing in these tables is ever deleted (a voided line or a removed tender is a flag, kept
-- for the audit).

-- Who approved what, bound to one action: the request id is issued for that exact action and amount and may be
-- used once (UNIQUE), so an approval cannot be replayed for another line, amount or sale.
CREATE TABLE approvals (
  id            TEXT PRIMARY KEY,
  request_id    TEXT NOT NULL UNIQUE,
  permission    TEXT NOT NULL,
  action        TEXT NOT NULL,
  supervisor_id TEXT NOT NULL REFERENCES users (id),
  requested_by  TEXT NOT NULL REFERENCES users (id),
  sale_id       TEXT,
  target_id     TEXT,
  amount        INTEGER,
  -- Canonical JSON of everything the approval covers (permission, action, sale, target, value, amount).
  binding       TEXT NOT NULL CHECK (json_valid(binding)),
  at            TEXT NOT NULL
) STRICT;
CREATE INDEX approvals_sale ON approvals (sale_id) WHERE sale_id IS NOT NULL;
CREATE TRIGGER approvals_no_update BEFORE UPDATE ON approvals
BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;
CREATE TRIGGER approvals_no_delete BEFORE DELETE ON approvals
BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;

CREATE TABLE sales (
  id                  TEXT PRIMARY KEY,
  kind                TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'post_void')),
  status              TEXT NOT NULL CHECK (status IN ('open', 'tendering', 'completed', 'voided', 'parked')),
  station_id          TEXT NOT NULL,
  -- Receipt number: series letter (S sale, R refund, V post-void) + gapless sequence per station and series,
  -- assigned in the completing transaction from receipt_counters. Not an idempotency key: `id` is.
  series              TEXT NOT NULL CHECK (series IN ('S', 'R', 'V')),
  receipt_seq         INTEGER,
  receipt_no          TEXT,
  -- The sale a refund or post-void reverses (NULL for a sale and for a refund without receipt).
  original_sale_id    TEXT REFERENCES sales (id),
  cashier_id          TEXT NOT NULL REFERENCES users (id),
  -- How the totals are computed, fixed when the document starts so a settings change cannot reprice a cart.
  currency            TEXT NOT NULL,
  tax_mode            TEXT NOT NULL CHECK (tax_mode IN ('inclusive', 'exclusive')),
  tax_rounding        TEXT NOT NULL CHECK (tax_rounding IN ('per_line', 'per_document')),
  cash_increment      INTEGER NOT NULL CHECK (cash_increment >= 1),
  order_discount_type  TEXT CHECK (order_discount_type IN ('percent', 'amount')),
  order_discount_value INTEGER,
  order_discount_approval_id TEXT REFERENCES approvals (id),
  note                TEXT,
  reason              TEXT,
  -- Totals snapshot, written at completion: the engine's full output as JSON plus the key figures as columns.
  -- payable = total + rounding is the money that changed hands.
  subtotal            INTEGER NOT NULL DEFAULT 0,
  discount_total      INTEGER NOT NULL DEFAULT 0,
  tax_total           INTEGER NOT NULL DEFAULT 0,
  total               INTEGER NOT NULL DEFAULT 0,
  rounding            INTEGER NOT NULL DEFAULT 0,
  paid                INTEGER NOT NULL DEFAULT 0,
  change_given        INTEGER NOT NULL DEFAULT 0,
  totals              TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(totals)),
  revision            INTEGER NOT NULL DEFAULT 0,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  parked_at           TEXT,
  completed_at        TEXT,
  voided_at           TEXT,
  voided_by           TEXT REFERENCES users (id),
  void_approval_id    TEXT REFERENCES approvals (id),
  CHECK ((order_discount_type IS NULL) = (order_discount_value IS NULL)),
  CHECK ((status = 'completed') = (receipt_no IS NOT NULL AND receipt_seq IS NOT NULL AND completed_at IS NOT NULL)),
  CHECK (kind <> 'post_void' OR original_sale_id IS NOT NULL),
  CHECK (kind = 'sale' OR status IN ('tendering', 'completed'))
) STRICT;
-- One open or tendering sale per station: the "current cart".
CREATE UNIQUE INDEX sales_current ON sales (station_id) WHERE kind = 'sale' AND status IN ('open', 'tendering');
CREATE UNIQUE INDEX sales_receipt_seq ON sales (station_id, series, receipt_seq) WHERE receipt_seq IS NOT NULL;
CREATE UNIQUE INDEX sales_receipt_no ON sales (station_id, receipt_no) WHERE receipt_no IS NOT NULL;
CREATE INDEX sales_completed_at ON sales (completed_at) WHERE status = 'completed';
CREATE INDEX sales_parked ON sales (parked_at) WHERE status = 'parked';
CREATE INDEX sales_original ON sales (original_sale_id) WHERE original_sale_id IS NOT NULL;

CREATE TRIGGER sales_final_no_update BEFORE UPDATE ON sales WHEN OLD.status IN ('completed', 'voided')
BEGIN SELECT RAISE(ABORT, 'completed and voided documents are immutable'); END;
CREATE TRIGGER sales_no_delete BEFORE DELETE ON sales
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;

CREATE TABLE sale_lines (
  id                   TEXT PRIMARY KEY,
  sale_id              TEXT NOT NULL REFERENCES sales (id),
  position             INTEGER NOT NULL CHECK (position >= 1),
  -- A snapshot of the product as sold. No foreign key to products: the catalog may be re-imported or purged,
  -- the sold line must stay as it was.
  product_id           TEXT NOT NULL,
  plu                  TEXT,
  scanned_code         TEXT,
  name_zh              TEXT NOT NULL,
  name_en              TEXT NOT NULL,
  unit                 TEXT NOT NULL CHECK (unit IN ('piece', 'kg', 'g')),
  tax_rate_id          TEXT NOT NULL,
  tax_rate_ppm         INTEGER NOT NULL CHECK (tax_rate_ppm BETWEEN 0 AND 1000000),
  qty_milli            INTEGER NOT NULL CHECK (qty_milli <> 0),
  qty_source           TEXT NOT NULL CHECK (qty_source IN ('count', 'barcode_weight', 'barcode_price')),
  -- What leaves the shelf: equals qty_milli except for a price-embedded label of a weighed product, where the
  -- weight is derived from the price (the label carries no weight).
  stock_qty_milli      INTEGER NOT NULL,
  -- Catalog price, or the price a price-embedded barcode carried; unit_price is after any override.
  list_price           INTEGER NOT NULL CHECK (list_price >= 0),
  unit_price           INTEGER NOT NULL CHECK (unit_price >= 0),
  price_override_by    TEXT REFERENCES users (id),
  price_override_approval_id TEXT REFERENCES approvals (id),
  discount_type        TEXT CHECK (discount_type IN ('percent', 'amount')),
  discount_value       INTEGER,
  discount_by          TEXT REFERENCES users (id),
  discount_approval_id TEXT REFERENCES approvals (id),
  batch                TEXT,
  expiry               TEXT,
  voided               INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
  voided_at            TEXT,
  voided_by            TEXT REFERENCES users (id),
  void_approval_id     TEXT REFERENCES approvals (id),
  original_line_id     TEXT REFERENCES sale_lines (id),
  -- Line amounts from the totals engine, written at completion (refund lines: from refundTotals, negative).
  gross                INTEGER NOT NULL DEFAULT 0,
  discount             INTEGER NOT NULL DEFAULT 0,
  tax                  INTEGER NOT NULL DEFAULT 0,
  total                INTEGER NOT NULL DEFAULT 0,
  added_by             TEXT NOT NULL REFERENCES users (id),
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  CHECK ((discount_type IS NULL) = (discount_value IS NULL)),
  CHECK ((voided = 1) = (voided_at IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX sale_lines_position ON sale_lines (sale_id, position);
CREATE INDEX sale_lines_original ON sale_lines (original_line_id) WHERE original_line_id IS NOT NULL;

CREATE TRIGGER sale_lines_final_no_insert BEFORE INSERT ON sale_lines
WHEN (SELECT status FROM sales WHERE id = NEW.sale_id) IN ('completed', 'voided')
BEGIN SELECT RAISE(ABORT, 'lines of a completed or voided document are immutable'); END;
CREATE TRIGGER sale_lines_final_no_update BEFORE UPDATE ON sale_lines
WHEN (SELECT status FROM sales WHERE id = OLD.sale_id) IN ('completed', 'voided') OR NEW.sale_id <> OLD.sale_id
BEGIN SELECT RAISE(ABORT, 'lines of a completed or voided document are immutable'); END;
CREATE TRIGGER sale_lines_no_delete BEFORE DELETE ON sale_lines
BEGIN SELECT RAISE(ABORT, 'sale lines are never deleted: void them'); END;

CREATE TABLE payments (
  id                  TEXT PRIMARY KEY,
  sale_id             TEXT NOT NULL REFERENCES sales (id),
  position            INTEGER NOT NULL CHECK (position >= 1),
  -- The configured tender (cash, card, wechat …) and its kind, copied so a settings change keeps history.
  tender_code         TEXT NOT NULL,
  tender_type         TEXT NOT NULL CHECK (tender_type IN ('cash', 'card', 'external')),
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
  CHECK (change_given = 0 OR tender_type = 'cash')
) STRICT;
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

-- Append-only stock deltas keyed by movement id; on-hand is their sum. Other reasons (goods received, counts,
-- transfers) belong to the stock issue and are allowed here already.
CREATE TABLE stock_movements (
  id          TEXT PRIMARY KEY,
  product_id  TEXT NOT NULL,
  delta_milli INTEGER NOT NULL CHECK (delta_milli <> 0),
  reason      TEXT NOT NULL CHECK (reason IN ('sale', 'refund', 'post_void', 'receipt', 'adjustment', 'count', 'transfer')),
  sale_id     TEXT REFERENCES sales (id),
  line_id     TEXT REFERENCES sale_lines (id),
  at          TEXT NOT NULL
) STRICT;
CREATE INDEX stock_movements_product ON stock_movements (product_id, at);
CREATE INDEX stock_movements_sale ON stock_movements (sale_id) WHERE sale_id IS NOT NULL;
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'stock movements are append-only'); END;
CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'stock movements are append-only'); END;

-- The last receipt sequence issued per station and series. Incremented inside the completing transaction, so a
-- rollback takes the number back and the sequence has no gaps; the trigger refuses any other kind of change.
CREATE TABLE receipt_counters (
  station_id TEXT NOT NULL,
  series     TEXT NOT NULL CHECK (series IN ('S', 'R', 'V')),
  last_seq   INTEGER NOT NULL CHECK (last_seq >= 1),
  PRIMARY KEY (station_id, series)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER receipt_counters_step BEFORE UPDATE ON receipt_counters
WHEN NEW.last_seq <> OLD.last_seq + 1 OR NEW.station_id <> OLD.station_id OR NEW.series <> OLD.series
BEGIN SELECT RAISE(ABORT, 'receipt counters only move forward by one'); END;
CREATE TRIGGER receipt_counters_no_delete BEFORE DELETE ON receipt_counters
BEGIN SELECT RAISE(ABORT, 'receipt counters are never deleted'); END;
