/**
 * Optional voice prompts (speech synthesis) for the total and the change, in the UI language. Off by default;
 * the cashier's choice is kept in localStorage on this station, and every screen sees a change at once.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { Locale } from '../../shared/domain/locale';

const STORAGE_KEY = 'countertop.voicePrompts';
const listeners = new Set<() => void>();

function read(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab of the same station (e.g. a second cashier window) may change it too.
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** Whether voice prompts are on, and a setter that persists the choice. */
export function useVoicePrompts(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(subscribe, read, () => false);
  const set = useCallback((next: boolean) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, next ? 'on' : 'off');
    } catch {
      // Storage disabled: the choice lasts until the page is reloaded.
    }
    for (const listener of listeners) listener();
    if (!next) window.speechSynthesis?.cancel();
  }, []);
  return [on, set];
}

/** Speaks `text` in the UI language, replacing anything still being said. Silently does nothing if unsupported. */
export function speak(text: string, locale: Locale): void {
  const synth = typeof window === 'undefined' ? undefined : window.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return;
  synth.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = locale;
  const voice = synth
    .getVoices()
    .find((v) => v.lang.replace('_', '-').startsWith(locale === 'en' ? 'en' : 'zh'));
  if (voice) utterance.voice = voice;
  synth.speak(utterance);
}
