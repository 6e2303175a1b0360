import net from 'node:net';

/**
 * A loopback ESC/POS printer on TCP: records every byte it receives and answers `DLE EOT n` (n = 1..4) from a
 * scripted state, like a real printer does, even while "offline". It is the device side of the protocol, used by
 * the tests and as the demo printer.
 *
 * Limitation shared with real printers: a `10 04 n` sequence inside job data is taken as a status query.
 */
export type SimulatorState =
  | 'normal'
  | 'coverOpen'
  | 'paperNearEnd'
  | 'paperOut'
  | 'offline'
  /** Never answers status queries (still records bytes). */
  | 'silent'
  /** Answers every query with a byte lacking the status signature. */
  | 'garbage';

export interface SimulatorOptions {
  state?: SimulatorState;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Drawer sensor pin level reported in DLE EOT 1 bit 2 when no drawer is attached (an attached one starts closed). */
  drawerSensorHigh?: boolean;
  /** A cash drawer on the kick-out connector (the demo printer has one); none by default. */
  drawer?: SimulatedDrawerOptions;
  /** Command language the printer reads (which drawer kick it obeys). Default `epson`. */
  dialect?: 'epson' | 'star';
}

/** A cash drawer hanging on the simulated printer's kick-out connector. */
export interface SimulatedDrawerOptions {
  /** The connector pin the drawer's solenoid is wired to: a kick on the other pin does nothing. */
  pin: 2 | 5;
  /** The sensor level (DLE EOT 1 bit 2) that means open; drawers differ. */
  polarity: 'open_when_high' | 'open_when_low';
  /**
   * After a kick, the drawer is "closed" again by a person after this long; null: only `closeDrawer()` closes it.
   * The demo printer uses about 3 s.
   */
  autoCloseMs: number | null;
}

/** The demo printer's drawer: pin 2, open when high, closed again 3 s after it opened. */
export const DEMO_DRAWER: SimulatedDrawerOptions = {
  pin: 2,
  polarity: 'open_when_high',
  autoCloseMs: 3000,
};

/** The four status bytes for a state (n=1, 2, 3, 4), or null when the state never answers. */
export function statusBytesFor(
  state: SimulatorState,
  drawerSensorHigh = false,
): { 1: number; 2: number; 3: number; 4: number } | null {
  const drawer = drawerSensorHigh ? 0x04 : 0x00;
  const base = 0x12;
  switch (state) {
    case 'normal':
      return { 1: base | drawer, 2: base, 3: base, 4: base };
    case 'paperNearEnd':
      return { 1: base | drawer, 2: base, 3: base, 4: base | 0x0c };
    case 'coverOpen':
      return { 1: base | drawer | 0x08, 2: base | 0x04, 3: base, 4: base };
    case 'paperOut':
      return { 1: base | drawer | 0x08, 2: base | 0x20, 3: base, 4: base | 0x0c | 0x60 };
    case 'offline':
      // Offline with an error: auto-cutter error, recoverable.
      return { 1: base | drawer | 0x08, 2: base | 0x40, 3: base | 0x08 | 0x40, 4: base };
    case 'garbage':
      return { 1: 0xff, 2: 0xff, 3: 0xff, 4: 0xff };
    case 'silent':
      return null;
  }
}

interface Flip {
  afterJobBytes: number;
  state: SimulatorState;
}

/** ESC commands (EPSON) that take exactly one parameter byte: skipped so a parameter is never read as ESC. */
const ESC_ONE_PARAM = new Set([
  0x20, 0x21, 0x2d, 0x33, 0x45, 0x47, 0x4a, 0x4d, 0x52, 0x56, 0x61, 0x64, 0x74, 0x7b,
]);
/** GS commands (EPSON) that take exactly one parameter byte. */
const GS_ONE_PARAM = new Set([0x21, 0x42, 0x48, 0x66, 0x68, 0x77]);

/**
 * Finds complete drawer kicks in a job stream, the way a printer's command parser does: byte by byte across
 * chunks, knowing enough of the command table (parameter counts, length-prefixed blocks: `GS ( k`, `GS v 0`,
 * `GS k`, `ESC *`) that bytes inside an image, a QR code or a parameter are never taken for a kick. EPSON:
 * `ESC p m t1 t2` (m = 0/48 pin 2, 1/49 pin 5); Star Line Mode: `ESC BEL n1 n2` then `BEL` (pin 2) or `SUB`
 * (pin 5). A kick with a zero ON time cannot move the solenoid and is ignored, as is a truncated one.
 */
export class DrawerKickScanner {
  private held: number[] = [];
  private skip = 0;

  constructor(private readonly dialect: 'epson' | 'star' = 'epson') {}

  /** The pins kicked by the complete kicks in `bytes` (with what came before). */
  feed(bytes: Iterable<number>): (2 | 5)[] {
    const kicks: (2 | 5)[] = [];
    for (const b of bytes) {
      if (this.skip > 0) {
        this.skip -= 1;
        continue;
      }
      if (this.held.length === 0) {
        if (b === 0x1b || (this.dialect === 'epson' && b === 0x1d)) this.held.push(b);
        continue;
      }
      this.held.push(b);
      const pin = this.dialect === 'epson' ? this.epson() : this.star();
      if (pin !== null) kicks.push(pin);
    }
    return kicks;
  }

  /** Done with the held command: skip `then` more bytes. */
  private done(then = 0): null {
    this.held = [];
    this.skip = then;
    return null;
  }

  private epson(): 2 | 5 | null {
    const [lead, cmd, ...p] = this.held;
    if (cmd === undefined) return null;
    if (lead === 0x1b) {
      if (cmd === 0x70) {
        if (p.length < 3) return null;
        const [m = 0, t1 = 0] = p;
        this.done();
        if (t1 === 0) return null;
        if (m === 0 || m === 0x30) return 2;
        if (m === 1 || m === 0x31) return 5;
        return null;
      }
      if (cmd === 0x2a) {
        // ESC * m nL nH: nL + 256 nH columns of 1 (8-dot) or 3 (24-dot) bytes.
        if (p.length < 3) return null;
        const [m = 0, nL = 0, nH = 0] = p;
        return this.done((nL + nH * 256) * (m === 0 || m === 1 ? 1 : 3));
      }
      return this.done(ESC_ONE_PARAM.has(cmd) ? 1 : 0);
    }
    // GS
    if (cmd === 0x28) {
      // GS ( fn pL pH data: every GS ( function is length-prefixed.
      if (p.length < 3) return null;
      const [, pL = 0, pH = 0] = p;
      return this.done(pL + pH * 256);
    }
    if (cmd === 0x76) {
      // GS v 0 m xL xH yL yH data
      if (p.length < 6) return null;
      const [, , xL = 0, xH = 0, yL = 0, yH = 0] = p;
      return this.done((xL + xH * 256) * (yL + yH * 256));
    }
    if (cmd === 0x6b) {
      // GS k m: m <= 6 data NUL; m >= 65 n data.
      if (p.length < 1) return null;
      const [m = 0] = p;
      if (m >= 65) {
        if (p.length < 2) return null;
        return this.done(p[1] ?? 0);
      }
      // NUL-terminated data: keep holding until the NUL.
      if (p.length >= 2 && p.at(-1) === 0) return this.done();
      return p.length > 256 ? this.done() : null;
    }
    if (cmd === 0x56) {
      if (p.length < 1) return null;
      const [m = 0] = p;
      return this.done(m === 65 || m === 66 || m === 97 || m === 98 ? 1 : 0);
    }
    return this.done(GS_ONE_PARAM.has(cmd) ? 1 : 0);
  }

  private star(): 2 | 5 | null {
    const [, cmd, ...p] = this.held;
    if (cmd === undefined) return null;
    if (cmd !== 0x07) return this.done();
    if (p.length < 3) return null;
    const [t1 = 0, , fire = 0] = p;
    this.done();
    if (t1 === 0) return null;
    return fire === 0x07 ? 2 : fire === 0x1a ? 5 : null;
  }
}

/**
 * The device side without a wire: feed it the bytes a host sends, get back the bytes the printer answers. Records
 * everything. Shared by the TCP simulator and serial-port tests.
 */
export class EscPosDevice {
  private received: number[] = [];
  private job: number[] = [];
  private queries: number[] = [];
  private flips: Flip[] = [];
  private kicks: DrawerKickScanner;
  private drawer: SimulatedDrawerOptions | null;
  private open = false;
  private sensorLevel: boolean;
  private closeTimer: NodeJS.Timeout | null = null;
  private kicksSeen = 0;
  state: SimulatorState;

  constructor(
    state: SimulatorState = 'normal',
    drawerSensorHigh = false,
    options: { drawer?: SimulatedDrawerOptions | null; dialect?: 'epson' | 'star' } = {},
  ) {
    this.state = state;
    this.sensorLevel = drawerSensorHigh;
    this.drawer = options.drawer ?? null;
    this.kicks = new DrawerKickScanner(options.dialect ?? 'epson');
    // An attached drawer starts closed; its sensor level follows from its polarity.
  }

  /**
   * The sensor level DLE EOT 1 reports (bit 2). With a drawer attached it follows the drawer (through its
   * polarity); setting it moves the drawer as a hand would (no automatic closing then).
   */
  get drawerSensorHigh(): boolean {
    if (!this.drawer) return this.sensorLevel;
    return this.open === (this.drawer.polarity === 'open_when_high');
  }

  set drawerSensorHigh(high: boolean) {
    if (!this.drawer) {
      this.sensorLevel = high;
      return;
    }
    this.cancelAutoClose();
    this.open = high === (this.drawer.polarity === 'open_when_high');
  }

  /** Whether the attached drawer is open (false without a drawer). */
  get drawerOpen(): boolean {
    return this.drawer !== null && this.open;
  }

  /** How many kicks on the drawer's pin arrived (a kick on the other pin, or with no drawer, is not counted). */
  get drawerKicks(): number {
    return this.kicksSeen;
  }

  /** The attached drawer's wiring, or null. */
  get drawerWiring(): SimulatedDrawerOptions | null {
    return this.drawer ? { ...this.drawer } : null;
  }

  /**
   * Attaches (or with null removes) the drawer, e.g. re-wired to the other pin to script "kicked, but the
   * sensor never changes". The drawer starts closed.
   */
  setDrawer(drawer: SimulatedDrawerOptions | null): void {
    this.cancelAutoClose();
    this.drawer = drawer ? { ...drawer } : null;
    this.open = false;
  }

  /** Pushes the drawer shut (a person closing it). */
  closeDrawer(): void {
    this.cancelAutoClose();
    this.open = false;
  }

  /** Stops the drawer's closing timer (the simulator is shutting down). */
  dispose(): void {
    this.cancelAutoClose();
  }

  /** A parser for one connection (a `10 04 n` may be split across chunks). Returns the answer bytes. */
  connection(): (chunk: Uint8Array) => Uint8Array {
    let held: number[] = [];
    return (chunk) => {
      const answers: number[] = [];
      for (const byte of chunk) {
        this.received.push(byte);
        held.push(byte);
        held = this.consume(held, answers);
      }
      return Uint8Array.from(answers);
    };
  }

  /** Switches to `state` once the job bytes received (status queries excluded) reach `afterJobBytes`. */
  flipStateAfter(afterJobBytes: number, state: SimulatorState): void {
    this.flips.push({ afterJobBytes, state });
    this.applyFlips();
  }

  receivedBytes(): Uint8Array {
    return Uint8Array.from(this.received);
  }

  jobBytes(): Uint8Array {
    return Uint8Array.from(this.job);
  }

  statusQueries(): number[] {
    return [...this.queries];
  }

  /**
   * The job bytes received since the last call, and forgets them and the status-query log (the demo printer's
   * paper roll takes them this way, so a station running for days does not grow the recording without bound).
   */
  takeJobBytes(): Uint8Array {
    const out = Uint8Array.from(this.job);
    this.job = [];
    this.received = [];
    this.queries = [];
    return out;
  }

  clearRecording(): void {
    this.received = [];
    this.job = [];
    this.queries = [];
  }

  private consume(held: number[], answers: number[]): number[] {
    const [a, b, c] = held;
    if (a === undefined) return [];
    if (a !== 0x10) {
      this.pushJob(held);
      return [];
    }
    if (b === undefined) return held;
    if (b !== 0x04) {
      this.pushJob([a]);
      return this.consume(held.slice(1), answers);
    }
    if (c === undefined) return held;
    if (c >= 1 && c <= 4) {
      this.queries.push(c);
      const bytes = statusBytesFor(this.state, this.drawerSensorHigh);
      if (bytes !== null) answers.push(bytes[c as 1 | 2 | 3 | 4]);
    } else {
      this.pushJob(held);
    }
    return [];
  }

  private pushJob(bytes: number[]): void {
    for (const b of bytes) this.job.push(b);
    for (const pin of this.kicks.feed(bytes)) this.kicked(pin);
    this.applyFlips();
  }

  /** A complete kick: the solenoid fires only on the pin the drawer is wired to, and not while in error. */
  private kicked(pin: 2 | 5): void {
    const drawer = this.drawer;
    if (!drawer || pin !== drawer.pin || this.state === 'offline') return;
    this.kicksSeen += 1;
    this.open = true;
    this.cancelAutoClose();
    if (drawer.autoCloseMs !== null) {
      this.closeTimer = setTimeout(() => {
        this.closeTimer = null;
        this.open = false;
      }, drawer.autoCloseMs);
      // A demo drawer left open never keeps the process alive.
      this.closeTimer.unref();
    }
  }

  private cancelAutoClose(): void {
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = null;
  }

  private applyFlips(): void {
    const due = this.flips.filter((f) => this.job.length >= f.afterJobBytes);
    if (due.length === 0) return;
    this.flips = this.flips.filter((f) => this.job.length < f.afterJobBytes);
    const last = due[due.length - 1];
    if (last !== undefined) this.state = last.state;
  }
}

/** The loopback TCP printer. */
export class EscPosSimulator {
  readonly host: string;
  readonly device: EscPosDevice;
  private server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private _port = 0;

  private constructor(options: SimulatorOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.device = new EscPosDevice(options.state ?? 'normal', options.drawerSensorHigh ?? false, {
      drawer: options.drawer ?? null,
      dialect: options.dialect ?? 'epson',
    });
    this.server = net.createServer((socket) => this.accept(socket));
  }

  static async start(options: SimulatorOptions = {}): Promise<EscPosSimulator> {
    const sim = new EscPosSimulator(options);
    await new Promise<void>((resolve, reject) => {
      sim.server.once('error', reject);
      sim.server.listen(options.port ?? 0, sim.host, () => {
        sim.server.off('error', reject);
        resolve();
      });
    });
    const address = sim.server.address();
    if (address === null || typeof address === 'string') throw new Error('Simulator has no TCP address');
    sim._port = address.port;
    return sim;
  }

  get port(): number {
    return this._port;
  }

  get address(): string {
    return `tcp://${this.host}:${this._port}`;
  }

  get state(): SimulatorState {
    return this.device.state;
  }

  setState(state: SimulatorState): void {
    this.device.state = state;
  }

  get drawerSensorHigh(): boolean {
    return this.device.drawerSensorHigh;
  }

  set drawerSensorHigh(high: boolean) {
    this.device.drawerSensorHigh = high;
  }

  /** Switches to `state` once the job bytes received (status queries excluded) reach `afterJobBytes`. */
  flipStateAfter(afterJobBytes: number, state: SimulatorState): void {
    this.device.flipStateAfter(afterJobBytes, state);
  }

  /** Whether the attached drawer is open (false without a drawer). */
  get drawerOpen(): boolean {
    return this.device.drawerOpen;
  }

  /** Kicks that opened (or re-opened) the drawer. */
  get drawerKicks(): number {
    return this.device.drawerKicks;
  }

  /** Pushes the drawer shut, as a person would. */
  closeDrawer(): void {
    this.device.closeDrawer();
  }

  /** Attaches, re-wires or (null) removes the drawer. */
  setDrawer(drawer: SimulatedDrawerOptions | null): void {
    this.device.setDrawer(drawer);
  }

  /** Every byte received, status queries included. */
  receivedBytes(): Uint8Array {
    return this.device.receivedBytes();
  }

  /** The bytes received with the `DLE EOT n` queries taken out: what would reach the paper. */
  jobBytes(): Uint8Array {
    return this.device.jobBytes();
  }

  /** The n of every `DLE EOT n` received, in order. */
  statusQueries(): number[] {
    return this.device.statusQueries();
  }

  clearRecording(): void {
    this.device.clearRecording();
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  /** Drops every open connection (a cable pulled); the server keeps listening. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.device.dispose();
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const feed = this.device.connection();
    socket.on('data', (chunk: Buffer) => {
      const answer = feed(chunk);
      if (answer.length > 0 && !socket.destroyed) socket.write(answer);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }
}
