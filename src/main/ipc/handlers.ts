import type { Station } from '../core/station';
import type { Handlers } from './gate';
import { foundationHandlers } from './handlers/foundation';
import { catalogHandlers } from './handlers/catalog';
import { saleHandlers } from './handlers/sale';

/**
 * One handler per contract channel, joined from the per-area handler files (as the contract is joined from
 * per-area channel files). Handlers receive parsed input; the gate already checked access.
 */
export function createHandlers(station: Station): Handlers {
  return {
    ...foundationHandlers(station),
    ...catalogHandlers(station),
    ...saleHandlers(station),
  };
}
