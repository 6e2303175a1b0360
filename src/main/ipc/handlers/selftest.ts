import type { selftestChannels } from '../../../shared/ipc/channels/selftest';
import { simulate } from '../../core/selftest/simulators';
import type { Station } from '../../core/station';
import { callerOf, type HandlersFor } from '../gate';

/** Handlers of the technician channels; the gate checked `devices.test`. */
export function selftestHandlers(station: Station): HandlersFor<typeof selftestChannels> {
  // Read lazily: the handlers are created while the station is being wired.
  const diagnostics = () => station.diagnostics;
  return {
    'faults:list': ({ offset, limit, ...filter }) =>
      diagnostics().faults.list(filter, offset ?? 0, limit ?? 50),
    'faults:export': (filter, ctx) => ({
      ...diagnostics().exportBundle(filter, callerOf(ctx).user.id),
      mediaType: 'application/json' as const,
    }),
    'selftest:start': (input, ctx) => diagnostics().selftest.start(input.level, callerOf(ctx).user.id),
    'selftest:current': () => diagnostics().selftest.view(),
    'selftest:step': ({ runId, action, code }) =>
      diagnostics().selftest.answer(runId, action === 'scan' ? { action, code: code ?? '' } : { action }),
    'selftest:cancel': (input) => diagnostics().selftest.cancel(input.runId),
    'selftest:simulate': (action) =>
      simulate(action, {
        manager: station.devices.manager,
        hub: diagnostics().inputs,
        testCode: () => {
          const run = diagnostics().selftest.view();
          return run?.status === 'running' ? run.testCode : null;
        },
      }),
  };
}
