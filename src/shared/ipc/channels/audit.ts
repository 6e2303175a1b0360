/**
 * Audit channels (manager screen): browse the hash-chained audit log newest first with filters, export it as
 * CSV, and check the chain. Exporting and checking are themselves written to the log.
 */
import { z } from 'zod';
import { channel, type ChannelSpec } from '../channel';
import { Empty, IdSchema } from '../schemas';

export const AUDIT_BREAK_REASONS = ['edited', 'deleted', 'reordered', 'inserted'] as const;

/** The most rows one export may hold; a longer range must be narrowed (the CLI has no such limit). */
export const MAX_AUDIT_EXPORT_ROWS = 100_000;
export const MAX_AUDIT_PAGE = 200;

const IsoTime = z.iso.datetime({ offset: true });
const ActionName = z.string().regex(/^[a-z][a-z0-9_.]{0,63}$/, 'An action name like sale.completed');

export const AuditFilterSchema = z.strictObject({
  userId: IdSchema.optional(),
  action: ActionName.optional(),
  /** Inclusive start and exclusive end, ISO 8601 with an offset. */
  from: IsoTime.optional(),
  to: IsoTime.optional(),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  action: z.string(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditPageSchema = z.object({
  entries: z.array(AuditEntrySchema),
  /** Pass as `beforeSeq` for the next (older) page; null when this is the last page. */
  nextBeforeSeq: z.number().int().nullable(),
});

export const AuditVerdictSchema = z.discriminatedUnion('intact', [
  z.object({ intact: z.literal(true), rows: z.number().int(), lastSeq: z.number().int() }),
  z.object({
    intact: z.literal(false),
    seq: z.number().int(),
    id: z.string().nullable(),
    reason: z.enum(AUDIT_BREAK_REASONS),
    message: z.string(),
  }),
]);
export type AuditVerdictView = z.infer<typeof AuditVerdictSchema>;

export const auditChannels = {
  'audit:list': channel({
    input: AuditFilterSchema.extend({
      beforeSeq: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(MAX_AUDIT_PAGE).optional(),
    }),
    output: AuditPageSchema,
    access: 'audit.view',
  }),
  /** Who and what can be filtered on: staff that appear in the log and the action names used. */
  'audit:facets': channel({
    input: Empty,
    output: z.object({
      users: z.array(z.object({ id: z.string(), name: z.string() })),
      actions: z.array(z.string()),
    }),
    access: 'audit.view',
  }),
  'audit:export': channel({
    input: AuditFilterSchema,
    output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
    access: 'audit.view',
  }),
  'audit:verify': channel({ input: Empty, output: AuditVerdictSchema, access: 'audit.view' }),
} as const satisfies Record<string, ChannelSpec>;
