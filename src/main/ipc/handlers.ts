import type { Station } from '../core/station';
import type { Handlers } from './gate';
import { foundationHandlers } from './handlers/foundation';
import { catalogHandlers } from './handlers/catalog';
import { saleHandlers } from './handlers/sale';
import { auditHandlers } from './handlers/audit';
import { backupHandlers } from './handlers/backup';
import { syncHandlers } from './handlers/sync';
import { devicesHandlers } from './handlers/devices';
import { shiftControlHandlers } from './handlers/shift';
import { selftestHandlers } from './handlers/selftest';
import { settingsHandlers } from './handlers/settings';

/**
 * One handler per contract channel, joined from the per-area handler files (as the contract is joined from
 * per-area channel files). Handlers receive parsed input; the gate already checked access.
 */
export function createHandlers(station: Station): Handlers {
  return {
    ...foundationHandlers(station),
    ...catalogHandlers(station),
    ...saleHandlers(station),
    ...auditHandlers(station),
    ...backupHandlers(station),
    ...syncHandlers(station),
    ...devicesHandlers(station),
    ...shiftControlHandlers(station),
    ...selftestHandlers(station),
    ...settingsHandlers(station),
  };
}
