/**
 * THE IPC contract: every call the renderer can make, with its zod input and output schemas and the access it
 * needs. The entries are written per area in `channels/` and joined here into one typed map. Adding a call is
 * one entry in an area file plus one handler; the compiler finds the rest.
 *
 * Inputs are strict objects (unknown keys are rejected) with bounded strings and arrays, so hostile or broken
 * input is refused by the gate before any handler runs.
 */
import type { z } from 'zod';
import type { ChannelSpec } from './channel';
import { foundationChannels } from './channels/foundation';
import { catalogChannels } from './channels/catalog';
import { saleChannels } from './channels/sale';
import { auditChannels } from './channels/audit';
import { backupChannels } from './channels/backup';
import { syncChannels } from './channels/sync';
import { devicesChannels } from './channels/devices';
import { shiftControlChannels } from './channels/shift-controls';
import { selftestChannels } from './channels/selftest';
import { settingsChannels } from './channels/settings';

export * from './schemas';
export type { Access, ChannelSpec } from './channel';

export const contract = {
  ...foundationChannels,
  ...catalogChannels,
  ...saleChannels,
  ...auditChannels,
  ...backupChannels,
  ...syncChannels,
  ...devicesChannels,
  ...shiftControlChannels,
  ...selftestChannels,
  ...settingsChannels,
} as const satisfies Record<string, ChannelSpec>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type InputOf<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInputOf<C extends Channel> = z.output<Contract[C]['input']>;
export type OutputOf<C extends Channel> = z.output<Contract[C]['output']>;

export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
