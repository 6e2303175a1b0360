/** Entry point of `npm run audit:verify` (bundled to dist/main/audit-verify.mjs). */
import { runAuditVerify } from './audit-verify-command';
import { processIo } from './cli-io';

process.exit(await runAuditVerify(process.argv.slice(2), processIo));
