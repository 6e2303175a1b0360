import { useEffect, useState } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { SyncStatus } from '../../shared/ipc/channels/sync';
import { useClient } from '../ipc/context';

/**
 * The station's sync status: read once, then followed through `sync:changed` (and `sync:progress` for a large
 * pull). `reload` reads it again (after an action whose answer is the status, set it directly instead).
 */
export function useSyncStatus(): {
  status: SyncStatus | null;
  error: ErrorData | null;
  setStatus: (status: SyncStatus) => void;
  reload: () => void;
} {
  const client = useClient();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let current = true;
    void client.call('sync:status', {}).then((result) => {
      if (!current) return;
      if (result.ok) {
        setStatus(result.value);
        setError(null);
      } else {
        setError(result.error);
      }
    });
    const offChanged = client.onEvent('sync:changed', (next) => setStatus(next));
    const offProgress = client.onEvent('sync:progress', (progress) =>
      setStatus((prev) =>
        prev === null ? prev : { ...prev, progress: progress.remaining > 0 ? progress : null },
      ),
    );
    return () => {
      current = false;
      offChanged();
      offProgress();
    };
  }, [client, reloads]);

  return { status, error, setStatus, reload: () => setReloads((n) => n + 1) };
}
