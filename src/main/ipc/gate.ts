import type { z } from 'zod';
import { AppError, type ErrorData, type Result } from '../../shared/domain/errors';
import { OVERRIDABLE, PERMISSIONS, type Permission } from '../../shared/domain/permissions';
import {
  contract,
  isChannel,
  type Access,
  type Channel,
  type OutputOf,
  type ParsedInputOf,
} from '../../shared/ipc/contract';
import type { AuthService, Caller } from '../core/auth/auth-service';

export interface HandlerContext {
  connectionId: string;
  /** The signed-in caller; null only for `public` channels called before sign-in. */
  caller: Caller | null;
}

export type Handler<C extends Channel> = (
  input: ParsedInputOf<C>,
  ctx: HandlerContext,
) => OutputOf<C> | Promise<OutputOf<C>>;
export type Handlers = { [C in Channel]: Handler<C> };
/** The handlers of one area's channel map (see src/shared/ipc/channels/). */
export type HandlersFor<M> = { [C in keyof M & Channel]: Handler<C> };

/** The caller of a channel whose access requires a session (the gate guarantees it; this narrows the type). */
export function callerOf(ctx: HandlerContext): Caller {
  if (!ctx.caller) throw new AppError('unauthenticated', 'Please sign in first.', undefined, 'sign_in');
  return ctx.caller;
}

export interface GateLogger {
  error(message: string, err: unknown): void;
}

export interface GateOptions {
  /** Validate handler outputs against the contract (a mismatch is a bug: reported as `internal`). */
  checkOutputs?: boolean;
  logger?: GateLogger;
  /** When it returns an error, every channel but `app:status` fails with it (a damaged database, say). */
  blocked?: () => ErrorData | null;
}

const MAX_ISSUES = 10;
const PERMISSION_SET: ReadonlySet<string> = new Set(PERMISSIONS);

/**
 * The one function every IPC request goes through, in this order: the channel is in the contract; the sender
 * is a window/connection we created; the input parses with the channel's strict schema; the caller's session
 * has the access the channel needs; then the handler runs. Every outcome is `{ ok, value } | { ok, error }`:
 * no stack trace, SQL or exception crosses to the renderer.
 */
export class Gate {
  private readonly trusted = new Set<string>();
  private readonly checkOutputs: boolean;
  private readonly logger: GateLogger;
  private readonly blocked: () => ErrorData | null;

  constructor(
    private readonly handlers: Handlers,
    private readonly auth: AuthService,
    options: GateOptions = {},
  ) {
    this.checkOutputs = options.checkOutputs ?? true;
    this.logger = options.logger ?? { error: (message, err) => console.error(message, err) };
    this.blocked = options.blocked ?? (() => null);
  }

  /** Called by a host when it creates a window or accepts an authenticated connection. */
  registerConnection(connectionId: string): void {
    this.trusted.add(connectionId);
  }

  unregisterConnection(connectionId: string): void {
    this.trusted.delete(connectionId);
    this.auth.disconnect(connectionId);
  }

  isTrusted(connectionId: string): boolean {
    return this.trusted.has(connectionId);
  }

  async handle(connectionId: string, channel: unknown, rawInput: unknown): Promise<Result<unknown>> {
    try {
      if (!isChannel(channel)) {
        return failure({
          code: 'unknown_channel',
          message: `Unknown channel: ${String(channel).slice(0, 64)}`,
        });
      }
      if (!this.trusted.has(connectionId)) {
        return failure({
          code: 'forbidden',
          message: 'This caller is not a window or connection of this station.',
        });
      }
      const spec = contract[channel];
      const parsed = (spec.input as z.ZodType).safeParse(rawInput);
      if (!parsed.success) {
        return failure({
          code: 'bad_input',
          message: `Invalid input for ${channel}.`,
          details: {
            issues: parsed.error.issues.slice(0, MAX_ISSUES).map((i) => ({
              path: i.path.map(String).join('.').slice(0, 200),
              code: i.code,
              message: i.message.slice(0, 200),
            })),
          },
        });
      }
      const blocked = channel === 'app:status' ? null : this.blocked();
      if (blocked) return failure(blocked);
      const caller = this.auth.caller(connectionId);
      const denied = checkAccess(spec.access, caller);
      if (denied) return failure(denied);
      if (spec.access !== 'public' && spec.access !== 'session') this.auth.touch(connectionId);

      const handler = this.handlers[channel] as Handler<Channel>;
      const value = await handler(parsed.data as ParsedInputOf<Channel>, { connectionId, caller });
      if (this.checkOutputs) {
        const out = (spec.output as z.ZodType).safeParse(value);
        if (!out.success) {
          this.logger.error(
            `Handler ${channel} returned a value that does not match the contract`,
            out.error,
          );
          return failure({
            code: 'internal',
            message: 'The station returned an unexpected answer. Nothing was changed on screen.',
          });
        }
        return { ok: true, value: out.data };
      }
      return { ok: true, value };
    } catch (err) {
      return failure(this.toErrorData(channel, err));
    }
  }

  private toErrorData(channel: unknown, err: unknown): ErrorData {
    if (err instanceof AppError) return err.toData();
    const code = (err as { code?: unknown } | null)?.code;
    this.logger.error(`Handler ${String(channel)} failed`, err);
    if (typeof code === 'string' && code.startsWith('SQLITE_')) {
      return {
        code: 'storage_error',
        message: 'The station could not save or read its data. Nothing was changed.',
        action: 'call_technician',
      };
    }
    return {
      code: 'internal',
      message: 'Something went wrong in the station. The action was not completed.',
      action: 'retry',
    };
  }
}

function failure(error: ErrorData): Result<never> {
  return { ok: false, error };
}

/** Returns the error for a caller lacking the channel's access, or null when access is granted. */
export function checkAccess(access: Access, caller: Caller | null): ErrorData | null {
  if (access === 'public') return null;
  if (!caller) return { code: 'unauthenticated', message: 'Please sign in first.', action: 'sign_in' };
  if (access === 'session') return null;
  if (caller.locked)
    return { code: 'session_locked', message: 'The screen is locked. Enter your PIN to continue.' };
  if (access === 'signed_in') return null;
  if (!PERMISSION_SET.has(access)) throw new Error(`Contract access is not a permission: ${access}`);
  const permission: Permission = access;
  if (caller.permissions.has(permission)) return null;
  const overridable = OVERRIDABLE.has(permission);
  return {
    code: 'permission_denied',
    message: `Your role (${caller.user.role}) may not do this.`,
    details: { permission, overridable },
    ...(overridable ? { action: 'ask_supervisor' as const } : {}),
  };
}
