/**
 * Entry point of `npm run serve` (bundled to dist/main/serve.mjs): the station in plain Node with its UI in a
 * browser on this machine. Prints one line, `Station ready: <url>`, and shuts down cleanly on SIGINT/SIGTERM.
 */
import path from 'node:path';
import { startServe, type ServeOutcome } from './serve-command';

type Running = Extract<ServeOutcome, { kind: 'running' }>;

/** How long a shutdown may take before the process gives up waiting and exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 5000;

// dist/main/serve.mjs → the app root holds migrations/ and dist/renderer/.
const appRoot = path.resolve(import.meta.dirname, '../..');

let running: Running | null = null;
let signalled = false;

function shutdown(server: Running): void {
  setTimeout(() => {
    process.stderr.write('Shutdown is taking too long; exiting.\n');
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS).unref();
  server.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`Shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}

// Installed before anything is printed: whoever reads "Station ready" may signal at once.
function onSignal(): void {
  if (signalled) process.exit(1); // a second Ctrl-C: the person does not want to wait
  signalled = true;
  if (running) shutdown(running); // else still starting: shut down as soon as it is up
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const outcome = await startServe(process.argv.slice(2), {
  appRoot,
  io: {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  },
});

if (outcome.kind === 'exit') {
  process.exit(outcome.code);
} else {
  running = outcome;
  if (signalled) shutdown(outcome);
}
