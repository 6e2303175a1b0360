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
 *
 * Magstripe readers in keyboard mode are wedge devices too: a device-speed burst starting with `%` or `;` is a
 * swipe. It is never replayed into a field nor passed to `onScan`; it is classified here with the shared card rules
 * (a bank card becomes only its masked number) and the classified read goes to `onCard`, or is dropped when the
 * screen takes no cards. The timing decisions live in `wedge-detector.ts` (pure, unit-tested).
 */
import { useEffect, useEffectEvent } from 'react';
import { useClient } from '../ipc/context';
import { classifySwipe, type CardReadEvent, type CardRules } from '../../shared/domain/card';
import { FIRST_KEY_HOLD_MS, WedgeDetector, type Decision, type KeyClass } from './wedge-detector';

export {
  FIRST_KEY_HOLD_MS,
  SCAN_MAX_KEY_GAP_MS,
  SCAN_MAX_LENGTH,
  SCAN_MIN_LENGTH,
  SCAN_TERMINATOR,
} from './wedge-detector';

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

function keyClass(event: KeyboardEvent): KeyClass {
  if (event.key === 'Enter') return 'enter';
  const plain = !event.ctrlKey && !event.metaKey && !event.altKey && !event.repeat && !event.isComposing;
  if (!plain) return 'other';
  if (SCAN_CHARACTER.test(event.key)) return 'char';
  return event.key === ' ' ? 'space' : 'other';
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
 * (and drops it while it is covered). `onCard` receives classified card swipes (see above).
 */
export function useScanner(
  onScan: (code: string) => void,
  onCard?: (read: CardReadEvent) => void,
  cardRules?: CardRules,
): void {
  const scanned = useEffectEvent(onScan);
  const client = useClient();
  // Device scanners (USB HID POS, serial, the simulator) are read in the core and arrive as `scanner:scan`:
  // they take the same path as a wedge scan, so the screen cannot tell them apart.
  useEffect(() => client.onEvent('scanner:scan', (scan) => scanned(scan.code)), [client]);
  const swiped = useEffectEvent((text: string) => {
    // The swipe text lives only in this call: classified, then dropped.
    const read = classifySwipe(text, cardRules);
    onCard?.(read);
  });
  useEffect(() => {
    const detector = new WedgeDetector();
    let held: HeldKey[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;

    const apply = (decision: Decision, event?: KeyboardEvent): void => {
      clearTimeout(timer);
      timer = undefined;
      if (decision.held !== 'keep') {
        const keys = held;
        held = [];
        if (decision.held === 'release') for (const key of keys) replay(key);
      }
      if (event !== undefined && decision.key !== 'pass') {
        swallow(event);
        if (decision.key === 'hold') {
          held.push({ key: event.key, code: event.code, shiftKey: event.shiftKey, target: event.target });
        }
      }
      if (decision.result?.kind === 'scan') scanned(decision.result.code);
      else if (decision.result?.kind === 'swipe') swiped(decision.result.text);
      if (decision.armTimer || held.length > 0) {
        // When the hold time is up, settle in a task queued behind any keys already waiting to be dispatched: on a
        // busy terminal the next key of a scan (typed in time, by its timestamp) may be queued but not yet handled,
        // and settling first would split the scan into typed keys.
        timer = setTimeout(() => {
          timer = setTimeout(() => apply(detector.timeout()), 0);
        }, FIRST_KEY_HOLD_MS);
      }
    };

    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.isTrusted || MODIFIERS.has(event.key)) return;
      if (held.length === 0 && takesKeysWeCannotReplay(event.target)) return;
      apply(detector.onKey({ key: event.key, kind: keyClass(event), at: event.timeStamp }), event);
    };

    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      apply(detector.timeout());
      clearTimeout(timer);
    };
  }, []);
}
