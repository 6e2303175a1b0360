import { useEffect, useEffectEvent } from 'react';

/** True when the key belongs to a text field (so global shortcuts and the PIN pad must leave it alone). */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file'].includes(
      target.type,
    );
  }
  return false;
}

/** True when Enter/Space on the target already activates it natively (a focused button or link). */
export function isActivatableTarget(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLButtonElement ||
    target instanceof HTMLAnchorElement ||
    (target instanceof HTMLInputElement &&
      ['button', 'submit', 'reset', 'checkbox', 'radio'].includes(target.type))
  );
}

/** A window-level keydown listener while `active`; the handler always sees the latest props and state. */
export function useKeyDown(handler: (event: KeyboardEvent) => void, active = true): void {
  const onKeyDown = useEffectEvent(handler);
  useEffect(() => {
    if (!active) return;
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [active]);
}
