import fs from 'node:fs';

/** The terminal a passphrase can be typed on (process.stdin/stderr; a fake in tests). */
export interface PassphraseTerminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  output: NodeJS.WritableStream;
}

export class PassphraseError extends Error {}

/**
 * The backup passphrase: from `--passphrase-file` (the whole file, one trailing newline removed), else typed on
 * a terminal without echo (twice when `confirm`), else an error — never from an argument (shell history,
 * `ps`) or an environment variable.
 */
export async function readPassphrase(options: {
  file: string | undefined;
  terminal: PassphraseTerminal;
  confirm: boolean;
}): Promise<string> {
  if (options.file !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(options.file, 'utf8');
    } catch (err) {
      throw new PassphraseError(`Cannot read the passphrase file ${options.file}: ${(err as Error).message}`);
    }
    const passphrase = text.replace(/\r?\n$/, '');
    if (passphrase === '') throw new PassphraseError(`The passphrase file ${options.file} is empty.`);
    return passphrase;
  }
  const { input } = options.terminal;
  if (input.isTTY !== true || typeof input.setRawMode !== 'function') {
    throw new PassphraseError('No passphrase: give --passphrase-file FILE (no terminal to type it on).');
  }
  const first = await promptHidden('Backup passphrase: ', options.terminal);
  if (first === '') throw new PassphraseError('No passphrase was typed.');
  if (options.confirm) {
    const again = await promptHidden('Repeat the passphrase: ', options.terminal);
    if (again !== first) throw new PassphraseError('The two passphrases differ.');
  }
  return first;
}

/** Reads one line in raw mode, echoing nothing; Ctrl-C cancels. */
export function promptHidden(question: string, { input, output }: PassphraseTerminal): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question);
    input.setRawMode?.(true);
    input.resume();
    let value = '';
    const finish = () => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new PassphraseError('Cancelled.'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
  });
}
