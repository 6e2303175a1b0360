import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/domain/errors';
import type { DeviceStatus } from '../../../shared/ipc/channels/devices';
import type {
  PromptKind,
  SelfTestDevice,
  SelfTestLevel,
  SelfTestPrompt,
  SelfTestRun,
  SelfTestStep,
} from '../../../shared/ipc/channels/selftest';
import type { Db } from '../../db/open';
import type { Clock } from '../clock';
import type { StationEvents } from '../events';
import type { Journal } from '../journal';
import type { DeviceManager } from '../devices/device-manager';
import type { InputDeviceHub } from '../devices/input-device-hub';
import type { PrintingService } from '../printing/printing-service';
import type { FaultLog } from '../faults/fault-log';
import {
  CHECKS,
  DEFAULT_LIMITS,
  LEVEL_ORDER,
  scanData,
  type Answer,
  type CheckContext,
  type DeviceCheck,
  type Interaction,
  type SelfTestLimits,
  type StepOutcome,
} from './device-checks';
import type { TerminalMonitor } from './terminal-monitor';

export interface SelfTestDeps {
  db: Db;
  clock: Clock;
  events: StationEvents;
  journal: Journal;
  faults: FaultLog;
  manager: DeviceManager;
  printing: PrintingService;
  hub: InputDeviceHub;
  terminal: () => TerminalMonitor | null;
  stationId: string;
  limits?: Partial<SelfTestLimits>;
}

interface PendingAsk {
  prompt: SelfTestPrompt;
  settle: (answer: Answer<unknown>) => void;
  /** A code the screen's wedge scanner read (only during `scan_test_barcode`). */
  offerCode?: (code: string) => void;
}

interface Run {
  view: SelfTestRun;
  /** The step running now (an interactive prompt belongs to it). */
  active: { device: SelfTestDevice; step: SelfTestStep } | null;
  cancelled: boolean;
  pending: PendingAsk | null;
  done: Promise<SelfTestRun>;
}

/** `TEST-` and 6 characters a scanner and a person read without confusion (no 0/O, 1/I). */
function newTestCode(): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const bytes = randomBytes(6);
  return `TEST-${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')}`;
}

/**
 * The technician's self-test: every configured device (the device manager's list, disabled ones left out)
 * checked at the chosen UnifiedPOS level, each level after the ones below it —
 *
 * - internal: status only (printer `DLE EOT`, drawer sensor, input devices connected, terminal answers);
 * - external: the test page through the print queue, a drawer kick watched on the sensor, the customer display's
 *   test screen, the terminal's diagnosis;
 * - interactive: the technician scans the test page's barcode, swipes a test card, closes the drawer, each with
 *   a time limit, prompted on the technician screen (`selftest:changed`).
 *
 * One run at a time. A device whose check fails is not taken further. Every step's result is written to the
 * fault log; the run is audited (`selftest.ran`). All waits are bounded: nothing here can hang.
 */
export class SelfTestService {
  readonly limits: SelfTestLimits;
  private current: Run | null = null;

  constructor(private readonly deps: SelfTestDeps) {
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
  }

  view(): SelfTestRun | null {
    return this.current ? structuredClone(this.current.view) : null;
  }

  /** Starts a run in the background; returns its first view (progress follows as `selftest:changed`). */
  start(level: SelfTestLevel, userId: string | null): SelfTestRun {
    if (this.current?.view.status === 'running') {
      throw new AppError('conflict', 'A self-test is already running.', { runId: this.current.view.id });
    }
    const drawerless = this.deps.manager.printer?.drawer.connection === 'none';
    const devices = this.deps.manager
      .statuses()
      .filter((s) => s.state !== 'disabled' && !(s.category === 'cash_drawer' && drawerless));
    const view: SelfTestRun = {
      id: randomUUID(),
      level,
      status: 'running',
      startedAt: this.deps.clock.now().toISOString(),
      finishedAt: null,
      testCode: newTestCode(),
      devices: devices.map((s) => ({
        device: s.id,
        category: s.category,
        connection: s.connection,
        simulated: s.simulated,
        result: 'pending',
        message: null,
        steps: checksFor(s, level).map((c) => ({
          name: c.name,
          level: c.level,
          result: 'pending',
          message: null,
        })),
      })),
      prompt: null,
    };
    const run: Run = { view, active: null, cancelled: false, pending: null, done: Promise.resolve(view) };
    this.current = run;
    run.done = this.execute(run, devices, userId);
    this.announce(run);
    return this.view()!;
  }

  /** Runs to the end (the headless CLI, tests). */
  async run(level: SelfTestLevel, userId: string | null): Promise<SelfTestRun> {
    this.start(level, userId);
    return structuredClone(await this.current!.done);
  }

  /** Answers the prompt of the current interactive step. */
  answer(runId: string, input: { action: 'skip' } | { action: 'scan'; code: string }): SelfTestRun {
    const run = this.runById(runId);
    const pending = run.pending;
    if (!pending)
      throw new AppError('conflict', 'The self-test is not waiting for the technician.', { runId });
    if (input.action === 'skip') pending.settle({ kind: 'skip' });
    else if (pending.offerCode) pending.offerCode(input.code);
    else throw new AppError('conflict', 'This step does not take a scan.', { step: pending.prompt.kind });
    return this.view()!;
  }

  cancel(runId: string): SelfTestRun {
    const run = this.runById(runId);
    if (run.view.status === 'running') {
      run.cancelled = true;
      run.pending?.settle({ kind: 'cancel' });
    }
    return this.view()!;
  }

  /** Waits for the current run to end (station stop, tests). */
  async settled(): Promise<void> {
    await this.current?.done.catch(() => undefined);
  }

  // --- internals ----------------------------------------------------------------------------------------------

  private runById(runId: string): Run {
    const run = this.current;
    if (!run || run.view.id !== runId) throw new AppError('not_found', 'No such self-test run.', { runId });
    return run;
  }

  private announce(run: Run): void {
    if (this.current === run) this.deps.events.emit('selftest:changed', { run: structuredClone(run.view) });
  }

  private async execute(run: Run, statuses: DeviceStatus[], userId: string | null): Promise<SelfTestRun> {
    const ctx = this.context(run, userId);
    // Level by level across the devices: every printer status before the test page, the page before its scan.
    for (const level of (['internal', 'external', 'interactive'] as const).filter(
      (l) => LEVEL_ORDER[l] <= LEVEL_ORDER[run.view.level],
    )) {
      for (const [i, status] of statuses.entries()) {
        const device = run.view.devices[i]!;
        const checks = checksFor(status, run.view.level);
        for (const [k, check] of checks.entries()) {
          if (check.level !== level) continue;
          const step = device.steps[k]!;
          if (run.cancelled || device.result === 'fail') {
            step.result = 'skipped';
            step.message = run.cancelled ? 'cancelled' : 'not run: an earlier check of this device failed';
            continue;
          }
          step.result = 'running';
          device.result = 'running';
          run.active = { device, step };
          this.announce(run);
          const live = this.deps.manager.statuses().find((s) => s.id === status.id) ?? status;
          let outcome: StepOutcome;
          try {
            outcome = await check.run(ctx, live);
          } catch (err) {
            outcome = { ok: false, code: 'other', message: err instanceof Error ? err.message : String(err) };
          }
          run.active = null;
          this.record(run, device, step, check, outcome);
        }
      }
    }
    for (const device of run.view.devices) {
      if (device.result === 'running' || device.result === 'pending') {
        device.result =
          device.steps.every((s) => s.result === 'skipped') && run.cancelled ? 'skipped' : 'pass';
        const last = device.steps.filter((s) => s.result === 'pass').at(-1);
        device.message = last ? `${last.name}: ${last.message ?? 'passed'}` : device.message;
      }
    }
    run.view.prompt = null;
    run.view.finishedAt = this.deps.clock.now().toISOString();
    run.view.status = run.cancelled
      ? 'cancelled'
      : run.view.devices.every((d) => d.result === 'pass')
        ? 'passed'
        : 'failed';
    this.audit(run, userId);
    this.announce(run);
    return run.view;
  }

  private record(
    run: Run,
    device: SelfTestDevice,
    step: SelfTestStep,
    check: DeviceCheck,
    outcome: StepOutcome,
  ): void {
    const cancelledSkip = outcome.skipped === true && !outcome.ok;
    step.result = outcome.ok ? (outcome.skipped ? 'skipped' : 'pass') : cancelledSkip ? 'skipped' : 'fail';
    step.message = outcome.message;
    if (step.result === 'fail') {
      device.result = 'fail';
      device.message = `${check.name}: ${outcome.message}`;
    }
    this.deps.faults.record({
      device: device.device,
      category: device.category,
      level: check.level,
      result: step.result === 'fail' ? 'fail' : step.result === 'pass' ? 'pass' : 'info',
      code: outcome.code,
      message: `${check.name}: ${outcome.message}`,
      raw: outcome.raw ?? null,
      runId: run.view.id,
    });
    this.announce(run);
  }

  private audit(run: Run, userId: string | null): void {
    if (!this.deps.db.open) return;
    const at = this.deps.clock.now();
    try {
      this.deps.db.transaction(() => {
        this.deps.journal.audit({
          at,
          userId,
          action: 'selftest.ran',
          details: {
            runId: run.view.id,
            level: run.view.level,
            status: run.view.status,
            devices: run.view.devices.map((d) => ({ device: d.device, result: d.result })),
          },
        });
      })();
    } catch {
      // The result is in the fault log already; a failed audit write must not lose the run's outcome.
    }
  }

  private context(run: Run, userId: string | null): CheckContext {
    const { manager, printing, hub, events } = this.deps;
    const interaction: Interaction = {
      testCode: run.view.testCode,
      ask: <T>(kind: PromptKind, seconds: number, wait: Parameters<Interaction['ask']>[2]) =>
        this.ask<T>(run, kind, seconds, wait as never),
    };
    return {
      runId: run.view.id,
      stationId: this.deps.stationId,
      userId,
      limits: this.limits,
      now: () => this.deps.clock.now(),
      events,
      printing,
      get printer() {
        return manager.printer;
      },
      hub,
      terminal: this.deps.terminal(),
      interaction,
      localTime: () => localTime(this.deps.clock.now()),
    };
  }

  private ask<T>(
    run: Run,
    kind: PromptKind,
    seconds: number,
    wait: (resolve: (value: T) => void, note: (message: string) => void) => () => void,
  ): Promise<Answer<T>> {
    if (run.cancelled) return Promise.resolve({ kind: 'cancel' });
    const device = run.active?.device;
    const step = run.active?.step;
    return new Promise<Answer<T>>((resolve) => {
      let finished = false;
      const deadline = new Date(Date.now() + seconds * 1000);
      const settle = (answer: Answer<T>) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        stopWaiting();
        run.pending = null;
        run.view.prompt = null;
        if (step && step.result === 'waiting') step.result = 'running';
        resolve(answer);
      };
      const note = (message: string) => {
        if (finished || !step) return;
        step.message = message;
        this.announce(run);
      };
      const timer = setTimeout(() => settle({ kind: 'timeout' }), seconds * 1000);
      const stopWaiting = wait((value) => settle({ kind: 'value', value }), note);
      const prompt: SelfTestPrompt = {
        device: device?.device ?? '',
        kind,
        testCode: kind === 'scan_test_barcode' ? run.view.testCode : null,
        deadline: deadline.toISOString(),
        seconds,
      };
      const pending: PendingAsk = { prompt, settle: settle as (a: Answer<unknown>) => void };
      if (kind === 'scan_test_barcode') {
        pending.offerCode = (code) => {
          if (scanData(code.trim()) === run.view.testCode) settle({ kind: 'value', value: 'wedge' as T });
          else note(`read "${code.slice(0, 40)}", which is not the test code ${run.view.testCode}`);
        };
      }
      if (finished) return;
      run.pending = pending;
      run.view.prompt = prompt;
      if (step) step.result = 'waiting';
      this.announce(run);
    });
  }
}

function checksFor(status: DeviceStatus, level: SelfTestLevel): DeviceCheck[] {
  return CHECKS[status.category].filter((c) => LEVEL_ORDER[c.level] <= LEVEL_ORDER[level]);
}

/** `2026-01-15 17:00:00 +08:00`: the station's local time, as the technician reads it on the paper. */
export function localTime(at: Date): string {
  const offset = -at.getTimezoneOffset();
  const local = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${local} ${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
