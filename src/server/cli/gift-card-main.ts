import { processIo } from './args';
import { runGiftCardCommand } from './gift-card-command';

process.exitCode = await runGiftCardCommand(process.argv.slice(2), processIo, process.env);
