import type { reportChannels } from '../../../shared/ipc/channels/reports';
import type { riskChannels } from '../../../shared/ipc/channels/risk';
import type { shiftChannels } from '../../../shared/ipc/channels/shift';
import { stationPrinter } from '../../core/reports/report-service';
import type { Station } from '../../core/station';
import { callerOf, type HandlersFor } from '../gate';

/**
 * Handlers of the shift, report and risk channels. The gate checked the channel's access; finer rules (whose
 * drawer, a difference needing a supervisor) are the services' own.
 */
export function shiftHandlers(station: Station): HandlersFor<typeof shiftChannels> {
  const { shifts } = station;
  return {
    'shift:current': (_input, ctx) => shifts.state(callerOf(ctx)),
    'shift:open': (input, ctx) => shifts.open(callerOf(ctx), input.float),
    'shift:cash-movement': (input, ctx) =>
      shifts.cashMovement(callerOf(ctx), input.kind, input.amount, input.reason),
    'shift:close': (input, ctx) => shifts.close(callerOf(ctx), input),
    'shift:config': () => shifts.config.get(),
    'shift:set-config': (input, ctx) => shifts.setConfig(callerOf(ctx), input),
  };
}

export function reportHandlers(station: Station): HandlersFor<typeof reportChannels> {
  const { reports } = station;
  return {
    'report:x': (_input, ctx) => reports.x(callerOf(ctx)),
    'report:z': (_input, ctx) => reports.z(callerOf(ctx)),
    'report:z-list': () => reports.zList(),
    'report:z-get': (input) => reports.zGet(input.zNumber),
    'report:print': (input, ctx) =>
      reports.print(callerOf(ctx), input.kind, input.zNumber, stationPrinter(station, callerOf(ctx).user.id)),
  };
}

export function riskHandlers(station: Station): HandlersFor<typeof riskChannels> {
  const { risk } = station;
  return {
    'risk:alerts': (input) => risk.alerts(input.include),
    'risk:acknowledge': (input, ctx) => ({ acknowledged: risk.acknowledge(callerOf(ctx), input.ids) }),
    'risk:rules': () => risk.rules.get(),
    'risk:set-rules': (input, ctx) => risk.setRules(callerOf(ctx), input),
  };
}

/** The three maps above, joined into createHandlers with one line. */
export function shiftControlHandlers(
  station: Station,
): HandlersFor<typeof shiftChannels & typeof reportChannels & typeof riskChannels> {
  return { ...shiftHandlers(station), ...reportHandlers(station), ...riskHandlers(station) };
}
