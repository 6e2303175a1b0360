import { AppError } from '../../../shared/domain/errors';
import type { CurrencyCode } from '../../../shared/domain/money';
import type { ImportProgress, ImportReport } from '../../../shared/ipc/channels/catalog';
import type { CatalogWriter } from './catalog-writer';
import { batchesFrom } from './import-source';
import type { Rejection } from './product-input';

/**
 * One catalog import: checked batches from the CSV reader (in the import worker when there is one, see
 * import-source.ts) are written in transactions of `rowsPerTransaction` products, and the event loop runs
 * between transactions, so scans and sales keep flowing during a million-row import.
 */

export interface RunImportOptions {
  currency: CurrencyCode;
  /** The bundled import worker, or null to parse in-process. */
  workerFile: string | null;
  rowsPerTransaction: number;
  userId: string | null;
  /** The file's size, for the progress bar. */
  bytesTotal: number;
  /** The file name recorded in the audit rows. */
  source: string;
  onProgress: (progress: ImportProgress) => void;
}

/** Rejected rows listed in an import report; the count is always complete. */
export const MAX_REPORTED_REJECTIONS = 1000;
const PROGRESS_INTERVAL_MS = 200;

export async function runImport(
  writer: CatalogWriter,
  file: string,
  options: RunImportOptions,
): Promise<ImportReport> {
  const started = performance.now();
  const ctx = writer.newContext(options.source, options.userId);
  const progress: ImportProgress = {
    importId: ctx.importId,
    phase: 'running',
    rowsRead: 0,
    imported: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    bytesRead: 0,
    bytesTotal: options.bytesTotal,
  };
  const rejections: Rejection[] = [];
  let lastEmit = 0;
  const emit = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastEmit < PROGRESS_INTERVAL_MS) return;
    lastEmit = now;
    options.onProgress({ ...progress });
  };
  const reject = (list: readonly Rejection[]) => {
    progress.rejected += list.length;
    for (const r of list) if (rejections.length < MAX_REPORTED_REJECTIONS) rejections.push(r);
  };

  try {
    emit(true);
    for await (const batch of batchesFrom(options.workerFile, file, { currency: options.currency })) {
      // Rows refused while reading are counted in the audit row of the batch's first transaction.
      let preRejected = batch.rejected;
      const size = options.rowsPerTransaction;
      for (let i = 0; i < batch.products.length || preRejected.length > 0; i += size) {
        const written = writer.write(batch.products.slice(i, i + size), preRejected, ctx);
        progress.imported += written.imported;
        progress.updated += written.updated;
        progress.unchanged += written.unchanged;
        reject(preRejected);
        reject(written.rejected);
        preRejected = [];
        emit(false);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      progress.rowsRead = batch.rowsRead;
      progress.bytesRead = batch.bytesRead;
      emit(false);
    }
    const durationMs = Math.round(performance.now() - started);
    writer.finish(ctx, {
      rowsRead: progress.rowsRead,
      imported: progress.imported,
      updated: progress.updated,
      unchanged: progress.unchanged,
      rejected: progress.rejected,
      durationMs,
    });
    progress.phase = 'done';
    progress.bytesRead = options.bytesTotal;
    emit(true);
    return {
      importId: ctx.importId,
      rowsRead: progress.rowsRead,
      imported: progress.imported,
      updated: progress.updated,
      unchanged: progress.unchanged,
      rejectedCount: progress.rejected,
      rejected: rejections,
      durationMs,
    };
  } catch (err) {
    progress.phase = 'failed';
    emit(true);
    const code = (err as { code?: unknown } | null)?.code;
    // Typed errors and storage errors keep their meaning at the gate; anything else is reported plainly.
    if (err instanceof AppError || (typeof code === 'string' && code.startsWith('SQLITE_'))) throw err;
    const done = progress.imported + progress.updated + progress.unchanged;
    throw new AppError(
      'internal',
      `The import stopped after ${done} products.`,
      { importId: ctx.importId },
      'retry',
    );
  }
}
