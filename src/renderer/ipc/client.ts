/**
 * The typed client the whole UI uses. Built from the contract: channel names, inputs and outputs are checked
 * by the compiler, and replies and pushed events are checked against the contract's zod schemas at runtime, so
 * a core of a different version shows up as a clear error, not as `undefined` deep inside a screen.
 * `call` never rejects: failures come back as `{ ok: false, error }` like everything else from the gate.
 */
import { z } from 'zod';
import type { CountertopApi } from '../../shared/ipc/api';
import { contract, type Channel, type InputOf, type OutputOf } from '../../shared/ipc/contract';
import { eventSchemas, type EventName, type EventPayload } from '../../shared/ipc/events';
import { ERROR_CODES, type ErrorData, type NextAction, type Result } from '../../shared/domain/errors';

export interface CountertopClient {
  call<C extends Channel>(channel: C, input: InputOf<C>): Promise<Result<OutputOf<C>>>;
  onEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Sees every failed call (e.g. to notice `session_locked` from any screen). */
  onFailure(listener: (error: ErrorData, channel: Channel) => void): () => void;
}

const NEXT_ACTIONS = Object.keys({
  retry: true,
  ask_supervisor: true,
  sign_in: true,
  scan_again: true,
  try_another_card: true,
  call_technician: true,
} satisfies Record<NextAction, true>) as [NextAction, ...NextAction[]];

/** Lenient on purpose: whatever the core sends, the UI gets a well-formed ErrorData to show. */
const ErrorDataSchema = z.object({
  code: z.enum(ERROR_CODES).catch('internal'),
  message: z.string().catch(''),
  details: z.record(z.string(), z.unknown()).optional().catch(undefined),
  action: z.enum(NEXT_ACTIONS).optional().catch(undefined),
});

const ResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorDataSchema }),
]);

function internal(message: string): ErrorData {
  return { code: 'internal', message };
}

export function createClient(api: CountertopApi): CountertopClient {
  const failureListeners = new Set<(error: ErrorData, channel: Channel) => void>();

  const fail = (channel: Channel, error: ErrorData): Result<never> => {
    for (const listener of failureListeners) listener(error, channel);
    return { ok: false, error };
  };

  return {
    async call<C extends Channel>(channel: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
      let raw: unknown;
      try {
        raw = await api.invoke(channel, input);
      } catch (cause) {
        console.error(`[countertop] ${channel}: transport threw`, cause);
        return fail(channel, internal(`The call to ${channel} could not be made`));
      }
      const result = ResultSchema.safeParse(raw);
      if (!result.success) {
        console.error(`[countertop] ${channel}: malformed reply`, result.error.issues);
        return fail(channel, internal(`Malformed reply from ${channel}`));
      }
      if (!result.data.ok) return fail(channel, result.data.error);
      const output: z.ZodType = contract[channel].output;
      const value = output.safeParse(result.data.value);
      if (!value.success) {
        console.error(`[countertop] ${channel}: reply does not match the contract`, value.error.issues);
        return fail(channel, internal(`Unexpected reply from ${channel}`));
      }
      return { ok: true, value: value.data as OutputOf<C> };
    },

    onEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
      const schema: z.ZodType = eventSchemas[name];
      return api.onEvent((event) => {
        if (event.name !== name) return;
        const payload = schema.safeParse(event.payload);
        if (payload.success) listener(payload.data as EventPayload<E>);
        else console.warn(`[countertop] ignored malformed ${name} event`, payload.error.issues);
      });
    },

    onFailure(listener) {
      failureListeners.add(listener);
      return () => {
        failureListeners.delete(listener);
      };
    },
  };
}
