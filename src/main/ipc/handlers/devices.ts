import type { devicesChannels } from '../../../shared/ipc/channels/devices';
import type { Station } from '../../core/station';
import { callerOf, type HandlersFor } from '../gate';

/**
 * Handlers of the device channels. The gate checked access (`devices.configure` for the configuration,
 * `sale.operate` for the print queue and no-sale); no-sale's own permission (`drawer.no_sale`, overridable with
 * a supervisor's approval) is checked by the cash drawer.
 */
export function devicesHandlers(station: Station): HandlersFor<typeof devicesChannels> {
  // Read lazily: the handlers are created while the station is being wired.
  const devices = () => station.devices;
  return {
    'devices:status': () => devices().manager.statuses(),
    'devices:config-get': () => devices().manager.config(),
    'devices:config-set': (input, ctx) =>
      devices().manager.configure(input.config, 'channel', callerOf(ctx).user.id),
    'devices:discover': () => devices().manager.discover(),
    'devices:test-print': (_input, ctx) => devices().manager.testPrint(station.id, callerOf(ctx).user.id),
    'printing:jobs': (input) => devices().printing.jobs(input.ref, input.limit ?? 20),
    'printing:retry': (input, ctx) => devices().printing.retry(input.jobId, callerOf(ctx).user.id),
    'printing:reprint': (input, ctx) => devices().printing.reprint(input.ref, callerOf(ctx).user.id),
    'printing:paper-strip': (input) => {
      const receipts = devices().manager.paperStrip(input.limit ?? 10);
      return { available: receipts !== null, receipts: receipts ?? [] };
    },
    'drawer:no-sale': (input, ctx) => devices().drawer.noSale(callerOf(ctx), input.reason, input.approval),
  };
}
