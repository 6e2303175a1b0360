-- The payment terminal's request log: each card request is written here BEFORE it is sent and settled when
-- its outcome is known, so after a crash or a timeout the station asks the terminal for the outcome of exactly
-- that request (TransactionStatus with its ServiceID) instead of resending it. No card data: the settlement
-- keeps the status, the approval code and the masked PAN (first 6 / last 4 at most), never a full number.
CREATE TABLE terminal_requests (
  service_id  TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
  -- Our payment id (the nexo SaleTransactionID): what the sale core knows the request by.
  reference   TEXT NOT NULL,
  sale_ref    TEXT NOT NULL,
  poi_id      TEXT NOT NULL,
  time_stamp  TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount >= 0),
  currency    TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  settled_at  TEXT,
  -- JSON of the settlement: {"status": "approved" | "declined" | "aborted" | "unknown" | "failed", ...}.
  settlement  TEXT CHECK (settlement IS NULL OR json_valid(settlement))
) STRICT;
CREATE INDEX terminal_requests_reference ON terminal_requests (reference, created_at);
CREATE INDEX terminal_requests_open ON terminal_requests (created_at) WHERE settled_at IS NULL;
