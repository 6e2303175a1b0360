import { DriverError } from '../../../drivers/printer/errors';
import type { PrinterStatus } from '../../../drivers/printer/escpos-status';
import type { DeviceStatus, PrintJob } from '../../../shared/ipc/channels/devices';
import type { FaultCode, PromptKind, SelfTestLevel } from '../../../shared/ipc/channels/selftest';
import type { PrinterDevice } from '../devices/printer-device';
import type { InputDeviceHub } from '../devices/input-device-hub';
import type { PrintingService } from '../printing/printing-service';
import type { StationEvents } from '../events';
import type { TerminalMonitor } from './terminal-monitor';
import { testPageDocument } from './test-page';

/** How long each kind of step may take. Every wait is bounded: a device that never answers fails, never hangs. */
export interface SelfTestLimits {
  /** A status read (DLE EOT, a device's state). */
  statusMs: number;
  /** The test page, from queueing to printed. */
  printMs: number;
  /** After the kick, until the drawer sensor reads open. */
  drawerMs: number;
  /** Each interactive step (scan, swipe, close the drawer). */
  interactiveMs: number;
  /** The payment terminal's diagnosis. */
  terminalMs: number;
  /** How often a sensor is read while waiting for it to change. */
  pollMs: number;
}

export const DEFAULT_LIMITS: SelfTestLimits = {
  statusMs: 8_000,
  printMs: 20_000,
  drawerMs: 3_000,
  interactiveMs: 30_000,
  terminalMs: 15_000,
  pollMs: 200,
};

export interface StepOutcome {
  ok: boolean;
  /** `skipped`: the step did not apply or was given up by the technician (counts as failed when given up). */
  skipped?: boolean;
  code: FaultCode;
  message: string;
  raw?: string | null;
}

export const pass = (message: string): StepOutcome => ({ ok: true, code: 'ok', message });
export const fail = (code: FaultCode, message: string, raw: string | null = null): StepOutcome => ({
  ok: false,
  code,
  message,
  raw,
});

export class StepTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${Math.max(1, Math.round(ms / 1000))} s`);
  }
}

/** Rejects with `StepTimeout` when `promise` has not settled after `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeout(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A thrown driver error as a failed step, keeping the raw detail (a status byte, an errno) for the log. */
export function failureOf(err: unknown, what: string): StepOutcome {
  if (err instanceof StepTimeout) return fail('timeout', `${what}: ${err.message}`, 'timeout');
  if (err instanceof DriverError) {
    const raw = err.details?.['raw'];
    const code: FaultCode =
      err.reason === 'timeout' || err.reason === 'connect_timeout'
        ? 'timeout'
        : err.reason === 'paper_out'
          ? 'paper_out'
          : err.reason === 'cover_open'
            ? 'cover_open'
            : err.reason === 'protocol'
              ? 'bad_data'
              : 'disconnect';
    return fail(code, `${what}: ${err.message}`, `${err.reason}${typeof raw === 'string' ? ` ${raw}` : ''}`);
  }
  return fail('other', `${what}: ${err instanceof Error ? err.message : String(err)}`, null);
}

function conditionOutcome(s: PrinterStatus): StepOutcome {
  const raw = `DLE EOT ${JSON.stringify(s.raw)}`;
  switch (s.condition) {
    case 'ready':
      return { ...pass('ready'), raw };
    case 'paper_near_end':
      return { ...pass('ready, paper near end: replace the roll soon'), raw };
    case 'paper_out':
      return fail('paper_out', 'out of paper', raw);
    case 'cover_open':
      return fail('cover_open', 'the cover is open', raw);
    case 'offline':
      return fail('disconnect', 'the printer reports offline', raw);
    case 'error':
      return fail('printer_error', 'the printer reports an error (cutter or mechanism)', raw);
  }
}

/** What a device's status line says when there is nothing more to ask (an unavailable device, say). */
export function statusOutcome(s: DeviceStatus): StepOutcome {
  if (s.state === 'online') return pass(s.condition ? `online (${s.condition})` : 'online');
  const why = s.reason ?? s.state;
  if (s.state === 'unavailable') return fail('unavailable', `unavailable: ${why}`, s.reason);
  if (s.state === 'starting') return fail('no_response', 'still starting', null);
  return fail(/timeout/i.test(why) ? 'timeout' : 'disconnect', `${s.state}: ${why}`, s.reason);
}

/** What waiting for the technician resolved with. */
export type Answer<T> =
  { kind: 'value'; value: T } | { kind: 'skip' } | { kind: 'cancel' } | { kind: 'timeout' };

/**
 * The interactive side a check can use: show a prompt with a deadline and wait for the technician (through a
 * device, or an answer from the screen).
 */
export interface Interaction {
  ask<T>(
    kind: PromptKind,
    seconds: number,
    wait: (resolve: (value: T) => void, note: (message: string) => void) => () => void,
  ): Promise<Answer<T>>;
  /** A code the screen's wedge scanner read during the scan step. */
  readonly testCode: string;
}

export interface CheckContext {
  runId: string;
  stationId: string;
  userId: string | null;
  limits: SelfTestLimits;
  now: () => Date;
  events: StationEvents;
  printing: PrintingService;
  printer: PrinterDevice | null;
  hub: InputDeviceHub;
  terminal: TerminalMonitor | null;
  interaction: Interaction;
  /** Local time text for the test page. */
  localTime: () => string;
}

export interface DeviceCheck {
  name: string;
  level: SelfTestLevel;
  run(ctx: CheckContext, status: DeviceStatus): Promise<StepOutcome>;
}

// --- printer -----------------------------------------------------------------------------------------------

const printerStatus: DeviceCheck = {
  name: 'status',
  level: 'internal',
  async run(ctx, status) {
    if (!ctx.printer) return statusOutcome(status);
    try {
      return conditionOutcome(await within(ctx.printer.pollNow(), ctx.limits.statusMs));
    } catch (err) {
      return failureOf(err, 'status (DLE EOT)');
    }
  },
};

/** Waits for the test page job to end: printed, failed, or refused (queued with an error). */
function watchJob(ctx: CheckContext, jobId: string): { done: Promise<PrintJob>; stop: () => void } {
  let stop = () => undefined as void;
  const done = new Promise<PrintJob>((resolve) => {
    const settle = (job: PrintJob | null) => {
      if (!job || job.id !== jobId) return;
      if (job.status === 'printed' || job.status === 'failed' || (job.status === 'queued' && job.lastError))
        resolve(job);
    };
    const off = ctx.events.on((event) => {
      if (event.name === 'printing:job-changed') settle(event.payload.job);
    });
    stop = () => {
      off();
    };
    settle(ctx.printing.queue.get(jobId));
  });
  return { done, stop: () => stop() };
}

const printerTestPage: DeviceCheck = {
  name: 'test_page',
  level: 'external',
  async run(ctx) {
    const printer = ctx.printer;
    if (!printer) return fail('unavailable', 'no printer to print on');
    const doc = testPageDocument({
      runId: ctx.runId,
      stationId: ctx.stationId,
      time: ctx.localTime(),
      printer: {
        connection: printer.connection,
        type: printer.config.type === 'epson' ? 'ESC/POS' : 'Star',
        paper: printer.config.paper,
        condition: printer.lastStatus?.condition ?? 'unknown',
      },
      testCode: ctx.interaction.testCode,
    });
    const at = ctx.now();
    const jobId = ctx.printing.queue.insert(doc, { copy: false, userId: ctx.userId, at });
    const watch = watchJob(ctx, jobId);
    const queued = ctx.printing.queue.get(jobId);
    if (queued) ctx.events.emit('printing:job-changed', { job: queued });
    ctx.printing.kick();
    let job: PrintJob;
    try {
      job = await within(watch.done, ctx.limits.printMs);
    } catch (err) {
      withdraw(ctx, jobId, 'The self-test gave up waiting for its test page.');
      return failureOf(err, 'test page');
    } finally {
      watch.stop();
    }
    if (job.status === 'printed') return pass('test page printed');
    const e = job.lastError;
    // A refused test page is withdrawn: it must not come out later, in the middle of the day's receipts.
    if (job.status === 'queued') withdraw(ctx, jobId, 'Withdrawn by the self-test: the printer refused it.');
    const code: FaultCode =
      e?.code === 'paper_out' ? 'paper_out' : e?.code === 'cover_open' ? 'cover_open' : 'print_failed';
    return fail(
      code,
      `test page not printed: ${e?.message ?? job.status}`,
      e ? `${e.code}/${e.reason ?? ''}` : null,
    );
  },
};

function withdraw(ctx: CheckContext, jobId: string, message: string): void {
  const at = ctx.now();
  ctx.printing.queue.expire(jobId, { code: 'device_offline', message, reason: 'selftest', sent: false }, at);
  const job = ctx.printing.queue.get(jobId);
  if (job) ctx.events.emit('printing:job-changed', { job });
}

// --- drawer ------------------------------------------------------------------------------------------------

async function drawerOpen(ctx: CheckContext, printer: PrinterDevice): Promise<boolean> {
  const s = await within(printer.pollNow(), ctx.limits.statusMs);
  return s.drawerOpen;
}

/** Reads the sensor every `pollMs` until it reads `open` (or not), for at most `ms`. */
async function waitForDrawer(
  ctx: CheckContext,
  printer: PrinterDevice,
  open: boolean,
  ms: number,
  cancelled?: () => boolean,
): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (cancelled?.()) return false;
    if ((await drawerOpen(ctx, printer)) === open) return true;
    if (Date.now() >= until) return false;
    await sleep(ctx.limits.pollMs);
  }
}

const drawerSensor: DeviceCheck = {
  name: 'sensor',
  level: 'internal',
  async run(ctx, status) {
    if (!ctx.printer) return statusOutcome(status);
    if (ctx.printer.drawer.connection === 'none') return { ...pass('no drawer configured'), skipped: true };
    try {
      return (await drawerOpen(ctx, ctx.printer)) ? pass('reads open') : pass('reads closed');
    } catch (err) {
      return failureOf(err, 'drawer sensor (DLE EOT 1)');
    }
  },
};

const drawerKick: DeviceCheck = {
  name: 'kick',
  level: 'external',
  async run(ctx) {
    const printer = ctx.printer;
    if (!printer) return fail('unavailable', 'no printer to kick the drawer through');
    try {
      if (await drawerOpen(ctx, printer)) {
        return fail('other', 'the drawer is open: close it, then run the check again');
      }
      await within(printer.kickDrawer(), ctx.limits.statusMs);
      if (await waitForDrawer(ctx, printer, true, ctx.limits.drawerMs))
        return pass('kicked; the sensor reads open');
      return fail(
        'no_response',
        `kicked (pin ${printer.drawer.pin}), but the sensor still reads closed: check the drawer cable, the pin and the sensor polarity setting`,
        `polarity ${printer.drawer.polarity}`,
      );
    } catch (err) {
      return failureOf(err, 'drawer kick');
    }
  },
};

const drawerClose: DeviceCheck = {
  name: 'close_drawer',
  level: 'interactive',
  async run(ctx) {
    const printer = ctx.printer;
    if (!printer) return fail('unavailable', 'no printer to read the drawer through');
    try {
      if (!(await drawerOpen(ctx, printer))) {
        // The open → closed change is what proves the sensor: open it first.
        await within(printer.kickDrawer(), ctx.limits.statusMs);
        if (!(await waitForDrawer(ctx, printer, true, ctx.limits.drawerMs))) {
          return fail('no_response', 'kicked, but the sensor never read open');
        }
      }
    } catch (err) {
      return failureOf(err, 'drawer');
    }
    const answer = await ctx.interaction.ask<true>(
      'close_drawer',
      Math.round(ctx.limits.interactiveMs / 1000),
      (resolve) => {
        let stopped = false;
        void waitForDrawer(ctx, printer, false, ctx.limits.interactiveMs + 1000, () => stopped)
          .then((closed) => {
            if (closed) resolve(true);
          })
          .catch(() => undefined);
        return () => {
          stopped = true;
        };
      },
    );
    return answerOutcome(
      answer,
      () => pass('closed; the sensor reads closed'),
      'the drawer was not closed in time',
    );
  },
};

function answerOutcome<T>(answer: Answer<T>, ok: (value: T) => StepOutcome, late: string): StepOutcome {
  switch (answer.kind) {
    case 'value':
      return ok(answer.value);
    case 'skip':
      return fail('skipped', 'skipped by the technician');
    case 'cancel':
      return { ...fail('skipped', 'cancelled'), skipped: true };
    case 'timeout':
      return fail('timeout', late);
  }
}

// --- scanner, card reader, display -------------------------------------------------------------------------

const connected: DeviceCheck = {
  name: 'status',
  level: 'internal',
  run: (_ctx, status) => Promise.resolve(statusOutcome(status)),
};

/** The data of a scan without its AIM identifier (`]C0`, `]E0` …): what the barcode holds. */
export const scanData = (code: string): string => code.replace(/^\][A-Za-z][0-9A-Za-z]/, '');

const scanTestBarcode: DeviceCheck = {
  name: 'scan_test_barcode',
  level: 'interactive',
  async run(ctx) {
    const expected = ctx.interaction.testCode;
    const answer = await ctx.interaction.ask<string>(
      'scan_test_barcode',
      Math.round(ctx.limits.interactiveMs / 1000),
      (resolve, note) =>
        ctx.hub.onScan((scan) => {
          if (scanData(scan.code) === expected) resolve(scan.deviceId);
          else note(`read "${scan.code.slice(0, 40)}", which is not the test code ${expected}`);
        }),
    );
    return answerOutcome(
      answer,
      (device) => pass(`read the test code (${device})`),
      'no scan of the test code in time',
    );
  },
};

const swipeTestCard: DeviceCheck = {
  name: 'swipe_test_card',
  level: 'interactive',
  async run(ctx) {
    const answer = await ctx.interaction.ask<string>(
      'swipe_test_card',
      Math.round(ctx.limits.interactiveMs / 1000),
      (resolve, note) =>
        ctx.hub.onCard((card) => {
          if (card.kind === 'rejected_bank_card')
            note('a bank card was swiped and rejected: swipe a store test card');
          else if (card.kind === 'misread') note('the card could not be read: swipe again');
          else resolve(card.kind);
        }),
    );
    return answerOutcome(answer, (kind) => pass(`read a ${kind} card`), 'no card read in time');
  },
};

const displayTest: DeviceCheck = {
  name: 'show_test',
  level: 'external',
  async run(ctx) {
    const display = ctx.hub.running?.customerDisplay;
    if (!display) return fail('unavailable', 'no customer display started');
    try {
      await within(
        display.show({ line1: 'COUNTERTOP SELF-TEST', line2: ctx.localTime().slice(0, 20) }),
        ctx.limits.statusMs,
      );
      return pass(`showed the test screen (${display.kind})`);
    } catch (err) {
      return failureOf(err, 'customer display');
    }
  },
};

// --- payment terminal --------------------------------------------------------------------------------------

const terminalReachable: DeviceCheck = {
  name: 'reachable',
  level: 'internal',
  async run(ctx, status) {
    if (!ctx.terminal) return statusOutcome(status);
    const r = await ctx.terminal.check(ctx.limits.terminalMs);
    if (r.reachable) return pass(`answers (${r.diagnosis.globalStatus})`);
    return fail(r.timedOut ? 'timeout' : 'disconnect', `not reachable: ${r.reason}`, r.reason);
  },
};

const terminalDiagnosis: DeviceCheck = {
  name: 'diagnosis',
  level: 'external',
  async run(ctx) {
    if (!ctx.terminal) return fail('unavailable', 'no payment terminal attached');
    const r = await ctx.terminal.check(ctx.limits.terminalMs);
    if (!r.reachable)
      return fail(r.timedOut ? 'timeout' : 'disconnect', `diagnosis failed: ${r.reason}`, r.reason);
    const d = r.diagnosis;
    const raw = `GlobalStatus=${d.globalStatus} hostsReachable=${String(d.hostsReachable)}`;
    if (!d.ok) return fail('other', `the terminal reports ${d.globalStatus}`, raw);
    if (d.hostsReachable === false)
      return fail('disconnect', 'the terminal cannot reach its payment host', raw);
    return { ...pass('diagnosis OK'), raw };
  },
};

/** The checks of each device category, in the order they run (levels build on each other). */
export const CHECKS: Readonly<Record<DeviceStatus['category'], readonly DeviceCheck[]>> = {
  receipt_printer: [printerStatus, printerTestPage],
  cash_drawer: [drawerSensor, drawerKick, drawerClose],
  scanner: [connected, scanTestBarcode],
  card_reader: [connected, swipeTestCard],
  customer_display: [connected, displayTest],
  payment_terminal: [terminalReachable, terminalDiagnosis],
};

export const LEVEL_ORDER: Readonly<Record<SelfTestLevel, number>> = {
  internal: 1,
  external: 2,
  interactive: 3,
};
