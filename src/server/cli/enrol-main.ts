import { processIo } from './args';
import { runEnrolCommand } from './enrol-command';

process.exitCode = await runEnrolCommand(process.argv.slice(2), processIo, process.env);
