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
  /** Drawer sensor pin level reported in DLE EOT 1 bit 2. */
  drawerSensorHigh?: boolean;
}

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

/**
 * The device side without a wire: feed it the bytes a host sends, get back the bytes the printer answers. Records
 * everything. Shared by the TCP simulator and serial-port tests.
 */
export class EscPosDevice {
  private received: number[] = [];
  private job: number[] = [];
  private queries: number[] = [];
  private flips: Flip[] = [];
  state: SimulatorState;
  drawerSensorHigh: boolean;

  constructor(state: SimulatorState = 'normal', drawerSensorHigh = false) {
    this.state = state;
    this.drawerSensorHigh = drawerSensorHigh;
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
    this.applyFlips();
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
    this.device = new EscPosDevice(options.state ?? 'normal', options.drawerSensorHigh ?? false);
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
