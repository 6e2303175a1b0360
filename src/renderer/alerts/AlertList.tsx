import type { RiskAlert } from '../../shared/ipc/channels/risk';
import { useI18n } from '../i18n/context';

const num = (details: Record<string, unknown>, key: string): number =>
  typeof details[key] === 'number' ? details[key] : 0;

/** What fired, in the reader's language, from the alert's rule and its facts. */
function useAlertSentence(): (alert: RiskAlert) => string {
  const { t } = useI18n();
  return (alert) => {
    const d = alert.details;
    switch (alert.rule) {
      case 'lineVoids':
        return t('alerts.rule.lineVoids', { count: num(d, 'count'), max: num(d, 'max') });
      case 'postVoids':
        return t('alerts.rule.postVoids', { count: num(d, 'count'), max: num(d, 'max') });
      case 'noSales':
        return t('alerts.rule.noSales', { count: num(d, 'count'), max: num(d, 'max') });
      case 'quickPostVoid':
        return t('alerts.rule.quickPostVoid', { minutes: num(d, 'minutes') });
      case 'refundsWithoutReceipt':
        return t('alerts.rule.refundsWithoutReceipt');
      case 'discounts':
        return t('alerts.rule.discounts');
      case 'refundToOtherTender':
        return t('alerts.rule.refundToOtherTender');
      case 'priceBelowCost':
        return t('alerts.rule.priceBelowCost');
    }
  };
}

interface Props {
  readonly alerts: readonly RiskAlert[];
  readonly busy: boolean;
  readonly onAcknowledge: (ids: string[]) => void;
}

/** Alerts newest first, each with who, when, what, and its acknowledgement (or the button for it). */
export function AlertList({ alerts, busy, onAcknowledge }: Props) {
  const { t, formatTime } = useI18n();
  const sentence = useAlertSentence();
  return (
    <ul className="alert-list" data-testid="alert-list" data-count={alerts.length}>
      {alerts.map((alert) => (
        <li key={alert.id} className="alert-row" data-testid={`alert-row-${alert.rule}`}>
          <p className="alert-sentence">{sentence(alert)}</p>
          <p className="muted">
            {formatTime(alert.at)}
            {alert.userName ? ` · ${t('alerts.by', { name: alert.userName })}` : ''}
          </p>
          {alert.acknowledgedBy ? (
            <p className="muted">{t('alerts.acknowledgedBy', { name: alert.acknowledgedBy })}</p>
          ) : (
            <button
              type="button"
              className="button secondary"
              data-testid={`alert-ack-${alert.id}`}
              disabled={busy}
              onClick={() => onAcknowledge([alert.id])}
            >
              {t('alerts.acknowledge')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
