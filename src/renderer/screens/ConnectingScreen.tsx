import type { ErrorData } from '../../shared/domain/errors';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/context';

interface Props {
  readonly failure: ErrorData | null;
  readonly hasToken: boolean;
  readonly onRetry: () => void;
}

/** Before the first station status arrives: connecting, or why it could not be read. */
export function ConnectingScreen({ failure, hasToken, onRetry }: Props) {
  const { t } = useI18n();
  return (
    <div className="screen connecting-screen" data-testid="connecting-screen">
      <main className="center">
        <p className="brand large">{t('app.title')}</p>
        {failure ? (
          <>
            <p>{t('app.statusFailed')}</p>
            <ErrorMessage error={failure} onRetry={onRetry} />
          </>
        ) : (
          <p className="muted" role="status">
            {t('app.connecting')}
          </p>
        )}
        {hasToken ? null : <p className="warning">{t('app.noToken')}</p>}
      </main>
    </div>
  );
}
