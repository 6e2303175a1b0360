import type { CurrencyCode } from '../../shared/domain/money';
import type { Denomination } from '../../shared/ipc/channels/shift';
import { formatAmount } from '../format';
import { useI18n } from '../i18n/context';

/** Pieces counted per denomination id. */
export type PieceCounts = Readonly<Record<string, number>>;

/** The total of a count, in minor units (integers only; the core recomputes it). */
export function countTotal(denominations: readonly Denomination[], counts: PieceCounts): number {
  return denominations.reduce((sum, d) => sum + d.value * (counts[d.id] ?? 0), 0);
}

interface Props {
  readonly idPrefix: string;
  readonly denominations: readonly Denomination[];
  readonly currency: CurrencyCode;
  readonly counts: PieceCounts;
  readonly onChange: (counts: PieceCounts) => void;
  /** Shown under the grid; a blind close hides nothing here, only the expected figure is never shown. */
  readonly showTotal?: boolean;
}

/** One row per note and coin: how many pieces, and what they make. Counting is typing whole numbers. */
export function DenominationGrid({
  idPrefix,
  denominations,
  currency,
  counts,
  onChange,
  showTotal = true,
}: Props) {
  const { t } = useI18n();
  return (
    <div className="denomination-grid" data-testid={`${idPrefix}-grid`}>
      {denominations.map((d) => {
        const id = `${idPrefix}-${d.id}`;
        const pieces = counts[d.id] ?? 0;
        return (
          <div className="denomination-row" key={d.id}>
            <label htmlFor={id} className={`denomination-label ${d.kind}`}>
              {formatAmount(d.value, currency)}
            </label>
            <input
              id={id}
              className="input denomination-input"
              data-testid={id}
              inputMode="numeric"
              autoComplete="off"
              value={pieces === 0 ? '' : String(pieces)}
              placeholder="0"
              aria-label={`${formatAmount(d.value, currency)} ${t('shift.pieces')}`}
              onChange={(event) => {
                const digits = event.target.value.replace(/\D/g, '').slice(0, 6);
                onChange({ ...counts, [d.id]: digits === '' ? 0 : Number(digits) });
              }}
            />
            <span className="denomination-subtotal">{formatAmount(d.value * pieces, currency)}</span>
          </div>
        );
      })}
      {showTotal ? (
        <p
          className="denomination-total"
          data-testid={`${idPrefix}-total`}
          data-amount={countTotal(denominations, counts)}
        >
          {t('shift.countTotal', { amount: formatAmount(countTotal(denominations, counts), currency) })}
        </p>
      ) : null}
    </div>
  );
}
