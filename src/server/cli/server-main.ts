import { processIo } from './args';
import { runServerCommand } from './server-command';

const { code, server } = await runServerCommand(process.argv.slice(2), processIo, process.env);
if (server === undefined) process.exit(code);
else {
  const stop = (signal: string) => {
    processIo.out(`${signal}: finishing requests in flight and closing.`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        processIo.err(`Closing failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
