import type { auditChannels } from '../../../shared/ipc/channels/audit';
import type { Station } from '../../core/station';
import { callerOf, type HandlersFor } from '../gate';

/** Handlers of the audit channels (browse, facets, export, verify); `audit.view` is checked by the gate. */
export function auditHandlers(station: Station): HandlersFor<typeof auditChannels> {
  const { audit } = station;
  return {
    'audit:list': ({ beforeSeq, limit, ...filter }) => audit.query.list(filter, beforeSeq, limit ?? 50),
    'audit:facets': () => audit.query.facets(),
    'audit:export': (filter, ctx) => audit.exportCsv(callerOf(ctx), filter),
    'audit:verify': (_input, ctx) => audit.verify(callerOf(ctx)),
  };
}
