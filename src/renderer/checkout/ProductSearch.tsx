import { useEffect, useState, type KeyboardEvent, type RefObject } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { CurrencyCode } from '../../shared/domain/money';
import type { ProductSummary } from '../../shared/ipc/channels/catalog';
import { ErrorMessage } from '../components/ErrorMessage';
import { keepFocus } from '../components/KeyButton';
import { formatUnitPrice, productName } from '../format';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';

/** Wait this long after the last typed character before asking the core (a search per key is wasted work). */
const SEARCH_DEBOUNCE_MS = 150;
const SEARCH_PAGE = 20;

interface Props {
  readonly currency: CurrencyCode;
  readonly inputRef: RefObject<HTMLInputElement | null>;
  readonly shortcut: string;
  readonly onAdd: (product: ProductSummary) => void;
}

interface Found {
  readonly query: string;
  readonly items: readonly ProductSummary[];
  readonly hasMore: boolean;
}

/** Find a product by any part of its name, pinyin initials (`kl` → 可乐) or PLU, and add it with a tap. */
export function ProductSearch({ currency, inputRef, shortcut, onAdd }: Props) {
  const client = useClient();
  const { t, locale } = useI18n();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [highlight, setHighlight] = useState(0);
  const [focused, setFocused] = useState(false);
  const trimmed = query.trim();

  useEffect(() => {
    if (trimmed === '') return;
    let current = true;
    const timer = setTimeout(() => {
      void client.call('catalog:search', { query: trimmed, limit: SEARCH_PAGE }).then((result) => {
        if (!current) return;
        if (result.ok) {
          setFound({ query: trimmed, ...result.value });
          setFailure(null);
          setHighlight(0);
        } else {
          setFailure(result.error);
        }
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, trimmed]);

  const results = trimmed === '' ? null : found;
  const clear = () => {
    setQuery('');
    setFound(null);
    setFailure(null);
    inputRef.current?.blur();
  };
  const add = (product: ProductSummary) => {
    clear();
    onAdd(product);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const items = results?.items ?? [];
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      clear();
    } else if (event.key === 'ArrowDown' && items.length > 0) {
      event.preventDefault();
      setHighlight((h) => Math.min(items.length - 1, h + 1));
    } else if (event.key === 'ArrowUp' && items.length > 0) {
      event.preventDefault();
      setHighlight((h) => Math.max(0, h - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = items[highlight];
      if (chosen) add(chosen);
    }
  };

  const open = focused && trimmed !== '' && (results !== null || failure !== null);
  return (
    <div className="product-search">
      <label className="visually-hidden" htmlFor="product-search-input">
        {t('search.label')}
      </label>
      <input
        id="product-search-input"
        ref={inputRef}
        className="input search-input"
        type="text"
        autoComplete="off"
        spellCheck={false}
        placeholder={t('search.placeholder', { key: shortcut })}
        data-testid="search-input"
        value={query}
        role="combobox"
        aria-expanded={open}
        aria-controls="product-search-results"
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
      />
      {open ? (
        <div className="search-popover" id="product-search-results">
          <ErrorMessage error={failure} />
          {results !== null && results.items.length === 0 ? (
            <p className="muted search-empty">{t('search.none', { query: results.query })}</p>
          ) : null}
          {results !== null && results.items.length > 0 ? (
            <ul className="search-results" role="listbox" data-testid="search-results">
              {results.items.map((product, index) => (
                <li key={product.id} role="option" aria-selected={index === highlight}>
                  <button
                    type="button"
                    className={index === highlight ? 'search-result highlighted' : 'search-result'}
                    data-testid={`search-result-${index}`}
                    onMouseDown={keepFocus}
                    onClick={() => add(product)}
                  >
                    <span className="search-result-name">{productName(product, locale)}</span>
                    <span className="search-result-meta">
                      {product.plu ? `PLU ${product.plu}` : ''}
                      {product.unit !== 'piece' ? <span className="badge">{t('search.weighed')}</span> : null}
                    </span>
                    <span className="search-result-price">
                      {formatUnitPrice(product.price, product.unit, currency)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          {results?.hasMore ? <p className="muted search-more">{t('search.more')}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
