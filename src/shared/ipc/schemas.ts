/** Schemas shared by several channels (ids, PINs, sessions, staff …). */
import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../domain/permissions';
import { CURRENCY_CODES } from '../domain/money';
import { LOCALES, TAX_MODES } from '../domain/locale';

// --- building blocks -----------------------------------------------------------------------------------------

export const PinSchema = z.string().regex(/^\d{4,8}$/, 'PIN must be 4 to 8 digits');
export const IdSchema = z.uuid();
export const LocaleSchema = z.enum(LOCALES);
export const RoleSchema = z.enum(ROLES);
export const PermissionSchema = z.enum(PERMISSIONS);
export const CurrencySchema = z.enum(CURRENCY_CODES);
export const TaxModeSchema = z.enum(TAX_MODES);
export const StoreNameSchema = z.string().trim().min(1).max(80);
export const PersonNameSchema = z.string().trim().min(1).max(60);
export const Empty = z.strictObject({});

export const UserSummarySchema = z.object({ id: IdSchema, name: z.string(), role: RoleSchema });
export type UserSummary = z.infer<typeof UserSummarySchema>;

export const SessionInfoSchema = z.object({
  user: UserSummarySchema,
  permissions: z.array(PermissionSchema),
  locked: z.boolean(),
  idleLockSeconds: z.number().int(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const StationStatusSchema = z.object({
  version: z.string(),
  stationId: IdSchema,
  setupRequired: z.boolean(),
  storeName: z.string().nullable(),
  locale: LocaleSchema,
  currency: CurrencySchema.nullable(),
  taxMode: TaxModeSchema.nullable(),
  session: SessionInfoSchema.nullable(),
});
export type StationStatus = z.infer<typeof StationStatusSchema>;

export const StaffMemberSchema = z.object({
  id: IdSchema,
  name: z.string(),
  role: RoleSchema,
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
});
export type StaffMember = z.infer<typeof StaffMemberSchema>;
