/**
 * The customer-facing window: full screen on the first display that is not the primary, or, when forced
 * (`--customer-display`) and there is only one display, a window on the primary. It follows the screen:
 * a display plugged in opens (or moves) it, a display unplugged closes (or moves) it.
 */
import type { DisplayPart, RectanglePart, ScreenPart, ShellLogger, WindowPart } from './electron-parts';

export interface CustomerDisplayPlacement {
  displayId: number;
  bounds: RectanglePart;
  fullscreen: boolean;
}

/** The forced window on a single screen: at most 1024 × 768, centred in the primary's work area. */
function windowedOn(display: DisplayPart): CustomerDisplayPlacement {
  const area = display.workArea;
  const width = Math.min(1024, area.width);
  const height = Math.min(768, area.height);
  return {
    displayId: display.id,
    bounds: {
      x: area.x + Math.floor((area.width - width) / 2),
      y: area.y + Math.floor((area.height - height) / 2),
      width,
      height,
    },
    fullscreen: false,
  };
}

/**
 * Where the customer display belongs, or null for nowhere. A display it already uses (`currentId`) is kept
 * while it is still there and not the primary, so plugging in a third screen does not move it.
 */
export function customerDisplayPlacement(
  displays: readonly DisplayPart[],
  primary: DisplayPart,
  forced: boolean,
  currentId: number | null = null,
): CustomerDisplayPlacement | null {
  const secondaries = displays.filter((display) => display.id !== primary.id);
  const target = secondaries.find((display) => display.id === currentId) ?? secondaries[0];
  if (target) return { displayId: target.id, bounds: target.bounds, fullscreen: true };
  return forced ? windowedOn(primary) : null;
}

export interface CustomerDisplayOptions {
  screen: ScreenPart;
  /** `--customer-display`: open it on the primary when there is no other display. */
  forced: boolean;
  /** Creates, secures and loads the window (the lifecycle's job). */
  open(placement: CustomerDisplayPlacement): WindowPart;
  /** False while quitting or when there is no station window to follow. */
  canOpen(): boolean;
  logger: ShellLogger;
}

export interface CustomerDisplay {
  /** The open customer window, if any. */
  window(): WindowPart | null;
  /** Opens, moves or closes the window to match the displays now connected. */
  sync(): void;
  /** Closes the window (with the station window); `sync` may open it again. */
  close(): void;
}

const samePlace = (a: CustomerDisplayPlacement, b: CustomerDisplayPlacement): boolean =>
  a.displayId === b.displayId && a.fullscreen === b.fullscreen;

export function manageCustomerDisplay(options: CustomerDisplayOptions): CustomerDisplay {
  const { screen, logger } = options;
  let current: { window: WindowPart; placement: CustomerDisplayPlacement } | null = null;

  const close = (): void => {
    const open = current;
    current = null;
    if (open && !open.window.isDestroyed()) open.window.destroy();
  };

  /** `removedId`: the display just unplugged, left out in case the list still has it. */
  const sync = (removedId: number | null = null): void => {
    if (current?.window.isDestroyed()) current = null;
    const displays = screen.getAllDisplays().filter((display) => display.id !== removedId);
    const placement = options.canOpen()
      ? customerDisplayPlacement(
          displays,
          screen.getPrimaryDisplay(),
          options.forced,
          current?.placement.displayId,
        )
      : null;
    if (current && placement && samePlace(current.placement, placement)) return;
    if (current) logger.info('Closing the customer display window.');
    close();
    if (!placement) return;
    logger.info(
      placement.fullscreen
        ? `Opening the customer display on display ${placement.displayId}.`
        : 'Opening the customer display in a window (no second display).',
    );
    const window = options.open(placement);
    const opened = { window, placement };
    current = opened;
    // Closed by hand (or with the app): nothing to do but forget it; the station window stays open.
    window.once('closed', () => {
      if (current === opened) current = null;
    });
  };

  screen.on('display-added', () => sync());
  screen.on('display-removed', (_event, display) => sync(display.id));

  return {
    window: () => (current && !current.window.isDestroyed() ? current.window : null),
    sync: () => sync(),
    close,
  };
}
