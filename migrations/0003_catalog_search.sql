-- Catalog search: one FTS5 index over product names, pinyin initials and PLU, for the cashier's search box.
--
-- The index is contentless (content=''): the text lives in `products`, the index holds only tokens, and
-- contentless_delete=1 lets a row be removed by rowid alone. The columns hold text prepared by the catalog code
-- (src/main/core/catalog/search-text.ts), because unicode61 alone cannot search Chinese names or initials:
--   zh   name_zh with every CJK character a token of its own: unicode61 treats a run of CJK as ONE token, so
--        "可口可乐" would only match "可口可乐"; a phrase of characters ("可 乐") finds any substring.
--   en   name_en as words (case and diacritics folded).
--   py   pinyin initials as overlapping pairs plus the last letter ("kk kk kl l" for 可口可乐): `kl` is ONE
--        token and `kkl` the phrase "kk kl", so a query reads short doclists instead of checking positions in
--        the huge doclists of single letters.
--   hd   "starts with" keys: the first 1…4 characters of each name and of the initials, and every prefix of
--        the PLU, each marked with ǂ ("ǂ可 ǂ可口 … ǂk ǂkk … ǂ1 ǂ10 …") so it is a token of its own and a prefix
--        match is one short doclist, not a walk through the doclist of the same word in another column.
-- There is deliberately no FTS5 `prefix=` index: it would add entries for every token, CJK characters and
-- pinyin pairs included, and slow the import by a third. A Latin word prefix of 3+ letters is a prefix query
-- FTS5 expands over the few words starting with it; 1–2 letters match only at the start (through `hd`).
-- Only active products are indexed: search is for selling; inactive products stay reachable by id.
CREATE VIRTUAL TABLE product_search USING fts5 (
  zh, en, py, hd,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- The FTS rowid of each product. Products have a TEXT primary key and VACUUM may renumber an implicit rowid,
-- so the index gets its own INTEGER PRIMARY KEY, and that key carries the ranking: search_id =
-- (name length × 2^40) + a sequence number. FTS5 returns matches in rowid order and can stop at LIMIT, so
-- "ORDER BY rowid LIMIT 21" yields the SHORTEST matching names first (the closest matches: "可乐" before
-- "可口可乐 零度 330ml") without reading every match, which ranking by bm25 would (hundreds of ms at a million
-- products for a one-letter query).
CREATE TABLE product_search_ids (
  search_id  INTEGER PRIMARY KEY,
  product_id TEXT NOT NULL UNIQUE
) STRICT;

-- Products whose index entry must be (re)written. Kept in sync by the triggers below, so EVERY writer of
-- `products` (the catalog import, the demo seeder, a later sync pull, a technician's SQL) is covered: the
-- triggers drop the stale index entry at once (pure SQL) and queue the product; the catalog code computes the
-- tokens (CJK spacing, pinyin spacing cannot be done in SQL) and indexes the queue — in the same transaction
-- for its own writes, and before a search for anybody else's.
CREATE TABLE product_search_pending (
  product_id TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

-- While the catalog code writes a batch it indexes its own new products directly (their tokens were computed in
-- the import worker) and sets this flag INSIDE its transaction, clearing it before commit, so no other
-- transaction ever sees it set. Queueing a million imported products only to unqueue them was a tenth of the
-- import's time.
CREATE TABLE product_search_direct (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1)
) STRICT;

CREATE TRIGGER products_search_insert AFTER INSERT ON products
WHEN NOT EXISTS (SELECT 1 FROM product_search_direct)
BEGIN
  INSERT OR IGNORE INTO product_search_pending (product_id) VALUES (new.id);
END;

CREATE TRIGGER products_search_update AFTER UPDATE OF plu, name_zh, name_en, pinyin_initials, active ON products
WHEN old.plu IS NOT new.plu
  OR old.name_zh IS NOT new.name_zh
  OR old.name_en IS NOT new.name_en
  OR old.pinyin_initials IS NOT new.pinyin_initials
  OR old.active IS NOT new.active
BEGIN
  DELETE FROM product_search
    WHERE rowid = (SELECT search_id FROM product_search_ids WHERE product_id = old.id);
  INSERT OR IGNORE INTO product_search_pending (product_id) VALUES (new.id);
END;

CREATE TRIGGER products_search_delete AFTER DELETE ON products
BEGIN
  DELETE FROM product_search
    WHERE rowid = (SELECT search_id FROM product_search_ids WHERE product_id = old.id);
  DELETE FROM product_search_ids WHERE product_id = old.id;
  DELETE FROM product_search_pending WHERE product_id = old.id;
END;

-- Products written before this migration (a demo catalog, an earlier import) are queued for indexing.
INSERT INTO product_search_pending (product_id) SELECT id FROM products;

-- Category lookup by name during an import ("饮料" or "Drinks").
CREATE INDEX categories_name_zh ON categories (name_zh);
CREATE INDEX categories_name_en ON categories (name_en COLLATE NOCASE);
