/**
 * Client-side checks for the forms, using the contract's own schemas so the UI and the gate agree on what is
 * valid. They only give earlier, friendlier feedback; the core validates again.
 */
import type { z } from 'zod';
import { PinSchema } from '../shared/ipc/contract';

export type FieldError =
  | { readonly kind: 'required' }
  | { readonly kind: 'tooLong'; readonly max: number }
  | { readonly kind: 'pinFormat' }
  | { readonly kind: 'pinMismatch' };

export function checkName(value: string, schema: z.ZodString): FieldError | null {
  if (value.trim() === '') return { kind: 'required' };
  if (!schema.safeParse(value).success)
    return { kind: 'tooLong', max: schema.maxLength ?? value.trim().length };
  return null;
}

export function checkPin(pin: string): FieldError | null {
  if (pin === '') return { kind: 'required' };
  return PinSchema.safeParse(pin).success ? null : { kind: 'pinFormat' };
}

export function checkPinConfirm(pin: string, confirm: string): FieldError | null {
  if (confirm === '') return { kind: 'required' };
  return pin === confirm ? null : { kind: 'pinMismatch' };
}

/** Keeps only digits, at most the longest PIN the contract allows. */
export function digitsOnly(value: string): string {
  return value.replace(/\D/g, '').slice(0, PIN_MAX_LENGTH);
}

export const PIN_MIN_LENGTH = 4;
export const PIN_MAX_LENGTH = 8;

/** The id of the first field with an error, in form order, to move focus there. */
export function firstInvalid<K extends string>(
  order: readonly K[],
  errors: Partial<Record<K, FieldError | null>>,
) {
  return order.find((key) => errors[key]) ?? null;
}
