import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShellArgs } from '../../../src/main/electron/shell-args';

describe('parseShellArgs', () => {
  const cwd = path.resolve('/srv/till');

  it('defaults to the userData folder and a normal window', () => {
    expect(parseShellArgs(['electron', '.'], {}, cwd)).toEqual({
      dataDir: null,
      kiosk: false,
      customerDisplay: false,
    });
  });

  it('reads --data-dir in both forms, relative to the working directory', () => {
    expect(parseShellArgs(['app', '--data-dir', 'data'], {}, cwd).dataDir).toBe(path.join(cwd, 'data'));
    expect(parseShellArgs(['app', '--data-dir=/var/lib/ct'], {}, cwd).dataDir).toBe(
      path.resolve('/var/lib/ct'),
    );
  });

  it('reads kiosk mode from --kiosk or COUNTERTOP_KIOSK=1 only', () => {
    expect(parseShellArgs(['app', '--kiosk'], {}, cwd).kiosk).toBe(true);
    expect(parseShellArgs(['app'], { COUNTERTOP_KIOSK: '1' }, cwd).kiosk).toBe(true);
    expect(parseShellArgs(['app'], { COUNTERTOP_KIOSK: 'yes' }, cwd).kiosk).toBe(false);
  });

  it('ignores switches that belong to Electron, Chromium or the core', () => {
    expect(
      parseShellArgs(['app', '--devices', 'devices.json', '--enable-logging', '--no-sandbox'], {}, cwd),
    ).toEqual({
      dataDir: null,
      kiosk: false,
      customerDisplay: false,
    });
  });

  it('forces the customer display with --customer-display or COUNTERTOP_CUSTOMER_DISPLAY=1 only', () => {
    expect(parseShellArgs(['app', '--customer-display'], {}, cwd).customerDisplay).toBe(true);
    expect(parseShellArgs(['app'], { COUNTERTOP_CUSTOMER_DISPLAY: '1' }, cwd).customerDisplay).toBe(true);
    expect(parseShellArgs(['app'], { COUNTERTOP_CUSTOMER_DISPLAY: 'true' }, cwd).customerDisplay).toBe(false);
  });

  it.each([[['app', '--data-dir']], [['app', '--data-dir', '--kiosk']], [['app', '--data-dir=']]])(
    'refuses a --data-dir without a directory: %j',
    (argv) => {
      expect(() => parseShellArgs(argv, {}, cwd)).toThrow(/--data-dir needs a directory/);
    },
  );
});
