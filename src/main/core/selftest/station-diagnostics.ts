import type { FaultFilter } from '../../../shared/ipc/channels/selftest';
import type { Locale } from '../../../shared/domain/locale';
import type { Db } from '../../db/open';
import type { Clock } from '../clock';
import type { StationEvents } from '../events';
import type { Journal } from '../journal';
import { InputDeviceHub, type InputDeviceHubDeps } from '../devices/input-device-hub';
import type { StationDevices } from '../devices/station-devices';
import { buildDiagnosticsBundle, bundleFileName, MAX_BUNDLE_FAULTS } from '../faults/diagnostics-bundle';
import { FaultLog } from '../faults/fault-log';
import { FaultRecorder } from '../faults/fault-recorder';
import { SelfTestService } from './self-test';
import type { SelfTestLimits } from './device-checks';
import { TerminalMonitor, type TerminalAttachment } from './terminal-monitor';

export interface StationDiagnosticsDeps {
  db: Db;
  clock: Clock;
  events: StationEvents;
  journal: Journal;
  devices: StationDevices;
  stationId: string;
  version: string;
  locale: () => Locale;
  /** Driver seams for tests (fake node-hid, serial binding-mock, short backoff). */
  drivers?: InputDeviceHubDeps['drivers'];
  limits?: Partial<SelfTestLimits>;
}

/**
 * The technician's side of the devices, on `Station.diagnostics`: the fault log (and the recorder that fills
 * it from device events), the input devices in the station (scanner, card reader, pole display: opened with the
 * printer when `devices.manager.start()` runs), the payment terminal's diagnosis, and the self-test.
 */
export class StationDiagnostics {
  readonly faults: FaultLog;
  readonly inputs: InputDeviceHub;
  readonly selftest: SelfTestService;
  private readonly recorder: FaultRecorder;
  private terminal: TerminalMonitor | null = null;
  private readonly offApplied: () => void;

  constructor(private readonly deps: StationDiagnosticsDeps) {
    this.faults = new FaultLog(deps.db, deps.clock, deps.events);
    this.recorder = new FaultRecorder(this.faults, deps.events);
    const manager = deps.devices.manager;
    this.inputs = new InputDeviceHub({
      events: deps.events,
      faults: this.faults,
      manager,
      locale: deps.locale,
      ...(deps.drivers ? { drivers: deps.drivers } : {}),
    });
    this.offApplied = manager.onApplied((config) => this.inputs.apply(config));
    this.selftest = new SelfTestService({
      db: deps.db,
      clock: deps.clock,
      events: deps.events,
      journal: deps.journal,
      faults: this.faults,
      manager,
      printing: deps.devices.printing,
      hub: this.inputs,
      terminal: () => this.terminal,
      stationId: deps.stationId,
      ...(deps.limits ? { limits: deps.limits } : {}),
    });
  }

  /**
   * Lists the payment terminal (its driver answers the nexo diagnosis) and asks it once, in the background.
   * Returns the detach function.
   */
  attachTerminal(attachment: TerminalAttachment): () => void {
    const manager = this.deps.devices.manager;
    const monitor = new TerminalMonitor(
      attachment,
      () => this.deps.clock.now(),
      () => manager.notify(),
    );
    this.terminal = monitor;
    manager.register(monitor);
    void monitor.check(15_000);
    return () => {
      if (this.terminal === monitor) this.terminal = null;
    };
  }

  /** The diagnostics bundle as one JSON file; audited (`faults.exported`). */
  exportBundle(
    filter: FaultFilter,
    userId: string | null,
  ): { fileName: string; content: string; faults: number } {
    const at = this.deps.clock.now();
    const manager = this.deps.devices.manager;
    const bundle = buildDiagnosticsBundle({
      db: this.deps.db,
      at,
      stationId: this.deps.stationId,
      appVersion: this.deps.version,
      config: manager.config(),
      statuses: manager.statuses(),
      filter,
      faults: this.faults.all(filter, MAX_BUNDLE_FAULTS + 1),
    });
    const fileName = bundleFileName(this.deps.stationId, at);
    this.deps.db.transaction(() => {
      this.deps.journal.audit({
        at,
        userId,
        action: 'faults.exported',
        details: { fileName, faults: bundle.faults.count, filter },
      });
    })();
    return { fileName, content: JSON.stringify(bundle, null, 2), faults: bundle.faults.count };
  }

  async stop(): Promise<void> {
    const run = this.selftest.view();
    if (run?.status === 'running') this.selftest.cancel(run.id);
    this.offApplied();
    this.recorder.stop();
    await this.inputs.stop();
  }
}
