import { useCallback, useEffect, useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { SaleConfig, SaleView } from '../../shared/ipc/channels/sale';
import { useClient, useConnectionState } from '../ipc/context';

/** Only an open or tendering sale is "the cart"; anything else (completed, voided, parked) closes it. */
function asCart(view: SaleView | null): SaleView | null {
  return view !== null && (view.status === 'open' || view.status === 'tendering') ? view : null;
}

/** Keeps the newer of two copies of the same sale (a reply and an event may arrive in either order). */
function newer(current: SaleView | null, next: SaleView | null): SaleView | null {
  if (current !== null && next !== null && current.id === next.id && next.revision < current.revision) {
    return current;
  }
  return next;
}

export interface SaleState {
  readonly config: SaleConfig | null;
  /** The station's open or tendering sale; null when the cart is empty. */
  readonly cart: SaleView | null;
  readonly loadFailure: ErrorData | null;
  /** Takes a sale the core returned (any status): the cart follows it. */
  readonly applySale: (view: SaleView | null) => void;
  readonly reload: () => void;
}

/**
 * The checkout's copy of the core's state: the sale configuration and the open sale. It is read on every
 * (re)connection and follows the `sale:changed` events, so another window's changes (or a crash and reload)
 * show up here; the core's SaleView is always the truth, never a local edit.
 */
export function useSaleState(): SaleState {
  const client = useClient();
  const connection = useConnectionState();
  const [config, setConfig] = useState<SaleConfig | null>(null);
  const [cart, setCart] = useState<SaleView | null>(null);
  const [loadFailure, setLoadFailure] = useState<ErrorData | null>(null);
  const [reloads, setReloads] = useState(0);

  const applySale = useCallback((view: SaleView | null) => {
    setCart((current) => newer(current, asCart(view)));
  }, []);

  useEffect(() => {
    if (connection !== 'open') return;
    let current = true;
    void Promise.all([client.call('sale:config', {}), client.call('sale:current', {})]).then(
      ([configResult, saleResult]) => {
        if (!current) return;
        if (configResult.ok) setConfig(configResult.value);
        if (saleResult.ok) setCart(asCart(saleResult.value));
        const failed = !configResult.ok ? configResult.error : !saleResult.ok ? saleResult.error : null;
        setLoadFailure(failed);
      },
    );
    return () => {
      current = false;
    };
  }, [client, connection, reloads]);

  useEffect(() => client.onEvent('sale:changed', ({ cart: next }) => applySale(next)), [client, applySale]);

  // A manager's change to tenders, rounding or the cash increment reaches a checkout that is already open (the
  // open sale keeps its own snapshot; the core decides either way, this only keeps the buttons right).
  useEffect(
    () =>
      client.onEvent('settings:changed', ({ keys }) => {
        if (keys !== undefined && keys.every((key) => key === 'locale')) return;
        void client.call('sale:config', {}).then((result) => {
          if (result.ok) setConfig(result.value);
        });
      }),
    [client],
  );

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return { config, cart, loadFailure, applySale, reload };
}
