import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/domain/errors';
import type { ParsedInputOf, SessionInfo } from '../../shared/ipc/contract';
import type { Db } from '../db/open';
import type { AuthService } from './auth/auth-service';
import { hashPin } from './auth/pin-hash';
import type { Clock } from './clock';
import type { Journal } from './journal';
import type { SettingsRepo } from './settings';

/**
 * First-run setup: store name, currency, locale, tax mode and the first administrator. It runs once; there
 * are no default accounts or PINs. The whole setup is one transaction with its audit row.
 */
export class SetupService {
  constructor(
    private readonly db: Db,
    private readonly settings: SettingsRepo,
    private readonly auth: AuthService,
    private readonly journal: Journal,
    private readonly clock: Clock,
  ) {}

  isSetUp(): boolean {
    return this.settings.get('setupCompletedAt') !== null;
  }

  async complete(connectionId: string, input: ParsedInputOf<'setup:complete'>): Promise<SessionInfo> {
    if (this.isSetUp()) throw new AppError('already_set_up', 'This station is already set up.');
    const pinHash = await hashPin(input.adminPin);
    const adminId = randomUUID();
    const now = this.clock.now();
    try {
      this.db.transaction(() => {
        // Checked again inside the transaction: two setup screens racing must not both win.
        if (this.settings.get('setupCompletedAt') !== null)
          throw new AppError('already_set_up', 'This station is already set up.');
        this.settings.set(
          {
            storeName: input.storeName,
            currency: input.currency,
            locale: input.locale,
            taxMode: input.taxMode,
            setupCompletedAt: now.toISOString(),
          },
          now,
        );
        this.auth.insertUser(adminId, input.adminName, 'admin', pinHash);
        this.journal.audit({
          at: now,
          userId: adminId,
          action: 'station.setup_completed',
          details: {
            storeName: input.storeName,
            currency: input.currency,
            locale: input.locale,
            taxMode: input.taxMode,
            adminName: input.adminName,
          },
        });
      })();
    } catch (err) {
      this.settings.invalidate();
      throw err;
    }
    return this.auth.startSession(connectionId, adminId);
  }
}
