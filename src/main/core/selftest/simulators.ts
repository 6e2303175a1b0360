import { CardReaderSimulator } from '../../../drivers/card-reader/card-reader';
import { ScannerSimulator } from '../../../drivers/scanner/in-process-scanner';
import { AppError } from '../../../shared/domain/errors';
import type { SimulateAction } from '../../../shared/ipc/channels/selftest';
import type { DeviceManager } from '../devices/device-manager';
import type { InputDeviceHub } from '../devices/input-device-hub';

function notSimulated(device: string): AppError {
  return new AppError('conflict', `The ${device} is a real device, not a simulator.`, { device });
}

/**
 * The simulators' controls for the technician screen (demo, training, trying the self-test without hardware):
 * what a person would do at the device — scan, swipe, pull the scanner's cable, open or close the drawer, take
 * the paper out of the demo printer. Refused for real devices. `code` defaults to the running test's code,
 * sent as a CODE128 read (`]C0`), like a scanner reading the test page.
 */
export async function simulate(
  action: SimulateAction,
  deps: { manager: DeviceManager; hub: InputDeviceHub; testCode: () => string | null },
): Promise<{ done: boolean }> {
  switch (action.action) {
    case 'scan':
    case 'unplug_scanner':
    case 'replug_scanner': {
      const scanner = deps.hub.running?.scanner;
      if (!(scanner instanceof ScannerSimulator)) throw notSimulated('scanner');
      if (action.action === 'unplug_scanner') scanner.unplug();
      else if (action.action === 'replug_scanner') scanner.replug();
      else {
        const code = action.code ?? deps.testCode();
        if (code === null)
          throw new AppError('bad_input', 'No code to scan: start a self-test or give a code.');
        return { done: scanner.scan(action.code === undefined ? `]C0${code}` : code) };
      }
      return { done: true };
    }
    case 'swipe': {
      const reader = deps.hub.running?.cardReader;
      if (!(reader instanceof CardReaderSimulator)) throw notSimulated('card reader');
      return { done: reader.swipe() };
    }
    case 'drawer':
    case 'printer_state': {
      const sim = deps.manager.demoPrinter;
      const printer = deps.manager.printer;
      if (!sim || !printer) throw notSimulated(action.action === 'drawer' ? 'cash drawer' : 'printer');
      if (action.action === 'drawer') {
        // The sensor level that means "open" depends on the drawer (the polarity setting).
        sim.drawerSensorHigh = (printer.drawer.polarity === 'open_when_high') === (action.open === true);
      } else {
        sim.setState(action.state ?? 'normal');
      }
      // Read it now so the status line follows at once instead of at the next poll.
      await printer.pollNow().catch(() => undefined);
      return { done: true };
    }
  }
}
