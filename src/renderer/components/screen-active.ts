import { createContext, useContext } from 'react';

/**
 * Whether the screen around a component takes keys: false while the lock screen covers it. Dialogs and keypads
 * deep inside a screen read it, so a hidden dialog never answers keys meant for the lock screen.
 */
export const ScreenActiveContext = createContext(true);

export function useScreenActive(): boolean {
  return useContext(ScreenActiveContext);
}
