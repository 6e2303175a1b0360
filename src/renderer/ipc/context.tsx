import { createContext, useCallback, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { CountertopClient } from './client';
import type { ConnectionState, Transport } from './transport';

interface Station {
  readonly client: CountertopClient;
  readonly transport: Transport;
}

const StationContext = createContext<Station | null>(null);

export function StationProvider({ client, transport, children }: Station & { children: ReactNode }) {
  return <StationContext value={{ client, transport }}>{children}</StationContext>;
}

function useStation(): Station {
  const station = useContext(StationContext);
  if (!station) throw new Error('useClient() outside <StationProvider>');
  return station;
}

export function useClient(): CountertopClient {
  return useStation().client;
}

export function useConnectionState(): ConnectionState {
  const { transport } = useStation();
  const subscribe = useCallback(
    (onChange: () => void) => transport.onConnectionChange(onChange),
    [transport],
  );
  return useSyncExternalStore(subscribe, () => transport.connectionState());
}
