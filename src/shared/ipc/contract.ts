/**
 * THE IPC contract: every call the renderer can make, with its zod input and output schemas and the access it
 * needs. Adding a call is one entry here plus one handler in src/main/ipc/handlers.ts; the compiler finds the rest.
 *
 * Inputs are strict objects (unknown keys are rejected) with bounded strings and arrays, so hostile or broken
 * input is refused by the gate before any handler runs.
 */
import { z } from 'zod';
import { PERMISSIONS, ROLES, type Permission } from '../domain/permissions';
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
const Empty = z.strictObject({});

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

// --- access --------------------------------------------------------------------------------------------------

/**
 * Who may call a channel:
 * - `public`: anyone on a trusted connection (status, sign-in, first-run setup);
 * - `session`: a connection with a session, even a locked one (unlock, sign out);
 * - `signed_in`: an unlocked session;
 * - a permission: an unlocked session whose role holds it.
 */
export type Access = 'public' | 'session' | 'signed_in' | Permission;

export interface ChannelSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly access: Access;
}

const channel = <I extends z.ZodType, O extends z.ZodType>(spec: ChannelSpec<I, O>): ChannelSpec<I, O> => spec;

// --- channels ------------------------------------------------------------------------------------------------

export const contract = {
  'app:status': channel({ input: Empty, output: StationStatusSchema, access: 'public' }),

  'setup:complete': channel({
    input: z.strictObject({
      storeName: StoreNameSchema,
      currency: CurrencySchema,
      locale: LocaleSchema,
      taxMode: TaxModeSchema,
      adminName: PersonNameSchema,
      adminPin: PinSchema,
    }),
    output: SessionInfoSchema,
    access: 'public',
  }),

  'auth:users': channel({ input: Empty, output: z.array(UserSummarySchema), access: 'public' }),
  'auth:sign-in': channel({
    input: z.strictObject({ userId: IdSchema, pin: PinSchema }),
    output: SessionInfoSchema,
    access: 'public',
  }),
  'auth:lock': channel({ input: Empty, output: SessionInfoSchema, access: 'signed_in' }),
  'auth:unlock': channel({ input: z.strictObject({ pin: PinSchema }), output: SessionInfoSchema, access: 'session' }),
  'auth:sign-out': channel({ input: Empty, output: z.null(), access: 'session' }),

  'ui:set-locale': channel({
    input: z.strictObject({ locale: LocaleSchema }),
    output: z.object({ locale: LocaleSchema }),
    access: 'public',
  }),

  'staff:list': channel({ input: Empty, output: z.array(StaffMemberSchema), access: 'staff.manage' }),
  'staff:create': channel({
    input: z.strictObject({ name: PersonNameSchema, role: RoleSchema, pin: PinSchema }),
    output: StaffMemberSchema,
    access: 'staff.manage',
  }),
  'staff:unlock': channel({
    input: z.strictObject({ userId: IdSchema }),
    output: StaffMemberSchema,
    access: 'staff.manage',
  }),
  'staff:set-active': channel({
    input: z.strictObject({ userId: IdSchema, active: z.boolean() }),
    output: StaffMemberSchema,
    access: 'staff.manage',
  }),
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
