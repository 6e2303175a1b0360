import { useState } from 'react';
import type { SaleConfig, SaleView } from '../../shared/ipc/channels/sale';
import { SupervisorApprovalProvider } from '../approval/SupervisorApprovalProvider';
import { ErrorMessage } from '../components/ErrorMessage';
import { ScreenActiveContext } from '../components/screen-active';
import { HistoryScreen } from '../history/HistoryScreen';
import { useI18n } from '../i18n/context';
import { ReturnScreen } from '../returns/ReturnScreen';
import { TenderScreen } from '../tender/TenderScreen';
import { SaleScreen } from './SaleScreen';
import { useSaleState, type SaleState } from './useSaleState';

interface Props {
  readonly storeName: string | null;
  /** False while the lock screen covers the checkout. */
  readonly active: boolean;
  readonly onExit: () => void;
}

/** The checkout: the sale (cart, tender, done), history and returns, sharing the sale state and approvals. */
export function CheckoutScreen({ storeName, active, onExit }: Props) {
  const { t } = useI18n();
  const state = useSaleState();
  if (!state.config) {
    return (
      <main className="checkout-loading" data-testid="checkout-loading">
        {state.loadFailure ? (
          <ErrorMessage error={state.loadFailure} onRetry={state.reload} />
        ) : (
          <p className="muted">{t('app.loading')}</p>
        )}
      </main>
    );
  }
  return (
    <ScreenActiveContext value={active}>
      <SupervisorApprovalProvider currency={state.config.currency}>
        <CheckoutViews
          state={state}
          config={state.config}
          storeName={storeName}
          active={active}
          onExit={onExit}
        />
      </SupervisorApprovalProvider>
    </ScreenActiveContext>
  );
}

type View =
  | { readonly kind: 'sale' }
  | { readonly kind: 'history' }
  | { readonly kind: 'returns'; readonly receipt: string | null };

function CheckoutViews({
  state,
  config,
  storeName,
  active,
  onExit,
}: {
  state: SaleState;
  config: SaleConfig;
  storeName: string | null;
  active: boolean;
  onExit: () => void;
}) {
  const [view, setView] = useState<View>({ kind: 'sale' });
  const [done, setDone] = useState<SaleView | null>(null);
  const { cart, applySale } = state;
  const backToSale = () => setView({ kind: 'sale' });

  switch (view.kind) {
    case 'history':
      return (
        <HistoryScreen
          config={config}
          storeName={storeName}
          active={active}
          onBack={backToSale}
          onReturn={(receipt) => setView({ kind: 'returns', receipt })}
        />
      );
    case 'returns':
      return (
        <ReturnScreen
          config={config}
          storeName={storeName}
          active={active}
          initialReceipt={view.receipt}
          onBack={backToSale}
        />
      );
    case 'sale':
      if (cart?.status === 'tendering') {
        return (
          <TenderScreen
            sale={cart}
            config={config}
            active={active}
            onSale={applySale}
            onCompleted={(document) => {
              setDone(document);
              applySale(null);
            }}
          />
        );
      }
      return (
        <SaleScreen
          cart={cart}
          config={config}
          done={done}
          storeName={storeName}
          active={active}
          onSale={applySale}
          onDone={setDone}
          onNavigate={(next) =>
            setView(next === 'history' ? { kind: 'history' } : { kind: 'returns', receipt: null })
          }
          onExit={onExit}
        />
      );
  }
}
