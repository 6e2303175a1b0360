import { useEffect, useState } from 'react';
import type { ErrorData } from '../../../shared/domain/errors';
import type { CurrencyCode } from '../../../shared/domain/money';
import type { ParkedSale } from '../../../shared/ipc/channels/sale';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatAmount } from '../../format';
import { useI18n } from '../../i18n/context';
import { useClient } from '../../ipc/context';

interface Props {
  readonly currency: CurrencyCode;
  readonly onRecall: (saleId: string) => void;
  readonly onClose: () => void;
}

/** The sales on hold at this station, oldest first; a tap makes one the open sale again. */
export function ParkedSalesDialog({ currency, onRecall, onClose }: Props) {
  const client = useClient();
  const { t, formatTime } = useI18n();
  const [parked, setParked] = useState<readonly ParkedSale[] | null>(null);
  const [failure, setFailure] = useState<ErrorData | null>(null);

  useEffect(() => {
    let current = true;
    void client.call('sale:parked', {}).then((result) => {
      if (!current) return;
      if (result.ok) setParked(result.value);
      else setFailure(result.error);
    });
    return () => {
      current = false;
    };
  }, [client]);

  return (
    <Dialog title={t('parked.title')} testId="parked-dialog" onClose={onClose} wide>
      <ErrorMessage error={failure} />
      {parked === null && !failure ? <p className="muted">{t('app.loading')}</p> : null}
      {parked !== null && parked.length === 0 ? <p className="muted">{t('parked.none')}</p> : null}
      {parked !== null && parked.length > 0 ? (
        <ul className="pick-list" data-testid="parked-list">
          {parked.map((sale, index) => (
            <li key={sale.id}>
              <button
                type="button"
                className="pick-row"
                data-testid={`parked-sale-${index}`}
                onClick={() => onRecall(sale.id)}
              >
                <span className="pick-main">
                  {sale.note ?? t('parked.untitled', { time: formatTime(sale.parkedAt) })}
                </span>
                <span className="pick-meta">
                  {t('parked.meta', { lines: sale.lineCount, cashier: sale.cashierName })}
                </span>
                <span className="pick-amount">{formatAmount(sale.total, currency)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </Dialog>
  );
}
