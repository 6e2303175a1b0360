import type { DiagnosisResult } from '../../../drivers/payment/nexo-terminal';
import type { DeviceStatus } from '../../../shared/ipc/channels/devices';
import type { ManagedDevice } from '../devices/device-manager';

/** What the self-test needs of a payment terminal driver: the nexo `DiagnosisRequest`. */
export interface DiagnosableTerminal {
  diagnosis(): Promise<DiagnosisResult>;
}

export interface TerminalAttachment {
  driver: DiagnosableTerminal;
  /** Where it is, e.g. the simulator's URL. */
  connection: string;
  simulated: boolean;
}

export type TerminalCheck =
  { reachable: true; diagnosis: DiagnosisResult } | { reachable: false; reason: string; timedOut: boolean };

/**
 * The payment terminal as a listed device. Card payments go through the sale core's terminal; this only asks
 * the terminal for a diagnosis (at attach, and on each self-test) and shows what it answered. A diagnosis
 * carries no card data.
 */
export class TerminalMonitor implements ManagedDevice {
  readonly id = 'payment_terminal';
  private state: DeviceStatus['state'] = 'starting';
  private condition: string | null = null;
  private reason: string | null = null;
  private updatedAt: string;

  constructor(
    readonly attachment: TerminalAttachment,
    private readonly now: () => Date,
    private readonly onChange: () => void,
  ) {
    this.updatedAt = now().toISOString();
  }

  status(): DeviceStatus {
    return {
      id: this.id,
      category: 'payment_terminal',
      connection: this.attachment.connection,
      simulated: this.attachment.simulated,
      state: this.state,
      condition: this.condition,
      reason: this.reason,
      updatedAt: this.updatedAt,
    };
  }

  /** Asks for a diagnosis, bounded by `timeoutMs` (the driver has its own limit; this one is the self-test's). */
  async check(timeoutMs: number): Promise<TerminalCheck> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<TerminalCheck>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            reachable: false,
            reason: `no answer within ${Math.round(timeoutMs / 1000)} s`,
            timedOut: true,
          }),
        timeoutMs,
      );
    });
    const asked = this.attachment.driver.diagnosis().then(
      (diagnosis): TerminalCheck => ({ reachable: true, diagnosis }),
      (err: unknown): TerminalCheck => {
        const details = (err as { details?: Record<string, unknown> } | null)?.details;
        const reason = typeof details?.['reason'] === 'string' ? `: ${details['reason']}` : '';
        return {
          reachable: false,
          reason: `${err instanceof Error ? err.message : String(err)}${reason}`,
          timedOut: false,
        };
      },
    );
    const result = await Promise.race([asked, timeout]).finally(() => clearTimeout(timer));
    this.observe(result);
    return result;
  }

  private observe(result: TerminalCheck): void {
    const before = JSON.stringify([this.state, this.condition, this.reason]);
    if (result.reachable) {
      this.state = 'online';
      this.condition = result.diagnosis.globalStatus;
      this.reason = result.diagnosis.ok ? null : `terminal reports ${result.diagnosis.globalStatus}`;
    } else {
      this.state = 'offline';
      this.condition = null;
      this.reason = result.reason;
    }
    if (JSON.stringify([this.state, this.condition, this.reason]) !== before) {
      this.updatedAt = this.now().toISOString();
      this.onChange();
    }
  }
}
