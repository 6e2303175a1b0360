import { processIo } from './args';
import { runImportCommand } from './import-command';

process.exitCode = await runImportCommand(process.argv.slice(2), processIo, process.env);
