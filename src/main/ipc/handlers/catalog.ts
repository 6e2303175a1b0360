import { AppError } from '../../../shared/domain/errors';
import type { catalogChannels } from '../../../shared/ipc/channels/catalog';
import type { Station } from '../../core/station';
import { callerOf, type HandlersFor } from '../gate';

/** Handlers of the catalog channels: lookup, search, product detail, CSV import. */
export function catalogHandlers(station: Station): HandlersFor<typeof catalogChannels> {
  // Read lazily: the handlers are created while the station is being wired.
  const catalog = () => station.catalog;
  return {
    'catalog:lookup': (input) => catalog().lookup(input.code),
    'catalog:search': (input) =>
      catalog().search(input.query, {
        ...(input.limit === undefined ? {} : { limit: input.limit }),
        ...(input.offset === undefined ? {} : { offset: input.offset }),
      }),
    'catalog:get-product': (input) => {
      const product = catalog().getProductDetail(input.id);
      if (product === undefined) throw new AppError('not_found', 'No product has this id.', { id: input.id });
      return product;
    },
    'catalog:import': (input, ctx) => catalog().importCsv(input.path, { userId: callerOf(ctx).user.id }),
  };
}
