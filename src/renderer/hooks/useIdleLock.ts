import { useEffect, useEffectEvent } from 'react';

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Calls `onIdle` once after `seconds` without keyboard, pointer or touch activity. Off when `seconds` <= 0
 * (the core's way of saying "never lock on idle") or when not `enabled` (signed out or already locked).
 */
export function useIdleLock(enabled: boolean, seconds: number, onIdle: () => void): void {
  const fire = useEffectEvent(onIdle);
  useEffect(() => {
    if (!enabled || !(seconds > 0)) return;
    const limit = seconds * 1000;
    let last = Date.now();
    const activity = () => {
      last = Date.now();
    };
    let timer: ReturnType<typeof setTimeout>;
    // One timer that re-arms itself for the remaining time, instead of resetting a timer on every mouse move.
    const check = () => {
      const idle = Date.now() - last;
      if (idle >= limit) fire();
      else timer = setTimeout(check, limit - idle);
    };
    timer = setTimeout(check, limit);
    for (const name of ACTIVITY_EVENTS)
      window.addEventListener(name, activity, { capture: true, passive: true });
    return () => {
      clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, activity, { capture: true });
    };
  }, [enabled, seconds]);
}
