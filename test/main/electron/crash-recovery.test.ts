import { describe, expect, it } from 'vitest';
import { reloadAfterRendererCrash } from '../../../src/main/electron/crash-recovery';
import { FakeWebContents } from './fake-electron';
import { silentLogger } from './helpers';

describe('reloadAfterRendererCrash', () => {
  function watched() {
    const contents = new FakeWebContents();
    let now = 0;
    const scheduled: { run: () => void; delayMs: number }[] = [];
    let quitting = false;
    reloadAfterRendererCrash(contents, {
      logger: silentLogger,
      isQuitting: () => quitting,
      now: () => now,
      schedule: (run, delayMs) => scheduled.push({ run, delayMs }),
    });
    return {
      contents,
      scheduled,
      advance: (ms: number) => (now += ms),
      quit: () => (quitting = true),
    };
  }

  it('reloads at once after a single crash', () => {
    const { contents, scheduled } = watched();
    contents.crash('oom');
    expect(contents.reloads).toBe(1);
    expect(scheduled).toEqual([]);
  });

  it('backs off when the page keeps crashing, and forgets crashes older than a minute', () => {
    const { contents, scheduled, advance } = watched();
    for (let i = 0; i < 8; i += 1) {
      contents.crash();
      advance(100);
    }
    expect(contents.reloads).toBe(1);
    expect(scheduled.map((s) => s.delayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    scheduled[0]!.run();
    expect(contents.reloads).toBe(2);

    advance(61_000);
    contents.crash();
    expect(contents.reloads).toBe(3);
  });

  it('does not reload while quitting or once destroyed', () => {
    const { contents, scheduled, quit } = watched();
    contents.crash();
    contents.crash();
    quit();
    scheduled[0]!.run();
    contents.crash();
    expect(contents.reloads).toBe(1);

    const other = watched();
    other.contents.destroyed = true;
    other.contents.crash();
    expect(other.contents.reloads).toBe(0);
  });
});
