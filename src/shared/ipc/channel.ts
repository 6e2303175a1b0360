/** The shape of one contract entry and who may call it. */
import type { z } from 'zod';
import type { Permission } from '../domain/permissions';

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

export const channel = <I extends z.ZodType, O extends z.ZodType>(
  spec: ChannelSpec<I, O>,
): ChannelSpec<I, O> => spec;
