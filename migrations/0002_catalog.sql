-- Catalog: tax rates, categories, products with several barcodes each. Money is INTEGER minor units.
-- Tax rates are integer parts per million (13% = 130000, 8.875% = 88750) so no rate needs a float.

CREATE TABLE tax_rates (
  id         TEXT PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  name_zh    TEXT NOT NULL,
  name_en    TEXT NOT NULL,
  rate_ppm   INTEGER NOT NULL CHECK (rate_ppm BETWEEN 0 AND 1000000),
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE categories (
  id         TEXT PRIMARY KEY,
  name_zh    TEXT NOT NULL,
  name_en    TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE products (
  id              TEXT PRIMARY KEY,
  plu             TEXT UNIQUE,
  name_zh         TEXT NOT NULL,
  name_en         TEXT NOT NULL,
  -- Pinyin initials of name_zh ("可口可乐" -> "kkkl"), computed at import, for initials search.
  pinyin_initials TEXT NOT NULL DEFAULT '',
  category_id     TEXT REFERENCES categories (id),
  unit            TEXT NOT NULL CHECK (unit IN ('piece', 'kg', 'g')),
  price           INTEGER NOT NULL CHECK (price >= 0),
  cost            INTEGER CHECK (cost IS NULL OR cost >= 0),
  tax_rate_id     TEXT NOT NULL REFERENCES tax_rates (id),
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX products_category ON products (category_id);

-- Barcode lookup is a point query on the primary key (normalised GTIN-14 or the plain code).
CREATE TABLE barcodes (
  code       TEXT PRIMARY KEY,
  product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX barcodes_product ON barcodes (product_id);
