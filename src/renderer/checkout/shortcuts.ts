/**
 * The checkout's keyboard shortcuts, in one table: the key handler matches against it and every button shows
 * its key from it, so what is printed on a button is what works. F5 and F11 (reload, full screen) and F12 in a
 * browser with developer tools are the browser's; F12 has `+` as its twin for that reason.
 */
import { isEditableTarget } from '../hooks/keyboard';

export type CheckoutAction =
  | 'search'
  | 'price'
  | 'quantity'
  | 'park'
  | 'recall'
  | 'voidLine'
  | 'voidSale'
  | 'discount'
  | 'history'
  | 'returns'
  | 'tender';

interface KeySpec {
  readonly key: string;
  readonly shift?: boolean;
  readonly alt?: boolean;
  /** A printable key: only a shortcut when the focus is not in a text field (there it is typed). */
  readonly typed?: boolean;
}

const KEYS: Readonly<Record<CheckoutAction, readonly KeySpec[]>> = {
  search: [{ key: 'F2' }],
  price: [{ key: 'F3' }],
  quantity: [{ key: 'F4' }, { key: '*', typed: true }],
  park: [{ key: 'F6' }],
  recall: [{ key: 'F7' }],
  voidLine: [{ key: 'F8' }],
  voidSale: [{ key: 'F8', shift: true }],
  discount: [{ key: 'F9' }],
  history: [{ key: 'F10' }],
  returns: [{ key: 'r', alt: true }],
  tender: [{ key: 'F12' }, { key: '+', typed: true }],
};

function label(spec: KeySpec): string {
  return `${spec.alt ? 'Alt+' : ''}${spec.shift ? 'Shift+' : ''}${spec.key.length === 1 ? spec.key.toUpperCase() : spec.key}`;
}

/** What a button shows, e.g. "F12 / +". */
export function shortcutLabel(action: CheckoutAction): string {
  return KEYS[action].map(label).join(' / ');
}

function matches(spec: KeySpec, event: KeyboardEvent, editable: boolean): boolean {
  if (spec.typed)
    return !editable && event.key === spec.key && !event.ctrlKey && !event.altKey && !event.metaKey;
  const key = spec.key.length === 1 ? event.key.toLowerCase() : event.key;
  return (
    key === spec.key &&
    event.shiftKey === (spec.shift ?? false) &&
    event.altKey === (spec.alt ?? false) &&
    !event.ctrlKey &&
    !event.metaKey
  );
}

/** The action a key press asks for, or null. */
export function shortcutFor(event: KeyboardEvent): CheckoutAction | null {
  const editable = isEditableTarget(event.target);
  for (const [action, specs] of Object.entries(KEYS) as [CheckoutAction, readonly KeySpec[]][]) {
    if (specs.some((spec) => matches(spec, event, editable))) return action;
  }
  return null;
}
