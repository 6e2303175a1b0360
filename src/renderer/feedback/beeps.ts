/**
 * Short beeps for scan OK and scan error, synthesised with WebAudio (no audio files to ship or to load).
 * The AudioContext is created on first use, which is always right after a key press or tap, so the browser's
 * autoplay policy lets it start.
 */

interface Tone {
  readonly frequency: number;
  readonly ms: number;
  /** Silence before this tone, after the previous one. */
  readonly gapMs: number;
}

const SCAN_OK: readonly Tone[] = [{ frequency: 1760, ms: 70, gapMs: 0 }];
const SCAN_ERROR: readonly Tone[] = [
  { frequency: 330, ms: 140, gapMs: 0 },
  { frequency: 220, ms: 220, gapMs: 60 },
];
const VOLUME = 0.15;

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    return context;
  } catch {
    return null;
  }
}

function play(tones: readonly Tone[]): void {
  const ctx = audio();
  if (!ctx) return;
  let at = ctx.currentTime;
  for (const tone of tones) {
    at += tone.gapMs / 1000;
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = 'square';
    oscillator.frequency.value = tone.frequency;
    // A quick fade in and out avoids clicks at the edges of the tone.
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(VOLUME, at + 0.005);
    gain.gain.setValueAtTime(VOLUME, at + tone.ms / 1000 - 0.01);
    gain.gain.linearRampToValueAtTime(0, at + tone.ms / 1000);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(at);
    oscillator.stop(at + tone.ms / 1000);
    at += tone.ms / 1000;
  }
}

export const beepScanOk = (): void => play(SCAN_OK);
export const beepScanError = (): void => play(SCAN_ERROR);
