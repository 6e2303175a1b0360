-- Gift cards (src/server/gift-cards.ts, protocol in src/shared/sync/gift-cards.ts): the server owns every card
-- and its balance; stations hold amounts online and push redemptions inside their sale documents.
-- A card is known by card_key = sha256 of its normalised number: the number itself is never stored.

CREATE TABLE gift_cards (
  store_id   text NOT NULL REFERENCES stores (id),
  card_key   bytea NOT NULL CHECK (length(card_key) = 32),
  -- What receipts and screens show ("•••• 1234").
  last4      text NOT NULL CHECK (length(last4) BETWEEN 1 AND 4),
  currency   text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- Minor units. May go negative: an offline redemption (store policy `allow`) is a fact and is applied even
  -- when it overdraws the card; the ledger row says so.
  balance    bigint NOT NULL,
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, card_key)
);

-- Amounts reserved by a station while it tenders. id = the station's payment id, so the ledger row of the
-- pushed payment consumes exactly its hold. A hold reserves until released, consumed or expired.
CREATE TABLE gift_card_holds (
  id          uuid PRIMARY KEY,
  store_id    text NOT NULL,
  card_key    bytea NOT NULL,
  station_id  uuid NOT NULL REFERENCES stations (id),
  sale_id     uuid NOT NULL,
  amount      bigint NOT NULL CHECK (amount > 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  released_at timestamptz,
  consumed_at timestamptz,
  FOREIGN KEY (store_id, card_key) REFERENCES gift_cards (store_id, card_key)
);
-- "Available = balance − active holds" reads only the holds still open.
CREATE INDEX gift_card_holds_open ON gift_card_holds (store_id, card_key)
  WHERE released_at IS NULL AND consumed_at IS NULL;

-- Every change of a balance, written exactly once per id: the payment id for `redeem` / `credit` (from pushed
-- documents), the request id for `issue` / `load` (back office). No foreign key to gift_cards: a pushed
-- document naming a card the store does not know is still a fact, recorded with unknown_card.
CREATE TABLE gift_card_ledger (
  id            uuid PRIMARY KEY,
  -- Application order: a card's rows are written under its row lock, so per card seq order is the order the
  -- balance moved in (several rows of one push share one `at`).
  seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  store_id      text NOT NULL REFERENCES stores (id),
  card_key      bytea NOT NULL CHECK (length(card_key) = 32),
  -- Negative = redeemed.
  delta         bigint NOT NULL CHECK (delta <> 0),
  kind          text NOT NULL CHECK (kind IN ('issue', 'load', 'redeem', 'credit')),
  station_id    uuid,
  sale_id       uuid,
  event_id      uuid,
  -- Accepted by the station without a hold (store policy `allow` while the server was unreachable).
  offline       boolean NOT NULL DEFAULT false,
  -- The redemption took the balance below zero.
  overdrawn     boolean NOT NULL DEFAULT false,
  unknown_card  boolean NOT NULL DEFAULT false,
  -- A redemption of a card the store had deactivated (lost, stolen): applied — it is a fact — and listed.
  inactive_card boolean NOT NULL DEFAULT false,
  -- The card's balance right after this row; NULL for an unknown card.
  balance_after bigint,
  at            timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind IN ('issue', 'load', 'credit')) = (delta > 0)),
  CHECK (unknown_card = (balance_after IS NULL))
);
CREATE INDEX gift_card_ledger_card ON gift_card_ledger (store_id, card_key, seq);
-- The back office's exception list.
CREATE INDEX gift_card_ledger_exceptions ON gift_card_ledger (store_id, seq)
  WHERE overdrawn OR unknown_card OR inactive_card;
