/**
 * Store sync channels: enrolment with the store server, status, "sync now", the quarantine of rejected events
 * and the offline policy. The credential never crosses the gate; the status says whether there is one.
 *
 * `sync:status` is for every signed-in user: the header badge and the sign-out / restore warnings need
 * `pendingEvents`. Everything else needs `sync.manage` (technician, manager, admin).
 */
import { z } from 'zod';
import { GIFT_CARD_OFFLINE_POLICIES } from '../../sync/gift-cards';
import { channel, type ChannelSpec } from '../channel';
import { Empty } from '../schemas';

/** `http(s)://host[:port][/path]`, no user info, query or fragment (the core checks it again). */
export const ServerUrlSchema = z
  .string()
  .trim()
  .min(8)
  .max(300)
  .regex(/^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/i, 'The server URL must be http(s)://host[:port]');

/** SHA-256 of the server certificate: 64 hex digits, with or without `:` separators. */
export const CertFingerprintSchema = z
  .string()
  .trim()
  .max(120)
  .regex(/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/, 'A SHA-256 fingerprint is 32 bytes of hex');

export const SYNC_STATES = ['not_enrolled', 'online', 'offline', 'refused'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export const SyncErrorSchema = z.object({
  /** `network`, `pin_mismatch`, `protocol`, or the server's error code (`revoked`, `unavailable` …). */
  code: z.string(),
  message: z.string(),
  at: z.string(),
});

export const SyncProgressSchema = z.object({
  /** Changes applied so far in this catch-up. */
  applied: z.number().int().min(0),
  /** Changes the server still has after the cursor (its estimate). */
  remaining: z.number().int().min(0),
  cursor: z.number().int().min(0),
});
export type SyncProgress = z.infer<typeof SyncProgressSchema>;

export const SyncStatusSchema = z.object({
  state: z.enum(SYNC_STATES),
  serverUrl: z.string().nullable(),
  storeId: z.string().nullable(),
  storeName: z.string().nullable(),
  /** Whether the server certificate is pinned. */
  pinned: z.boolean(),
  enrolledAt: z.string().nullable(),
  /** Outbox events the server has not acknowledged: a loud warning before sign-out of the last shift or a restore. */
  pendingEvents: z.number().int().min(0),
  quarantined: z.number().int().min(0),
  lastPushAt: z.string().nullable(),
  lastPullAt: z.string().nullable(),
  lastError: SyncErrorSchema.nullable(),
  cursor: z.number().int().min(0),
  /** Since when the server has not been reached (null when online or never tried). */
  offlineSince: z.string().nullable(),
  offlineWarnMinutes: z.number().int().min(0),
  /** Offline longer than the policy allows: the manager is warned. */
  offlineWarning: z.boolean(),
  /** Gift cards while the store server cannot be reached: `block` refuses them, `allow` takes them unverified. */
  giftCardOffline: z.enum(GIFT_CARD_OFFLINE_POLICIES),
  /** A large pull in progress. */
  progress: SyncProgressSchema.nullable(),
  /** When the next attempt is due after a failure (null when not waiting for a retry). */
  retryAt: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const QuarantinedEventSchema = z.object({
  seq: z.number().int(),
  eventId: z.string(),
  type: z.string(),
  createdAt: z.string(),
  code: z.string(),
  message: z.string(),
  quarantinedAt: z.string(),
  /** The event body as it was sent (JSON text, cut at 20,000 characters). */
  payload: z.string(),
});
export type QuarantinedEvent = z.infer<typeof QuarantinedEventSchema>;

export const syncChannels = {
  'sync:status': channel({ input: Empty, output: SyncStatusSchema, access: 'signed_in' }),
  /** Enrols this station with a one-time code from the store server (replaces an earlier enrolment). */
  'sync:enrol': channel({
    input: z.strictObject({
      serverUrl: ServerUrlSchema,
      code: z.string().trim().min(6).max(64),
      certSha256: CertFingerprintSchema.optional(),
    }),
    output: SyncStatusSchema,
    access: 'sync.manage',
  }),
  /** Starts a push and pull now (after a failure: without waiting for the backoff). */
  'sync:now': channel({ input: Empty, output: SyncStatusSchema, access: 'sync.manage' }),
  'sync:quarantine': channel({
    input: z.strictObject({
      limit: z.number().int().min(1).max(200).optional(),
      offset: z.number().int().min(0).max(1_000_000).optional(),
    }),
    output: z.object({ items: z.array(QuarantinedEventSchema), total: z.number().int().min(0) }),
    access: 'sync.manage',
  }),
  'sync:set-policy': channel({
    input: z.strictObject({
      offlineWarnMinutes: z.number().int().min(0).max(100_000),
      /** Unchanged when absent. */
      giftCardOffline: z.enum(GIFT_CARD_OFFLINE_POLICIES).optional(),
    }),
    output: SyncStatusSchema,
    access: 'sync.manage',
  }),
} as const satisfies Record<string, ChannelSpec>;
