/**
 * Keyboard-wedge barcode scanners "type" the code and press Enter. They type fast — a key every ~1–20 ms — while
 * people type a key every ~80–200 ms. This hook listens on the window in the capture phase (before any field or
 * keypad sees the key) and tells the two apart by timing:
 *
 * - a printable key is held back (swallowed) for up to `FIRST_KEY_HOLD_MS`;
 * - if more keys follow at scanner speed and Enter ends them (and there are at least `SCAN_MIN_LENGTH`), the
 *   whole burst is a scan: nothing of it reaches the focused field, and `onScan(code)` runs;
 * - otherwise the held keys were typed by a person and are given back to whatever had focus, in order (a
 *   synthetic keydown for the keypad and shortcuts, and the character inserted into a text field).
 *
 * Our own replayed events are untrusted (`isTrusted === false`), which is how the hook lets them through.
 */
import { useEffect, useEffectEvent } from 'react';

/** Longest pause between two keys of one scan. Scanners: ~1–20 ms; people rarely type faster than ~80 ms. */
export const SCAN_MAX_KEY_GAP_MS = 50;
/** How long a lone key is held back before it is treated as typed by a person. */
export const FIRST_KEY_HOLD_MS = SCAN_MAX_KEY_GAP_MS;
/** Shorter bursts ending in Enter are fast typing, not a scan (no product code is this short). */
export const SCAN_MIN_LENGTH = 4;
/** Longest code the contract accepts (`sale:scan`); a longer burst is a stuck key, not a scan. */
export const SCAN_MAX_LENGTH = 128;
/** The suffix key scanners send after the code. */
export const SCAN_TERMINATOR = 'Enter';

/** Printable ASCII except space: what barcodes are made of. A space stays with the focused control. */
const SCAN_CHARACTER = /^[\x21-\x7e]$/;
const TEXT_INPUT_TYPES: readonly string[] = ['text', 'search', 'tel', 'url', 'email', 'password'];
const BUTTON_INPUT_TYPES: readonly string[] = [
  'button',
  'submit',
  'reset',
  'checkbox',
  'radio',
  'image',
  'file',
];
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);

interface HeldKey {
  readonly key: string;
  readonly code: string;
  readonly shiftKey: boolean;
  readonly target: EventTarget | null;
}

function isScanCharacter(event: KeyboardEvent): boolean {
  return (
    SCAN_CHARACTER.test(event.key) &&
    !event.ctrlKey &&
    !event.metaKey &&
    !event.altKey &&
    !event.repeat &&
    !event.isComposing
  );
}

function isTextField(target: EventTarget | null): target is HTMLInputElement | HTMLTextAreaElement {
  if (target instanceof HTMLTextAreaElement) return !target.readOnly && !target.disabled;
  return (
    target instanceof HTMLInputElement &&
    TEXT_INPUT_TYPES.includes(target.type) &&
    !target.readOnly &&
    !target.disabled
  );
}

/**
 * A field that takes keys natively but whose text we cannot insert into (date, number, select): a held key could
 * not be given back to it, so keys aimed at it are not held. Such fields are rare at the till (the history date).
 */
function takesKeysWeCannotReplay(target: EventTarget | null): boolean {
  if (target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement) || target.readOnly || target.disabled) return false;
  return !TEXT_INPUT_TYPES.includes(target.type) && !BUTTON_INPUT_TYPES.includes(target.type);
}

/** Inserts typed text at the caret the way typing would, so React's onChange sees it. */
function insertText(field: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  field.setRangeText(text, start, end, 'end');
  field.dispatchEvent(new InputEvent('input', { bubbles: true, data: text, inputType: 'insertText' }));
}

/** Gives a held key back to the element it was meant for (or to what has focus now, if that one is gone). */
function replay(key: HeldKey): void {
  const target =
    key.target instanceof Element && key.target.isConnected
      ? key.target
      : (document.activeElement ?? document.body);
  const event = new KeyboardEvent('keydown', {
    key: key.key,
    code: key.code,
    shiftKey: key.shiftKey,
    bubbles: true,
    cancelable: true,
  });
  if (target.dispatchEvent(event) && isTextField(target)) insertText(target, key.key);
}

function swallow(event: KeyboardEvent): void {
  event.preventDefault();
  event.stopImmediatePropagation();
}

/**
 * Captures scanner input on the whole window for as long as the calling screen is mounted — also while the lock
 * screen covers it, so a scan never lands in the lock screen's PIN pad. The screen decides what a scan means
 * (and drops it while it is covered).
 */
export function useScanner(onScan: (code: string) => void): void {
  const scanned = useEffectEvent(onScan);
  useEffect(() => {
    let held: HeldKey[] = [];
    let lastKeyAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const releaseHeld = () => {
      clearTimeout(timer);
      timer = undefined;
      const keys = held;
      held = [];
      for (const key of keys) replay(key);
    };

    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.isTrusted || MODIFIERS.has(event.key)) return;
      if (held.length === 0 && takesKeysWeCannotReplay(event.target)) return;
      const fast = held.length > 0 && event.timeStamp - lastKeyAt <= SCAN_MAX_KEY_GAP_MS;

      if (event.key === SCAN_TERMINATOR && fast && held.length >= SCAN_MIN_LENGTH) {
        swallow(event);
        clearTimeout(timer);
        timer = undefined;
        const code = held.map((k) => k.key).join('');
        held = [];
        scanned(code);
        return;
      }
      if (isScanCharacter(event) && held.length < SCAN_MAX_LENGTH) {
        // A slow key after held ones: those were typed by a person; this one starts a new wait.
        if (held.length > 0 && !fast) releaseHeld();
        swallow(event);
        held.push({ key: event.key, code: event.code, shiftKey: event.shiftKey, target: event.target });
        lastKeyAt = event.timeStamp;
        clearTimeout(timer);
        timer = setTimeout(releaseHeld, FIRST_KEY_HOLD_MS);
        return;
      }
      // Anything else (Backspace, arrows, F-keys, a short Enter): first give back what was held, in order,
      // then let this key do what it does.
      if (held.length > 0) releaseHeld();
    };

    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      releaseHeld();
    };
  }, []);
}
