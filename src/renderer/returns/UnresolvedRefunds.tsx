import { useEffect, useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { SaleConfig, SaleView, UnresolvedRefund } from '../../shared/ipc/channels/sale';
import { KeyButton } from '../components/KeyButton';
import { formatAmount, formatDocumentTime } from '../format';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';

interface Props {
  readonly config: SaleConfig;
  /** Bumped by the screen after anything that may have changed the list (a return, a check). */
  readonly revision: number;
  readonly onCompleted: (refund: SaleView) => void;
  readonly onFailure: (error: ErrorData) => void;
}

/**
 * Card refunds the terminal did not answer (or that were in flight when the station stopped): the money may be
 * back on the card, so they stay in view until someone asks the terminal ("Check terminal").
 */
export function UnresolvedRefunds({ config, revision, onCompleted, onFailure }: Props) {
  const client = useClient();
  const { t, locale } = useI18n();
  const [list, setList] = useState<readonly UnresolvedRefund[]>([]);
  const [checks, setChecks] = useState(0);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    void client.call('refund:unresolved', {}).then((result) => {
      if (current && result.ok) setList(result.value);
    });
    return () => {
      current = false;
    };
  }, [client, revision, checks]);

  const check = async (paymentId: string) => {
    setBusy(true);
    const result = await client.call('refund:check-payment', { paymentId });
    setBusy(false);
    setChecks((n) => n + 1);
    if (result.ok) onCompleted(result.value);
    else onFailure(result.error);
  };

  if (list.length === 0) return null;
  return (
    <section className="notice warn unresolved-refunds" data-testid="unresolved-refunds">
      <p className="sale-done-title">{t('returns.unresolvedTitle')}</p>
      <p>{t('returns.unresolvedHint')}</p>
      <ul>
        {list.map((doc) => {
          const waiting = doc.payments.find((p) => p.status === 'pending' || p.status === 'timeout');
          const amount = doc.payments.reduce((sum, p) => sum + Math.abs(p.amount), 0);
          return (
            <li key={doc.id} data-testid="unresolved-refund">
              {t('returns.unresolvedLine', {
                kind: t(doc.kind === 'post_void' ? 'returns.kindPostVoid' : 'returns.kindRefund'),
                number: doc.originalReceiptNo ?? '—',
                amount: formatAmount(amount, config.currency),
                time: formatDocumentTime(doc.createdAt, locale),
              })}
              {waiting ? (
                <KeyButton
                  label={t('returns.checkTerminal')}
                  testId="unresolved-check"
                  disabled={busy}
                  onPress={() => void check(waiting.id)}
                />
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
