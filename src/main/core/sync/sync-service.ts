import { AppError } from '../../../shared/domain/errors';
import type { QuarantinedEvent, SyncProgress, SyncStatus } from '../../../shared/ipc/channels/sync';
import {
  EnrolResponseSchema,
  MAX_PULL_PAGE,
  PullResponseSchema,
  type PullResponse,
} from '../../../shared/sync/protocol';
import type { GiftCardHoldRequest, GiftCardOfflinePolicy } from '../../../shared/sync/gift-cards';
import type { Db } from '../../db/open';
import type { CatalogService } from '../catalog/catalog-service';
import type { Clock } from '../clock';
import type { StationEvents } from '../events';
import type { Journal } from '../journal';
import type { GiftCardAuthority, GiftCardBalanceOutcome, GiftCardHoldOutcome } from '../sale/gift-cards';
import type { SettingsRepo } from '../settings';
import { Backoff, type BackoffOptions } from './backoff';
import { ProductPreparer } from '../catalog/product-preparer';
import {
  ChangeApplier,
  PageOutOfOrder,
  pageParts,
  productInputOf,
  type PageReport,
  type PreparedChanges,
} from './change-applier';
import { requestGiftCardBalance, requestGiftCardHold } from './gift-card-holds';
import { normaliseFingerprint, SyncHttpClient, SyncRequestError, type SyncFailure } from './http-client';
import { Pusher, type PushReport } from './pusher';
import { PageFeed } from './page-feed';
import { SyncStore, type EnrolmentRow } from './sync-store';

export interface SyncDeps {
  db: Db;
  journal: Journal;
  clock: Clock;
  events: StationEvents;
  settings: SettingsRepo;
  catalog: CatalogService;
  stationId: string;
  version: string;
  /**
   * Resolves to false when the station database failed its integrity check (the station's background check):
   * sync then writes nothing to it. Awaited before every cycle, so nothing is written before the check ran.
   */
  databaseSound?: () => Promise<boolean>;
}

export interface SyncServiceOptions {
  /** How often an idle station pushes and pulls (default 15 s). */
  pollIntervalMs?: number;
  /** After a new outbox row, wait this long to gather a batch (default 250 ms). */
  pushDelayMs?: number;
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
  /**
   * How long a gift-card hold may take before the till treats the server as unreachable (default 8 s): a
   * customer is waiting, unlike for the background push and pull.
   */
  giftCardTimeoutMs?: number;
  /** Push batches in flight at once while a backlog drains (default 2, see Pusher). */
  pushWindow?: number;
  /**
   * Changes per pull request (≤ 1,000, the default). Each page is applied in parts of `changesPerTransaction`,
   * every part together with the cursor at its last change in ONE SQLite transaction — so a crash between parts
   * neither skips nor repeats a change. Fewer, bigger requests: a 1M-product first pull took 100.5 s with
   * 1,000-change requests and 126.9 s with 500 (two runs on the 2-core machine, similar load).
   */
  pageSize?: number;
  /**
   * Changes applied per SQLite transaction (default 500). A page bigger than this is written in parts, each with
   * the cursor at its last change, so a first pull of a big catalog never holds the event loop for long.
   */
  changesPerTransaction?: number;
  /**
   * The bundled product preparation worker (product-preparer.ts); null prepares pulled products in-process.
   * Default: the bundle next to the running script, if there is one.
   */
  prepareWorkerFile?: string | null;
  /** Where sync writes its log lines (never the credential). Default: console.warn. */
  log?: (message: string) => void;
  /** Observers for tests and the soak. */
  onPage?: (report: PageReport) => void;
  onPush?: (report: PushReport) => void;
  onRetry?: (delayMs: number, failure: SyncFailure) => void;
}

/** What one full cycle did: everything pending pushed, every page pulled. */
export interface CycleReport {
  pushed: PushReport[];
  pulled: PageReport[];
}

const DEFAULT_POLL_MS = 15_000;
const DEFAULT_PUSH_DELAY_MS = 250;
const DEFAULT_GIFT_CARD_TIMEOUT_MS = 8_000;
const MAX_PAYLOAD_SHOWN = 20_000;
/** At most this often a `sync:changed` status while a backlog is pushed or pulled. */
const STATUS_INTERVAL_MS = 250;
/**
 * Pull pages fetched (and prepared) ahead of the one being written (page-feed.ts): two keep the request chain
 * busy while a page waits to be written, and bound the memory a fast server can fill (~1 MB a page).
 */
const PAGES_AHEAD = 2;
/**
 * Measured on the 2-core reference machine (200,000-product first pull, a scanner calling every 50 ms): parts of
 * 250 → 18.3 s, scan latency p50 11 / p99 37 ms; 500 → 16.2 s, p50 20 / p99 52 ms; whole pages of 1,000 →
 * 15.9 s, p50 31 / p99 78 ms. 500 keeps nearly all the throughput and the till interactive.
 */
const DEFAULT_CHANGES_PER_TRANSACTION = 500;

/** The loop is told to stop (station closing, new enrolment). */
class Stopped extends Error {}

/**
 * Store sync in the background: push the outbox, pull the change feed, again and again; the station sells
 * without ever waiting for it. One cycle at a time (the loop, "sync now" and tests share one lock), so the
 * station never sends in parallel with itself. Failures back off exponentially with full jitter; a refused
 * credential (revoked, unknown) stops the loop until a new enrolment — no hot loop against a server that said no.
 */
export class SyncService implements GiftCardAuthority {
  readonly store: SyncStore;
  private readonly applier: ChangeApplier;
  private readonly backoff: Backoff;
  private readonly pollIntervalMs: number;
  private readonly pushDelayMs: number;
  private readonly pageSize: number;
  private readonly changesPerTransaction: number;
  private readonly log: (message: string) => void;
  /** Pulled products are checked and indexed for search here, a page ahead of the one being written. */
  private readonly preparer: ProductPreparer;

  private client: SyncHttpClient | null = null;
  private pusher: Pusher | null = null;
  /**
   * Gift-card holds use their own client: a short timeout (a customer waits at the till), and not cut by the
   * loop's stop/backoff. Keyed by the enrolment it was made for.
   */
  private giftCards: { server: string; client: SyncHttpClient } | null = null;
  private running = false;
  /** Bumped by stop(): a cycle of an older epoch applies nothing more. */
  private epoch = 0;
  private loopDone: Promise<void> = Promise.resolve();
  /** The cycle in progress (the lock). */
  private cycle: Promise<unknown> = Promise.resolve();
  private wakeTimer: NodeJS.Timeout | null = null;
  private wakeAt = Infinity;
  private wake: (() => void) | null = null;
  private inBackoff = false;
  private parked = false;
  private unsubscribeOutbox: (() => void) | null = null;

  private online = false;
  private offlineSince: Date | null = null;
  private lastError: SyncStatus['lastError'] = null;
  private progress: SyncProgress | null = null;
  private retryAt: Date | null = null;

  constructor(
    private readonly deps: SyncDeps,
    private readonly options: SyncServiceOptions = {},
  ) {
    this.store = new SyncStore(deps.db);
    this.log = options.log ?? ((message) => console.warn(message));
    this.applier = new ChangeApplier({ ...deps, store: this.store, log: this.log });
    this.preparer =
      options.prepareWorkerFile === undefined
        ? new ProductPreparer()
        : new ProductPreparer(options.prepareWorkerFile);
    this.backoff = new Backoff(options.backoff);
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    this.pushDelayMs = options.pushDelayMs ?? DEFAULT_PUSH_DELAY_MS;
    this.pageSize = Math.min(MAX_PULL_PAGE, options.pageSize ?? MAX_PULL_PAGE);
    this.changesPerTransaction = Math.max(
      1,
      options.changesPerTransaction ?? DEFAULT_CHANGES_PER_TRANSACTION,
    );
  }

  // --- status -----------------------------------------------------------------------------------------------

  status(): SyncStatus {
    const enrolment = this.store.enrolment();
    const state = this.store.state();
    const now = this.deps.clock.now();
    const lastContact = latest(state.last_push_at, state.last_pull_at, enrolment?.enrolled_at ?? null);
    const offline = enrolment !== undefined && !this.online;
    const offlineSince = offline ? (this.offlineSince?.toISOString() ?? lastContact) : null;
    const warnMs = state.offline_warn_minutes * 60_000;
    return {
      state:
        enrolment === undefined
          ? 'not_enrolled'
          : enrolment.refused_at !== null
            ? 'refused'
            : this.online
              ? 'online'
              : 'offline',
      serverUrl: enrolment?.server_url ?? null,
      storeId: enrolment?.store_id ?? null,
      storeName: enrolment?.store_name ?? null,
      pinned: (enrolment?.cert_sha256 ?? null) !== null,
      enrolledAt: enrolment?.enrolled_at ?? null,
      pendingEvents: this.store.pendingCount(),
      quarantined: this.store.quarantinedCount(),
      lastPushAt: state.last_push_at,
      lastPullAt: state.last_pull_at,
      lastError:
        this.lastError ??
        (enrolment?.refused_at
          ? {
              code: enrolment.refused_code ?? 'revoked',
              message: 'The server refused this station.',
              at: enrolment.refused_at,
            }
          : null),
      cursor: state.pull_cursor,
      offlineSince,
      offlineWarnMinutes: state.offline_warn_minutes,
      giftCardOffline: state.gift_card_offline,
      offlineWarning:
        offline &&
        warnMs > 0 &&
        lastContact !== null &&
        now.getTime() - new Date(lastContact).getTime() > warnMs,
      progress: this.progress,
      retryAt: this.retryAt?.toISOString() ?? null,
    };
  }

  quarantine(limit = 50, offset = 0): { items: QuarantinedEvent[]; total: number } {
    return {
      items: this.store.quarantined(limit, offset).map((r) => ({
        seq: r.seq,
        eventId: r.event_id,
        type: r.type,
        createdAt: r.created_at,
        code: r.code,
        message: r.message,
        quarantinedAt: r.quarantined_at,
        payload:
          r.payload.length > MAX_PAYLOAD_SHOWN ? `${r.payload.slice(0, MAX_PAYLOAD_SHOWN)}…` : r.payload,
      })),
      total: this.store.quarantinedCount(),
    };
  }

  setPolicy(
    policy: { offlineWarnMinutes: number; giftCardOffline?: GiftCardOfflinePolicy | undefined },
    userId: string | null,
  ): SyncStatus {
    const at = this.deps.clock.now();
    this.deps.db.transaction(() => {
      const before = this.store.state().gift_card_offline;
      this.store.setOfflineWarnMinutes(policy.offlineWarnMinutes);
      if (policy.giftCardOffline !== undefined) this.store.setGiftCardOfflinePolicy(policy.giftCardOffline);
      const details: Record<string, unknown> = { offlineWarnMinutes: policy.offlineWarnMinutes };
      if (policy.giftCardOffline !== undefined) {
        details['giftCardOffline'] = policy.giftCardOffline;
        details['giftCardOfflineBefore'] = before;
      }
      this.deps.journal.audit({ at, userId, action: 'sync.policy_changed', details });
    })();
    return this.changed();
  }

  // --- gift cards -------------------------------------------------------------------------------------------

  /**
   * Asks the store server to hold an amount on a gift card (src/shared/sync/gift-cards.ts), with this station's
   * credential and a bounded timeout. Never throws for the network, never logs: the request carries the number.
   */
  async holdGiftCard(request: GiftCardHoldRequest): Promise<GiftCardHoldOutcome> {
    const enrolment = this.store.enrolment();
    if (enrolment === undefined || enrolment.refused_at !== null) return { status: 'not_enrolled' };
    return requestGiftCardHold(this.giftCardClient(enrolment), enrolment.credential, request);
  }

  /** What is on a gift card, asked of the store server (nothing is reserved; never logs the number). */
  async giftCardBalance(number: string): Promise<GiftCardBalanceOutcome> {
    const enrolment = this.store.enrolment();
    if (enrolment === undefined || enrolment.refused_at !== null) return { status: 'not_enrolled' };
    return requestGiftCardBalance(this.giftCardClient(enrolment), enrolment.credential, number);
  }

  giftCardOfflinePolicy(): GiftCardOfflinePolicy {
    return this.store.state().gift_card_offline;
  }

  private giftCardClient(enrolment: EnrolmentRow): SyncHttpClient {
    const server = `${enrolment.server_url} ${enrolment.cert_sha256 ?? ''} ${enrolment.enrolled_at}`;
    if (this.giftCards?.server !== server) {
      this.giftCards?.client.close();
      this.giftCards = {
        server,
        client: new SyncHttpClient({
          baseUrl: enrolment.server_url,
          certSha256: enrolment.cert_sha256,
          timeoutMs: this.options.giftCardTimeoutMs ?? DEFAULT_GIFT_CARD_TIMEOUT_MS,
        }),
      };
    }
    return this.giftCards.client;
  }

  // --- enrolment --------------------------------------------------------------------------------------------

  /**
   * Trades a one-time code for this station's credential and stores it (with the URL and the pin) in the
   * station database, with an audit row that names neither code nor credential. Replaces an earlier enrolment;
   * a different server or store restarts the change feed from its beginning.
   */
  async enrol(
    input: { serverUrl: string; code: string; certSha256?: string | undefined; stationName?: string },
    userId: string | null,
  ): Promise<SyncStatus> {
    if (!(await this.databaseSound())) {
      throw new AppError(
        'storage_error',
        'The station database is damaged: nothing more is written to it. Call a technician to restore a backup.',
        undefined,
        'call_technician',
      );
    }
    const serverUrl = normaliseServerUrl(input.serverUrl);
    const pin = input.certSha256 === undefined ? null : normaliseFingerprint(input.certSha256);
    if (input.certSha256 !== undefined && pin === null) {
      throw new AppError('bad_input', 'The certificate fingerprint must be 32 bytes of hex (SHA-256).');
    }
    if (pin !== null && !serverUrl.startsWith('https://')) {
      throw new AppError('bad_input', 'A pinned certificate needs an https:// server URL.');
    }
    const client = new SyncHttpClient({
      baseUrl: serverUrl,
      certSha256: pin,
      ...(this.options.requestTimeoutMs === undefined ? {} : { timeoutMs: this.options.requestTimeoutMs }),
    });
    let answer;
    try {
      answer = await client.request('POST', '/v1/enrol', EnrolResponseSchema, {
        body: JSON.stringify({
          code: input.code.trim(),
          stationId: this.deps.stationId,
          stationName: (input.stationName ?? this.defaultStationName()).slice(0, 80),
          appVersion: this.deps.version.slice(0, 40),
        }),
      });
    } catch (err) {
      throw enrolmentError(err);
    } finally {
      client.close();
    }
    if (answer.stationId !== this.deps.stationId) {
      throw new AppError('conflict', 'The server enrolled a different station id; nothing was stored.');
    }
    await this.stop();
    const at = this.deps.clock.now();
    this.deps.db.transaction(() => {
      this.store.saveEnrolment({
        server_url: serverUrl,
        credential: answer.credential,
        store_id: answer.storeId,
        store_name: answer.storeName,
        cert_sha256: pin,
        enrolled_at: at.toISOString(),
      });
      this.deps.journal.audit({
        at,
        userId,
        action: 'sync.enrolled',
        details: { serverUrl, storeId: answer.storeId, storeName: answer.storeName, pinned: pin !== null },
      });
    })();
    this.lastError = null;
    this.online = true;
    this.offlineSince = null;
    this.start();
    return this.changed();
  }

  // --- the loop ---------------------------------------------------------------------------------------------

  /** Starts the background loop (idle until enrolled). Called by the station when it opens. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.backoff.reset();
    this.unsubscribeOutbox = this.deps.journal.onEnqueue(() => this.wakeWithin(this.pushDelayMs, false));
    this.loopDone = this.loop();
  }

  /** Stops the loop; an in-flight request is abandoned (its answer is never applied). */
  async stop(): Promise<void> {
    this.epoch += 1;
    const wasRunning = this.running;
    this.running = false;
    this.unsubscribeOutbox?.();
    this.unsubscribeOutbox = null;
    // Destroys the sockets: an answer still on its way is never read.
    this.client?.close();
    this.giftCards?.client.close();
    this.giftCards = null;
    this.wakeNow();
    if (wasRunning) await this.loopDone;
    await this.cycle.catch(() => undefined);
    await this.preparer.close();
    this.client = null;
    this.pusher = null;
  }

  /** Push and pull as soon as possible, also while backing off after a failure. */
  syncNow(): SyncStatus {
    this.wakeWithin(0, true);
    return this.status();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      if (!(await this.databaseSound())) {
        // A damaged database gets no pulled changes, acknowledgements or audit rows — and its events are not
        // sent either: what a damaged file holds is for a technician to judge. Parked until the station is
        // restarted (after a restore); stop() still ends the loop.
        if (!this.running) break;
        this.refuseDamagedDatabase();
        this.parked = true;
        await this.sleep(Infinity);
        this.parked = false;
        continue;
      }
      if (!this.running) break;
      const enrolment = this.store.enrolment();
      if (enrolment === undefined || enrolment.refused_at !== null) {
        // Parked until an enrolment (which restarts the loop) or a stop; outbox rows do not wake it.
        this.parked = true;
        await this.sleep(Infinity);
        this.parked = false;
        continue;
      }
      let delay: number;
      try {
        await this.exclusive(() => this.fullCycle(enrolment));
        this.backoff.reset();
        this.inBackoff = false;
        this.retryAt = null;
        delay = this.store.pendingCount() > 0 ? 0 : this.pollIntervalMs;
      } catch (err) {
        if (err instanceof Stopped || !this.running) break;
        delay = this.failed(err);
      }
      if (!this.running) break;
      this.changed();
      await this.sleep(delay);
    }
  }

  /** False once the station's integrity check found the database damaged (waits for that check to finish). */
  private async databaseSound(): Promise<boolean> {
    if (this.deps.databaseSound === undefined) return true;
    // Asked after a turn of the microtask queue: Station.open() starts sync just before it starts the check.
    await Promise.resolve();
    try {
      return await this.deps.databaseSound();
    } catch {
      return false;
    }
  }

  private refuseDamagedDatabase(): void {
    this.online = false;
    this.offlineSince ??= this.deps.clock.now();
    this.retryAt = null;
    this.progress = null;
    if (this.lastError?.code !== 'storage_error') {
      this.log('sync: the station database failed its integrity check; sync writes nothing to it');
    }
    this.lastError = {
      code: 'storage_error',
      message:
        'The station database is damaged: sync stopped and writes nothing to it. Call a technician to restore a backup.',
      at: this.deps.clock.now().toISOString(),
    };
    this.changed();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.cycle.catch(() => undefined).then(work);
    this.cycle = next;
    return next;
  }

  private async fullCycle(enrolment: EnrolmentRow): Promise<CycleReport> {
    const epoch = this.epoch;
    const alive = () => epoch === this.epoch;
    const { client, pusher } = this.connection(enrolment);
    const report: CycleReport = { pushed: [], pulled: [] };
    let lastStatus = 0;
    await pusher.pushAll(alive, (pushed) => {
      this.contact();
      report.pushed.push(pushed);
      this.options.onPush?.(pushed);
      // The status counts the outbox: during a large backlog that query would cost more than the batch.
      if (Date.now() - lastStatus >= STATUS_INTERVAL_MS) {
        lastStatus = Date.now();
        this.changed();
      }
    });
    if (!alive()) throw new Stopped();
    if (report.pushed.length > 0) this.changed();
    let applied = 0;
    let from = this.store.state().pull_cursor;
    // Pages are fetched back to back and prepared (worker thread) while the ones before are written: the server
    // reads while the station writes. Each is applied only if it continues from the cursor (applyPage checks).
    const feed = new PageFeed(
      (after) =>
        client.request('GET', `/v1/changes?after=${after}&limit=${this.pageSize}`, PullResponseSchema, {
          token: enrolment.credential,
        }),
      (page) => this.prepare(page),
      from,
      PAGES_AHEAD,
    );
    lastStatus = 0;
    try {
      for (;;) {
        const answer = await feed.take();
        if (!alive()) throw new Stopped();
        if (!answer.ok) throw answer.error;
        const page = answer.page;
        this.contact();
        let left = page.changes.length;
        for (const part of this.partsOf(page, from)) {
          let pageReport: PageReport;
          try {
            pageReport = this.applier.applyPage(part, from, answer.prepared);
          } catch (err) {
            if (err instanceof PageOutOfOrder)
              throw new SyncRequestError({ kind: 'protocol', message: err.message });
            throw err;
          }
          from = part.cursor;
          report.pulled.push(pageReport);
          this.options.onPage?.(pageReport);
          applied += part.changes.length;
          left -= part.changes.length;
          if (!page.hasMore && left === 0) break;
          this.progress = { applied, remaining: page.remaining + left, cursor: part.cursor };
          this.deps.events.emit('sync:progress', this.progress);
          if (Date.now() - lastStatus >= STATUS_INTERVAL_MS) {
            lastStatus = Date.now();
            this.changed();
          }
          // Let the station sell between transactions: each is short (at most changesPerTransaction changes).
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (!alive()) throw new Stopped();
        }
        if (!page.hasMore) break;
      }
    } finally {
      feed.stop();
    }
    if (this.progress !== null) {
      this.progress = null;
      this.deps.events.emit('sync:progress', {
        applied,
        remaining: 0,
        cursor: this.store.state().pull_cursor,
      });
    }
    return report;
  }

  /** The page's products, checked and prepared for the catalog, by change seq. */
  private async prepare(page: PullResponse): Promise<PreparedChanges> {
    const products = page.changes.flatMap((c) => (c.entity === 'product' ? [c] : []));
    const prepared = await this.preparer.prepare(products.map((c) => productInputOf(c.data)));
    return new Map(products.map((c, i) => [c.seq, prepared[i]!]));
  }

  /** The page in parts of one transaction each; a page that does not continue from the cursor is refused whole. */
  private partsOf(page: PullResponse, from: number): PullResponse[] {
    try {
      return pageParts(page, this.changesPerTransaction, from);
    } catch (err) {
      if (err instanceof PageOutOfOrder)
        throw new SyncRequestError({ kind: 'protocol', message: err.message });
      throw err;
    }
  }

  private connection(enrolment: EnrolmentRow): { client: SyncHttpClient; pusher: Pusher } {
    if (this.client === null || this.pusher === null) {
      this.client = new SyncHttpClient({
        baseUrl: enrolment.server_url,
        certSha256: enrolment.cert_sha256,
        ...(this.options.requestTimeoutMs === undefined ? {} : { timeoutMs: this.options.requestTimeoutMs }),
      });
      this.pusher = new Pusher(this.store, this.client, enrolment.credential, this.deps.clock, {
        ...(this.options.pushWindow === undefined ? {} : { window: this.options.pushWindow }),
      });
    }
    return { client: this.client, pusher: this.pusher };
  }

  /** The server answered: online again, whatever the rest of the cycle brings. */
  private contact(): void {
    this.online = true;
    this.offlineSince = null;
    this.lastError = null;
    this.retryAt = null;
  }

  /** Records a failure; returns how long to wait (Infinity when the server refused this station). */
  private failed(err: unknown): number {
    const now = this.deps.clock.now();
    if (this.online || this.offlineSince === null) this.offlineSince = now;
    this.online = false;
    this.progress = null;
    if (!(err instanceof SyncRequestError)) {
      // A bug or a database error on this side: log it (no credential in it) and back off like any failure.
      this.log(`sync: ${err instanceof Error ? err.message : String(err)}`);
      this.lastError = {
        code: 'internal',
        message: err instanceof Error ? err.message : String(err),
        at: now.toISOString(),
      };
      return this.scheduleRetry(null, { kind: 'protocol', message: this.lastError.message });
    }
    const failure = err.failure;
    const code = failure.kind === 'http' ? (failure.code ?? `http_${failure.status}`) : failure.kind;
    this.lastError = { code, message: failure.message, at: now.toISOString() };
    // 401/403 (revoked, unknown credential, someone else's events): retrying cannot help.
    if (failure.kind === 'http' && (failure.status === 401 || failure.status === 403)) {
      this.refuse(code, now);
      return Infinity;
    }
    return this.scheduleRetry(failure.kind === 'http' ? failure.retryAfterMs : null, failure);
  }

  private scheduleRetry(retryAfterMs: number | null, failure: SyncFailure): number {
    const delay = this.backoff.next(retryAfterMs);
    this.inBackoff = true;
    this.retryAt = new Date(this.deps.clock.now().getTime() + delay);
    this.options.onRetry?.(delay, failure);
    return delay;
  }

  private refuse(code: string, at: Date): void {
    this.log(`sync: the server refused this station (${code}); sync stops until it is enrolled again`);
    this.deps.db.transaction(() => {
      this.store.refused(at, code);
      this.deps.journal.audit({ at, userId: null, action: 'sync.refused', details: { code } });
    })();
    this.retryAt = null;
    this.client?.close();
    this.client = null;
    this.pusher = null;
  }

  // --- waking -----------------------------------------------------------------------------------------------

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.wakeAt = Infinity;
      if (Number.isFinite(ms)) this.arm(ms);
    });
  }

  private arm(ms: number): void {
    if (this.wakeTimer !== null) clearTimeout(this.wakeTimer);
    this.wakeAt = Date.now() + ms;
    this.wakeTimer = setTimeout(() => this.wakeNow(), ms);
    this.wakeTimer.unref();
  }

  /**
   * Shortens the current sleep to at most `ms`. A new outbox row does not cut a backoff short (that would turn a
   * busy till into a hot loop against a server that is down); "sync now" does.
   */
  private wakeWithin(ms: number, evenInBackoff: boolean): void {
    if (this.wake === null || this.parked) return;
    if (this.inBackoff && !evenInBackoff) return;
    if (evenInBackoff) {
      this.backoff.reset();
      this.inBackoff = false;
    }
    if (Date.now() + ms < this.wakeAt) this.arm(ms);
  }

  private wakeNow(): void {
    if (this.wakeTimer !== null) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    this.wakeAt = Infinity;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private changed(): SyncStatus {
    const status = this.status();
    this.deps.events.emit('sync:changed', status);
    return status;
  }

  private defaultStationName(): string {
    return `${this.deps.settings.get('storeName') ?? 'Countertop'} ${this.deps.stationId.slice(0, 8)}`;
  }
}

function latest(...times: (string | null)[]): string | null {
  let best: string | null = null;
  for (const t of times) if (t !== null && (best === null || t > best)) best = t;
  return best;
}

/** `http(s)://host[:port][/path]` without a trailing slash; refuses user info, query and fragment. */
export function normaliseServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new AppError('bad_input', 'The server URL is not a URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('bad_input', 'The server URL must start with http:// or https://.');
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new AppError('bad_input', 'The server URL must not carry a user name, query or fragment.');
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

function enrolmentError(err: unknown): AppError {
  if (!(err instanceof SyncRequestError)) {
    return new AppError('internal', 'The enrolment failed unexpectedly.');
  }
  const f = err.failure;
  switch (f.kind) {
    case 'network':
      return new AppError(
        'server_unreachable',
        `The store server cannot be reached (${f.message}).`,
        undefined,
        'retry',
      );
    case 'pin_mismatch':
      return new AppError('bad_input', f.message, { reason: 'certificate_mismatch' });
    case 'protocol':
      return new AppError('conflict', `This is not a store server this station understands: ${f.message}`);
    case 'http':
      if (f.code === 'enrolment_code_invalid') {
        return new AppError('bad_input', 'The enrolment code is wrong, used or expired.', {
          reason: 'enrolment_code_invalid',
        });
      }
      if (f.code === 'rate_limited' || f.code === 'unavailable' || f.status >= 500) {
        return new AppError(
          'server_unreachable',
          `The store server is not available (${f.message}).`,
          undefined,
          'retry',
        );
      }
      return new AppError('conflict', `The store server refused the enrolment: ${f.message}`, {
        status: f.status,
        code: f.code,
      });
  }
}
