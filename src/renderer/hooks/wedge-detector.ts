/**
 * The timing logic of keyboard-wedge devices, without the DOM, so it can be unit-tested in Node with recorded
 * keystroke timings. `useScanner` feeds it every key and carries out its decisions on real events.
 *
 * Scanners and card readers "type" a key every ~1–20 ms; people type a key every ~80–200 ms. A printable key is held
 * back; if more keys follow at device speed and Enter ends them, the burst was a scan. Otherwise the held keys were
 * typed by a person and are given back, in order.
 *
 * Magstripe readers in keyboard mode type `%…?;…?` (track 1 has spaces in the name) with or without a final Enter.
 * A burst that starts with `%` or `;` and continues at device speed is a swipe: it may contain spaces, it ends at
 * Enter or when the keys stop, and its keys are NEVER given back to a field — they may be a bank card's track data,
 * which must not land in an input, a log or the IPC. The swipe text goes only to the card classifier.
 */

/** Longest pause between two keys of one scan. Scanners: ~1–20 ms; people rarely type faster than ~80 ms. */
export const SCAN_MAX_KEY_GAP_MS = 50;
/** How long a lone key is held back before it is treated as typed by a person. */
export const FIRST_KEY_HOLD_MS = SCAN_MAX_KEY_GAP_MS;
/** Shorter bursts ending in Enter are fast typing, not a scan (no product code is this short). */
export const SCAN_MIN_LENGTH = 4;
/** Longest code the contract accepts (`sale:scan`); a longer burst is a stuck key, not a scan. */
export const SCAN_MAX_LENGTH = 128;
/** Tracks 1 + 2 + 3 with sentinels fit in 256 characters. */
export const SWIPE_MAX_LENGTH = 256;
/**
 * After a swipe cut short by a pause (a busy terminal, a hesitant reader), the rest of the card's keys may still
 * come: keys closer together than this are the card's tail and are dropped, never turned into a scan or typed.
 */
export const SWIPE_TAIL_GAP_MS = 300;
/** Characters no barcode we sell by carries but every magstripe track does: such a "scan" is card data. */
const TRACK_CHARACTERS = /[=^?]/;
/** The suffix key scanners send after the code. */
export const SCAN_TERMINATOR = 'Enter';

/**
 * What a key is, as far as the detector cares. `char`: printable ASCII except space, with no modifier (what barcodes
 * are made of); `space`: a plain space; `enter`: the terminator; `other`: anything else.
 */
export type KeyClass = 'char' | 'space' | 'enter' | 'other';

export interface KeyInput {
  key: string;
  kind: KeyClass;
  /** Event time in ms (DOM `timeStamp`). */
  at: number;
}

export type DetectorResult = { kind: 'scan'; code: string } | { kind: 'swipe'; text: string };

export interface Decision {
  /** The keys held before this one: keep holding, give back (typed by a person), or drop (consumed by a result). */
  held: 'keep' | 'release' | 'drop';
  /** A scan or swipe completed by this key (or by the timeout). */
  result: DetectorResult | null;
  /** This key: hold it back, swallow it (it ended a scan/swipe), or let it through. */
  key: 'hold' | 'swallow' | 'pass';
  /** (Re)arm the hold timer; when it fires, call `timeout()`. */
  armTimer: boolean;
}

const keep = (key: Decision['key'], armTimer = false): Decision => ({
  held: 'keep',
  result: null,
  key,
  armTimer,
});

export class WedgeDetector {
  private held: string[] = [];
  private lastAt = 0;
  /** Dropping the tail of a swipe that a pause cut short (see SWIPE_TAIL_GAP_MS). */
  private inSwipeTail = false;

  get heldCount(): number {
    return this.held.length;
  }

  /** A swipe once a device-speed key followed the start sentinel (a lone `;` typed by a person is not one). */
  private get swiping(): boolean {
    return this.held.length >= 2 && (this.held[0] === '%' || this.held[0] === ';');
  }

  onKey(input: KeyInput): Decision {
    if (this.inSwipeTail) {
      if (input.at - this.lastAt <= SWIPE_TAIL_GAP_MS && input.kind !== 'other') {
        this.lastAt = input.at;
        if (input.kind === 'enter') this.inSwipeTail = false;
        return keep('swallow');
      }
      this.inSwipeTail = false;
    }
    const n = this.held.length;
    const fast = n > 0 && input.at - this.lastAt <= SCAN_MAX_KEY_GAP_MS;

    if (input.kind === 'enter') {
      if (fast && this.swiping) return this.finish('swallow');
      if (fast && n >= SCAN_MIN_LENGTH) {
        const code = this.take();
        // Track data that lost its start sentinel (a pause split the swipe) goes to the card classifier, which
        // keeps nothing of it — never to the core as a barcode.
        const result: DetectorResult = TRACK_CHARACTERS.test(code)
          ? { kind: 'swipe', text: code }
          : { kind: 'scan', code };
        return { held: 'drop', result, key: 'swallow', armTimer: false };
      }
      return n > 0 ? this.giveBack('pass') : keep('pass');
    }

    const swipeSpace = input.kind === 'space' && fast && this.swiping;
    if (input.kind === 'char' || swipeSpace) {
      const limit = this.swiping ? SWIPE_MAX_LENGTH : SCAN_MAX_LENGTH;
      if (n > 0 && !fast && this.swiping) {
        // A pause inside a swipe: what came so far is classified (and kept nowhere); this key and the keys that
        // follow close behind it are the rest of the card, dropped.
        const cut = this.finish('swallow');
        this.inSwipeTail = true;
        this.lastAt = input.at;
        return cut;
      }
      if (n > 0 && !fast) {
        // A slow key after held ones: those were typed by a person; this one starts a new wait.
        const before = this.giveBack('hold');
        this.held = [input.key];
        this.lastAt = input.at;
        return { ...before, armTimer: true };
      }
      if (n < limit) {
        this.held.push(input.key);
        this.lastAt = input.at;
        return keep('hold', true);
      }
    }
    // Anything else (Backspace, arrows, F-keys, a short Enter, an overlong burst): first settle what was held, then
    // let this key do what it does.
    return n > 0 ? this.giveBack('pass') : keep('pass');
  }

  /** The hold timer fired (or the screen is going away): settle what is held. */
  timeout(): Decision {
    if (this.held.length === 0) return keep('pass');
    if (this.swiping) {
      // A swipe ends here (readers without an Enter suffix) or was cut by a pause: either way any late keys of it
      // are dropped.
      this.inSwipeTail = true;
      return this.finish('pass');
    }
    return this.giveBack('pass');
  }

  /** Held keys go back to the person — unless they are a swipe, which is consumed and classified instead. */
  private giveBack(key: Decision['key']): Decision {
    if (this.swiping) return this.finish(key);
    this.held = [];
    return { held: 'release', result: null, key, armTimer: false };
  }

  private finish(key: Decision['key']): Decision {
    const text = this.take();
    return { held: 'drop', result: { kind: 'swipe', text }, key, armTimer: false };
  }

  private take(): string {
    const text = this.held.join('');
    this.held = [];
    return text;
  }
}
