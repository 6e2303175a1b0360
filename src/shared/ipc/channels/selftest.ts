/**
 * Technician channels: the device self-test (internal / external / interactive checks, driven step by step from
 * the technician screen), the device fault log (browse with filters, export a diagnostics bundle), and the
 * simulators' controls (scan the test barcode, swipe the test card, open / close the drawer, unplug the scanner,
 * set the demo printer's state) so the checks can be exercised on a station without hardware.
 *
 * Also the pushed events of the input devices: every scan from a device scanner (HID, serial, simulator) is ONE
 * `scanner:scan` event, which the checkout handles exactly like a keyboard-wedge scan; card reads are `card:read`
 * (member / gift / staff / id; a bank card arrives only as `rejected_bank_card`, nothing of it kept).
 */
import { z } from 'zod';
import { channel, type ChannelSpec } from '../channel';
import { Empty, IdSchema } from '../schemas';
import { DEVICE_CATEGORIES } from './devices';

// --- fault log ---------------------------------------------------------------------------------------------

/** `internal` / `external` / `interactive`: a self-test check. `runtime`: something seen while the station ran. */
export const FAULT_LEVELS = ['internal', 'external', 'interactive', 'runtime'] as const;
export type FaultLevel = (typeof FAULT_LEVELS)[number];

/** `pass` / `fail` of a check; `fault` a device problem; `recovered` the device is back; `info` worth knowing. */
export const FAULT_RESULTS = ['pass', 'fail', 'fault', 'recovered', 'info'] as const;
export type FaultResult = (typeof FAULT_RESULTS)[number];

/** Why, vendor-neutral (the UnifiedPOS result code is kept beside it where one exists). */
export const FAULT_CODES = [
  'ok',
  'disconnect',
  'unavailable',
  'paper_out',
  'paper_near_end',
  'cover_open',
  'printer_error',
  'timeout',
  'bad_data',
  'print_failed',
  'no_response',
  'skipped',
  'bank_card_rejected',
  'other',
] as const;
export type FaultCode = (typeof FAULT_CODES)[number];

export const FaultEntrySchema = z.object({
  id: IdSchema,
  at: z.string(),
  /** The device id of the status list: printer, drawer, scanner, card_reader, customer_display, payment_terminal. */
  device: z.string(),
  category: z.enum(DEVICE_CATEGORIES).nullable(),
  level: z.enum(FAULT_LEVELS),
  result: z.enum(FAULT_RESULTS),
  code: z.enum(FAULT_CODES),
  /** UnifiedPOS result code (offline 108, timeout 112, extended 114, cover open 201, paper empty 203). */
  uposCode: z.number().int().nullable(),
  message: z.string(),
  /** The raw driver detail (a status byte, an errno, hex of bad bytes). Never card data. */
  raw: z.string().nullable(),
  /** The self-test run the entry belongs to. */
  runId: z.string().nullable(),
});
export type FaultEntry = z.infer<typeof FaultEntrySchema>;

const IsoTime = z.iso.datetime({ offset: true });
export const MAX_FAULT_PAGE = 200;

export const FaultFilterSchema = z.strictObject({
  device: z.string().min(1).max(40).optional(),
  level: z.enum(FAULT_LEVELS).optional(),
  result: z.enum(FAULT_RESULTS).optional(),
  /** Inclusive start and exclusive end, ISO 8601 with an offset. */
  from: IsoTime.optional(),
  to: IsoTime.optional(),
});
export type FaultFilter = z.infer<typeof FaultFilterSchema>;

export const FaultPageSchema = z.object({
  entries: z.array(FaultEntrySchema),
  /** Rows matching the filter (all pages). */
  total: z.number().int(),
  offset: z.number().int(),
});
export type FaultPage = z.infer<typeof FaultPageSchema>;

export const DiagnosticsFileSchema = z.object({
  fileName: z.string(),
  mediaType: z.literal('application/json'),
  /** The bundle itself: one JSON document (see `DiagnosticsBundle` in the core). */
  content: z.string(),
  faults: z.number().int(),
});

// --- self-test ---------------------------------------------------------------------------------------------

/** UnifiedPOS health check levels 1, 2, 3. Each level runs the ones below it first. */
export const SELFTEST_LEVELS = ['internal', 'external', 'interactive'] as const;
export type SelfTestLevel = (typeof SELFTEST_LEVELS)[number];

export const STEP_RESULTS = ['pending', 'running', 'waiting', 'pass', 'fail', 'skipped'] as const;
export type StepResult = (typeof STEP_RESULTS)[number];

/** What an interactive step asks the technician to do. */
export const PROMPT_KINDS = ['scan_test_barcode', 'swipe_test_card', 'close_drawer'] as const;
export type PromptKind = (typeof PROMPT_KINDS)[number];

export const SelfTestStepSchema = z.object({
  /** e.g. `status`, `test_page`, `kick`, `diagnosis`, `scan_test_barcode`. */
  name: z.string(),
  level: z.enum(SELFTEST_LEVELS),
  result: z.enum(STEP_RESULTS),
  message: z.string().nullable(),
});
export type SelfTestStep = z.infer<typeof SelfTestStepSchema>;

export const SelfTestDeviceSchema = z.object({
  device: z.string(),
  category: z.enum(DEVICE_CATEGORIES),
  connection: z.string(),
  simulated: z.boolean(),
  result: z.enum(STEP_RESULTS),
  /** The first failing step's message, or a summary when it passed. */
  message: z.string().nullable(),
  steps: z.array(SelfTestStepSchema),
});
export type SelfTestDevice = z.infer<typeof SelfTestDeviceSchema>;

export const SelfTestPromptSchema = z.object({
  device: z.string(),
  kind: z.enum(PROMPT_KINDS),
  /** The code printed on the test page (for `scan_test_barcode`). */
  testCode: z.string().nullable(),
  /** When the step gives up (ISO time) and its limit in seconds, for the countdown. */
  deadline: z.string(),
  seconds: z.number().int(),
});
export type SelfTestPrompt = z.infer<typeof SelfTestPromptSchema>;

export const SelfTestRunSchema = z.object({
  id: IdSchema,
  level: z.enum(SELFTEST_LEVELS),
  status: z.enum(['running', 'passed', 'failed', 'cancelled']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** The code the test page carries as CODE128 (scanned back in the interactive level). */
  testCode: z.string(),
  devices: z.array(SelfTestDeviceSchema),
  prompt: SelfTestPromptSchema.nullable(),
});
export type SelfTestRun = z.infer<typeof SelfTestRunSchema>;

export const SIMULATE_ACTIONS = [
  /** The simulated scanner reads `code` (default: the running self-test's test code, as a CODE128 read). */
  'scan',
  /** The simulated card reader reads the store's test member card. */
  'swipe',
  'unplug_scanner',
  'replug_scanner',
  /** The demo drawer's sensor (what the printer reads at DLE EOT 1): `open` says which way. */
  'drawer',
  /** The demo printer's scripted state: `state`. */
  'printer_state',
] as const;

export const SIMULATED_PRINTER_STATES = [
  'normal',
  'coverOpen',
  'paperNearEnd',
  'paperOut',
  'offline',
  'silent',
] as const;

/** What the simulators can be told to do (only for devices that ARE simulators; refused otherwise). */
export const SimulateActionSchema = z
  .strictObject({
    action: z.enum(SIMULATE_ACTIONS),
    code: z.string().min(1).max(128).optional(),
    open: z.boolean().optional(),
    state: z.enum(SIMULATED_PRINTER_STATES).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.action === 'drawer' && input.open === undefined) {
      ctx.addIssue({ code: 'custom', path: ['open'], message: 'drawer needs open: true or false' });
    }
    if (input.action === 'printer_state' && input.state === undefined) {
      ctx.addIssue({ code: 'custom', path: ['state'], message: 'printer_state needs a state' });
    }
  });
export type SimulateAction = z.infer<typeof SimulateActionSchema>;

// --- input device events -----------------------------------------------------------------------------------

export const ScannerScanSchema = z.object({
  /** What `sale:scan` takes: the AIM identifier (when the scanner sent one) followed by the data. */
  code: z.string(),
  source: z.enum(['wedge', 'hid', 'serial', 'simulated']),
  deviceId: z.string(),
  symbology: z.string(),
  at: z.string(),
});
export type ScannerScan = z.infer<typeof ScannerScanSchema>;

export const CardReadSchema = z.object({
  kind: z.enum(['member', 'gift', 'staff', 'id', 'rejected_bank_card', 'misread']),
  /** The store card's number; null for a rejected bank card and a misread (nothing of those is kept). */
  number: z.string().nullable(),
  deviceId: z.string(),
  at: z.string(),
});
export type CardRead = z.infer<typeof CardReadSchema>;

// --- channels ----------------------------------------------------------------------------------------------

export const selftestChannels = {
  /** Fault log entries, newest first, with filters; paged by offset. */
  'faults:list': channel({
    input: FaultFilterSchema.extend({
      offset: z.number().int().min(0).max(1_000_000).optional(),
      limit: z.number().int().min(1).max(MAX_FAULT_PAGE).optional(),
    }),
    output: FaultPageSchema,
    access: 'devices.test',
  }),
  /** The diagnostics bundle (fault log, device configuration and statuses, station id, versions); audited. */
  'faults:export': channel({
    input: FaultFilterSchema,
    output: DiagnosticsFileSchema,
    access: 'devices.test',
  }),
  /** Starts a self-test of every configured device (one run at a time); progress arrives as `selftest:changed`. */
  'selftest:start': channel({
    input: z.strictObject({ level: z.enum(SELFTEST_LEVELS) }),
    output: SelfTestRunSchema,
    access: 'devices.test',
  }),
  /** The running or last run, or null. */
  'selftest:current': channel({ input: Empty, output: SelfTestRunSchema.nullable(), access: 'devices.test' }),
  /**
   * Answers the prompt of an interactive step: `scan` hands over a code the screen's wedge scanner read,
   * `skip` gives the step up (it fails as skipped).
   */
  'selftest:step': channel({
    input: z
      .strictObject({
        runId: IdSchema,
        action: z.enum(['skip', 'scan']),
        code: z.string().min(1).max(128).optional(),
      })
      .superRefine((input, ctx) => {
        if ((input.action === 'scan') !== (input.code !== undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: ['code'],
            message: 'code goes with action scan, and only with it',
          });
        }
      }),
    output: SelfTestRunSchema,
    access: 'devices.test',
  }),
  'selftest:cancel': channel({
    input: z.strictObject({ runId: IdSchema }),
    output: SelfTestRunSchema,
    access: 'devices.test',
  }),
  /** Drives a simulator (demo and training); `conflict` when that device is not a simulator. */
  'selftest:simulate': channel({
    input: SimulateActionSchema,
    output: z.object({ done: z.boolean() }),
    access: 'devices.test',
  }),
} as const satisfies Record<string, ChannelSpec>;
