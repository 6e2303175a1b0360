import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { verifyAuditLog } from '../core/audit/audit-reader';
import { STATION_DATABASE_FILE as DATABASE_FILE } from './station-files';
import { describeError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io';
import { parseMaintenanceArgs } from './maintenance-args';

export const AUDIT_VERIFY_USAGE = `Usage: npm run audit:verify -- --data-dir DIR

Checks the hash chain of the station's audit log (read-only; the station may keep running).
Exit 0: intact. Exit 1: broken — the first row that does not fit is printed. Exit 2: bad command line or the
database cannot be read.`;

/** `npm run audit:verify`: returns the exit code (the entry point exits with it). */
export async function runAuditVerify(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseMaintenanceArgs(argv, { required: ['data-dir'], optional: [] });
  if (parsed.kind === 'help') {
    io.out(AUDIT_VERIFY_USAGE);
    return EXIT_OK;
  }
  if (parsed.kind === 'error') {
    io.err(`audit:verify: ${parsed.message}`);
    return EXIT_USAGE;
  }
  const file = path.join(path.resolve(parsed.values['data-dir'] ?? ''), DATABASE_FILE);
  if (!fs.existsSync(file)) {
    io.err(`audit:verify: no station database at ${file}`);
    return EXIT_USAGE;
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.prepare('SELECT count(*) FROM audit_log').get();
  } catch (err) {
    io.err(`audit:verify: cannot read the audit log in ${file}: ${describeError(err)}`);
    return EXIT_USAGE;
  }
  try {
    const verdict = await verifyAuditLog(db);
    if (verdict.intact) {
      io.out(`Audit log intact: ${verdict.rows} rows, last seq ${verdict.lastSeq}.`);
      return EXIT_OK;
    }
    io.out(
      `Audit log BROKEN at row ${verdict.seq} (id ${verdict.id ?? 'missing'}): ${verdict.reason}. ${verdict.message}`,
    );
    return EXIT_FAILED;
  } catch (err) {
    io.err(`audit:verify: cannot read the audit log in ${file}: ${describeError(err)}`);
    return EXIT_USAGE;
  } finally {
    db.close();
  }
}
