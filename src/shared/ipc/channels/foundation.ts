/** Foundation channels: station status, first-run setup, sign-in and sessions, language, staff. */
import { z } from 'zod';
import { channel, type ChannelSpec } from '../channel';
import {
  Empty,
  IdSchema,
  LocaleSchema,
  PersonNameSchema,
  PinSchema,
  RoleSchema,
  SessionInfoSchema,
  StaffMemberSchema,
  StationStatusSchema,
  UserSummarySchema,
  CurrencySchema,
  TaxModeSchema,
  StoreNameSchema,
} from '../schemas';

export const foundationChannels = {
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
  'auth:unlock': channel({
    input: z.strictObject({ pin: PinSchema }),
    output: SessionInfoSchema,
    access: 'session',
  }),
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
