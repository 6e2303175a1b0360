import type { DeviceState } from '../../shared/ipc/channels/devices';
import type {
  FaultLevel,
  FaultResult,
  PromptKind,
  SelfTestLevel,
  StepResult,
} from '../../shared/ipc/channels/selftest';
import type { PlainKey } from '../i18n/index';

/** Message keys of the technician screen's closed sets (so a new value is a compile error, not a blank). */
export const DEVICE_NAMES: Readonly<Record<string, PlainKey>> = {
  printer: 'tech.device.printer',
  drawer: 'tech.device.drawer',
  scanner: 'tech.device.scanner',
  card_reader: 'tech.device.card_reader',
  customer_display: 'tech.device.customer_display',
  payment_terminal: 'tech.device.payment_terminal',
  station: 'tech.device.station',
};

export const STATE_LABELS: Readonly<Record<DeviceState, PlainKey>> = {
  starting: 'tech.state.starting',
  online: 'tech.state.online',
  offline: 'tech.state.offline',
  unavailable: 'tech.state.unavailable',
  disabled: 'tech.state.disabled',
};

export const LEVEL_LABELS: Readonly<Record<SelfTestLevel, PlainKey>> = {
  internal: 'tech.level.internal',
  external: 'tech.level.external',
  interactive: 'tech.level.interactive',
};

export const LEVEL_HINTS: Readonly<Record<SelfTestLevel, PlainKey>> = {
  internal: 'tech.levelHint.internal',
  external: 'tech.levelHint.external',
  interactive: 'tech.levelHint.interactive',
};

export const FAULT_LEVEL_LABELS: Readonly<Record<FaultLevel, PlainKey>> = {
  ...LEVEL_LABELS,
  runtime: 'tech.level.runtime',
};

export const STEP_LABELS: Readonly<Record<StepResult, PlainKey>> = {
  pending: 'tech.result.pending',
  running: 'tech.result.running',
  waiting: 'tech.result.waiting',
  pass: 'tech.result.pass',
  fail: 'tech.result.fail',
  skipped: 'tech.result.skipped',
};

export const FAULT_RESULT_LABELS: Readonly<Record<FaultResult, PlainKey>> = {
  pass: 'tech.faultResult.pass',
  fail: 'tech.faultResult.fail',
  fault: 'tech.faultResult.fault',
  recovered: 'tech.faultResult.recovered',
  info: 'tech.faultResult.info',
};

export const PROMPT_KINDS_WITHOUT_PARAMS: Readonly<
  Record<Exclude<PromptKind, 'scan_test_barcode'>, PlainKey>
> = {
  swipe_test_card: 'tech.prompt.swipe_test_card',
  close_drawer: 'tech.prompt.close_drawer',
};
