/**
 * Backup channels: the schedule (folder, interval, keep last N, passphrase), on-demand backups, history, and
 * restore (administrators only). The passphrase crosses once, when it is set, and on restore; the station keeps
 * only a key derived from it (see migrations/0007_controls.sql) and never logs or returns it.
 */
import { z } from 'zod';
import { channel, type ChannelSpec } from '../channel';
import { Empty } from '../schemas';

export const MIN_PASSPHRASE_LENGTH = 10;
export const PassphraseSchema = z.string().min(MIN_PASSPHRASE_LENGTH).max(1024);
/** An absolute folder or file path on the station computer (checked again by the core). */
const LocalPath = z.string().trim().min(1).max(1024);

export const BACKUP_RUN_KINDS = ['scheduled', 'manual'] as const;

/** The schedule's settings, validated here and by the table's CHECKs. */
export const BackupScheduleSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  folder: LocalPath,
  intervalMinutes: z.number().int().min(15).max(10_080),
  keepLast: z.number().int().min(1).max(365),
});
export type BackupScheduleSettings = z.infer<typeof BackupScheduleSettingsSchema>;

export const BackupConfigSchema = BackupScheduleSettingsSchema.extend({ updatedAt: z.string() });

export const BackupRunSchema = z.object({
  id: z.string(),
  kind: z.enum(BACKUP_RUN_KINDS),
  status: z.enum(['created', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string(),
  file: z.string().nullable(),
  bytes: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type BackupRunView = z.infer<typeof BackupRunSchema>;

export const BackupStatusSchema = z.object({
  config: BackupConfigSchema.nullable(),
  running: z.boolean(),
  nextDueAt: z.string().nullable(),
  lastSuccess: BackupRunSchema.nullable(),
  lastRun: BackupRunSchema.nullable(),
  /** Sync events not yet acknowledged by the store server: a restore would lose them. */
  unsentEvents: z.number().int(),
  /** A sale is open or being paid: a restore is refused until it is finished or voided. */
  saleOpen: z.boolean(),
});
export type BackupStatus = z.infer<typeof BackupStatusSchema>;

export const BackupFileSchema = z.object({
  name: z.string(),
  path: z.string(),
  bytes: z.number().int(),
  createdAt: z.string().nullable(),
  schemaVersion: z.number().int().nullable(),
});
export type BackupFileView = z.infer<typeof BackupFileSchema>;

export const backupChannels = {
  'backup:status': channel({ input: Empty, output: BackupStatusSchema, access: 'backup.manage' }),
  /** `passphrase` is required the first time and replaces the key when given later. */
  'backup:configure': channel({
    input: BackupScheduleSettingsSchema.extend({ passphrase: PassphraseSchema.optional() }),
    output: BackupStatusSchema,
    access: 'backup.manage',
  }),
  'backup:run': channel({ input: Empty, output: BackupRunSchema, access: 'backup.manage' }),
  'backup:history': channel({
    input: z.strictObject({ limit: z.number().int().min(1).max(200).optional() }),
    output: z.array(BackupRunSchema),
    access: 'backup.manage',
  }),
  /** The backups in the configured folder, newest first (read from their headers; no passphrase needed). */
  'backup:files': channel({ input: Empty, output: z.array(BackupFileSchema), access: 'backup.restore' }),
  /**
   * Replaces the station database with a backup. Refused (nothing changed) for a wrong passphrase, a damaged
   * or truncated file, an open sale, or unsent sync events without `confirmUnsentLoss`. On success the station
   * closes its database: every later call is refused until Countertop is restarted.
   */
  'backup:restore': channel({
    input: z.strictObject({
      file: LocalPath,
      passphrase: PassphraseSchema,
      confirmUnsentLoss: z.boolean(),
    }),
    output: z.object({
      keptAs: z.string().nullable(),
      schemaVersion: z.number().int(),
      restartRequired: z.literal(true),
    }),
    access: 'backup.restore',
  }),
} as const satisfies Record<string, ChannelSpec>;
