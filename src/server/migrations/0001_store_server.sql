-- The store server's schema: stores and their stations, one-time enrolment codes, the stations' immutable
-- events (stored once, keyed by event id and by (station, seq)), the events the server refused, the reporting
-- projections written from those events, and the per-store reference data with its change log.

CREATE TABLE stores (
  id           text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- Business dates of sales are the store's local dates.
  time_zone    text NOT NULL,
  -- How many change-log rows this store has; also the per-store lock every change-log writer takes (see
  -- reference-data.ts), which makes change-log seq order equal commit order within a store.
  change_count bigint NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stations (
  id              uuid PRIMARY KEY,
  store_id        text NOT NULL REFERENCES stores (id),
  name            text NOT NULL,
  -- sha256 of the credential's secret; the secret itself is never stored.
  credential_hash bytea NOT NULL CHECK (length(credential_hash) = 32),
  app_version     text NOT NULL,
  enrolled_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  -- Highest event seq stored for this station.
  last_seq        bigint NOT NULL DEFAULT 0,
  last_seen_at    timestamptz
);
CREATE INDEX stations_store ON stations (store_id);

CREATE TABLE enrolment_codes (
  -- sha256 of the normalised code; the code itself is shown once and never stored.
  code_hash  bytea PRIMARY KEY CHECK (length(code_hash) = 32),
  store_id   text NOT NULL REFERENCES stores (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  used_by    uuid
);

-- Every event a station pushed and the server accepted, exactly once.
CREATE TABLE station_events (
  event_id     uuid PRIMARY KEY,
  station_id   uuid NOT NULL REFERENCES stations (id),
  store_id     text NOT NULL,
  seq          bigint NOT NULL CHECK (seq >= 1),
  type         text NOT NULL,
  -- sha256 of the canonical JSON of {seq, type, createdAt, payload}: a retry must match it to be a duplicate.
  body_hash    bytea NOT NULL,
  -- json, not jsonb: an archive read rarely, and validating text is much cheaper than building jsonb at
  -- thousands of events per second. The text stored is the payload's key-sorted JSON.
  body         json NOT NULL,
  station_time timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (station_id, seq)
);

-- Event bodies are a few kB each, just over the TOAST threshold: lz4 compresses them several times faster than
-- the default pglz, which matters at thousands of events per second. Builds without lz4 keep the default.
DO $$
BEGIN
  ALTER TABLE station_events ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  NULL;
END
$$;

-- Events the server refused, kept for the back office (never dropped silently). One row per distinct body.
CREATE TABLE rejected_events (
  event_id     uuid NOT NULL,
  body_hash    bytea NOT NULL,
  station_id   uuid NOT NULL REFERENCES stations (id),
  store_id     text NOT NULL,
  seq          bigint NOT NULL,
  type         text NOT NULL,
  code         text NOT NULL,
  message      text NOT NULL,
  body         json NOT NULL,
  station_time timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, body_hash)
);
CREATE INDEX rejected_events_store ON rejected_events (store_id, received_at);

-- Reporting projections, written in the push transaction from sale.completed / refund.completed /
-- sale.post_voided. Amounts are integer minor units; refunds and post-voids carry negative amounts.
CREATE TABLE sales (
  id               uuid PRIMARY KEY,
  event_id         uuid NOT NULL,
  store_id         text NOT NULL,
  station_id       uuid NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('sale', 'refund', 'post_void')),
  receipt_no       text,
  original_sale_id uuid,
  business_date    date NOT NULL,
  completed_at     timestamptz NOT NULL,
  currency         text NOT NULL,
  cashier_id       text NOT NULL,
  total            bigint NOT NULL,
  tax              bigint NOT NULL,
  -- total plus cash rounding: what changed hands.
  payable          bigint NOT NULL,
  line_count       integer NOT NULL
);
CREATE INDEX sales_store_date ON sales (store_id, business_date);

CREATE TABLE sale_payments (
  id            uuid PRIMARY KEY,
  sale_id       uuid NOT NULL REFERENCES sales (id),
  store_id      text NOT NULL,
  business_date date NOT NULL,
  tender        text NOT NULL,
  tender_type   text NOT NULL,
  -- Tendered minus change given: what the tender really took (negative when money went back).
  amount        bigint NOT NULL
);
CREATE INDEX sale_payments_store_date ON sale_payments (store_id, business_date);

-- Append-only stock ledger: one delta per document line (movement id = line id); on-hand is the sum.
CREATE TABLE stock_movements (
  id              uuid PRIMARY KEY,
  store_id        text NOT NULL,
  station_id      uuid NOT NULL,
  sale_id         uuid NOT NULL,
  product_id      text NOT NULL,
  plu             text,
  qty_delta_milli bigint NOT NULL,
  reason          text NOT NULL,
  at              timestamptz NOT NULL
);
CREATE INDEX stock_movements_product ON stock_movements (store_id, product_id);

-- Reference data owned by the server, current state per (store, entity, key). Every change is also appended
-- to change_log, which stations pull.
CREATE TABLE reference_data (
  store_id   text NOT NULL REFERENCES stores (id),
  entity     text NOT NULL CHECK (entity IN ('product', 'tax_rate', 'staff', 'setting')),
  key        text NOT NULL,
  data       jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, entity, key)
);

CREATE TABLE change_log (
  seq      bigserial PRIMARY KEY,
  store_id text NOT NULL REFERENCES stores (id),
  entity   text NOT NULL CHECK (entity IN ('product', 'tax_rate', 'staff', 'setting')),
  key      text NOT NULL,
  data     jsonb NOT NULL,
  -- The writing transaction: a pull serves a row only once every older transaction has finished.
  xid      xid8 NOT NULL DEFAULT pg_current_xact_id(),
  -- 1-based position within the store's log, for the pull's `remaining` estimate.
  ordinal  bigint NOT NULL,
  at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_log_store_seq ON change_log (store_id, seq);

-- One page of a store's change feed, in seq order, serving only rows whose writing transaction is older than
-- every transaction still running (see pull.ts). It is a function so that its plan can be pinned: right after
-- a bulk import, before autovacuum has analysed the table, the planner otherwise estimates a handful of rows
-- and picks a bitmap scan of EVERY remaining row plus a sort — seconds per page on a million-product first
-- pull. Without bitmap scans and sorts the only plan left reads the (store_id, seq) index in order and stops
-- after `p_limit` rows. STABLE: it runs in the calling statement's snapshot.
CREATE FUNCTION change_page(p_store text, p_after bigint, p_limit integer)
RETURNS TABLE (seq bigint, entity text, data text, ordinal bigint)
LANGUAGE sql STABLE
SET enable_bitmapscan = off
SET enable_sort = off
SET enable_seqscan = off
AS $$
  SELECT c.seq, c.entity, c.data::text, c.ordinal
    FROM change_log c
   WHERE c.store_id = p_store
     AND c.seq > p_after
     AND c.xid < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
   ORDER BY c.store_id, c.seq
   LIMIT p_limit
$$;
