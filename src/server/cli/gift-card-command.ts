import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CURRENCIES, formatMoney, money, parseMoney, type CurrencyCode } from '../../shared/domain/money';
import { MAX_AMOUNT } from '../../shared/domain/totals';
import { getStore } from '../admin';
import { createPool, migrate } from '../db';
import { deactivateGiftCard, issueGiftCard, loadGiftCard, lookupGiftCard } from '../gift-cards';
import { HttpError } from '../http';
import { databaseUrlOf, describeDatabaseError, parseArgs, UsageError, type CliIo } from './args';

/**
 * `npm run server:gift-card -- --database-url URL --store S --number N (--issue AMOUNT | --load AMOUNT |
 * --balance | --deactivate) [--request-id UUID]`: a store manager's gift-card desk. Amounts are typed in major
 * units ("100.00") and parsed exactly with the store currency's decimals. `--request-id` makes a scripted issue
 * or load safe to retry (without it each run is a new request). Exit 0 on success, 1 otherwise.
 */

const USAGE =
  'Usage: npm run server:gift-card -- --database-url URL --store S --number N (--issue AMOUNT | --load AMOUNT | --balance | --deactivate) [--request-id UUID]';

type Action = { kind: 'issue' | 'load'; amountText: string } | { kind: 'balance' } | { kind: 'deactivate' };

function actionOf(options: Map<string, string>): Action {
  const chosen = ['issue', 'load', 'balance', 'deactivate'].filter((a) => options.has(a));
  if (chosen.length !== 1) {
    throw new UsageError('Give exactly one of --issue AMOUNT, --load AMOUNT, --balance, --deactivate.');
  }
  const kind = chosen[0]!;
  if (kind === 'issue' || kind === 'load') return { kind, amountText: options.get(kind)! };
  return { kind: kind === 'balance' ? 'balance' : 'deactivate' };
}

/** An amount typed in major units, in minor units of the store's currency; null when it is not one. */
function parseAmount(text: string, currency: string): number | null {
  if (!Object.hasOwn(CURRENCIES, currency)) return null;
  const amount = parseMoney(text, currency as CurrencyCode);
  return amount === null || amount <= 0 || amount > MAX_AMOUNT ? null : amount;
}

export async function runGiftCardCommand(
  argv: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  let databaseUrl: string;
  let storeId: string;
  let number: string;
  let action: Action;
  let requestId: string;
  try {
    // --issue / --load carry their amount; --balance / --deactivate are flags.
    const args = parseArgs(
      argv,
      ['database-url', 'store', 'number', 'issue', 'load', 'request-id'],
      ['balance', 'deactivate'],
    );
    databaseUrl = databaseUrlOf(args, env);
    storeId = args.options.get('store') ?? '';
    if (storeId === '') throw new UsageError('Give the store with --store S.');
    number = args.options.get('number') ?? '';
    if (number === '') throw new UsageError('Give the card number with --number N.');
    action = actionOf(args.options);
    const given = args.options.get('request-id');
    if (given !== undefined && !z.uuid().safeParse(given).success)
      throw new UsageError('--request-id is a UUID.');
    if (given !== undefined && action.kind !== 'issue' && action.kind !== 'load')
      throw new UsageError('--request-id goes with --issue or --load.');
    requestId = given ?? randomUUID();
    if (args.positional.length > 0) throw new UsageError(`Unexpected argument ${args.positional[0]}.`);
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  const pool = createPool(databaseUrl, 1);
  try {
    await migrate(pool);
    const store = await getStore(pool, storeId);
    if (store === null) {
      io.err(
        `There is no store "${storeId}". Create it through the admin API first (POST /v1/admin/stores).`,
      );
      return 1;
    }
    const show = (amount: number) =>
      `${formatMoney(money(amount), store.currency as CurrencyCode)} ${store.currency}`;
    switch (action.kind) {
      case 'issue':
      case 'load': {
        const amount = parseAmount(action.amountText, store.currency);
        if (amount === null) {
          const decimals = CURRENCIES[store.currency as CurrencyCode]?.decimals ?? 0;
          io.err(
            `"${action.amountText}" is not an amount in ${store.currency}: a positive number with at most ${decimals} decimals.`,
          );
          return 1;
        }
        const input = { requestId, number, amount };
        const done =
          action.kind === 'issue'
            ? await issueGiftCard(pool, storeId, input)
            : await loadGiftCard(pool, storeId, input);
        io.out(
          action.kind === 'issue'
            ? `Issued gift card •••• ${done.last4} in ${storeId} with ${show(done.amount)}; balance ${show(done.balanceAfter)}.`
            : `Loaded ${show(done.amount)} onto gift card •••• ${done.last4}; balance ${show(done.balanceAfter)}.`,
        );
        return 0;
      }
      case 'balance': {
        const { card, holds } = await lookupGiftCard(pool, storeId, number);
        if (card === null) {
          io.err(
            `There is no gift card with this number in ${storeId} (pushed sales named it: see the exceptions).`,
          );
          return 1;
        }
        const held = card.balance - card.available;
        io.out(
          `Gift card •••• ${card.last4} in ${storeId}: balance ${show(card.balance)}, available ${show(card.available)}` +
            `${holds.length > 0 ? ` (${show(held)} held by ${holds.length} open tender${holds.length === 1 ? '' : 's'})` : ''}` +
            `, ${card.active ? 'active' : 'DEACTIVATED'}.`,
        );
        return 0;
      }
      case 'deactivate': {
        const card = await deactivateGiftCard(pool, storeId, number);
        io.out(`Gift card •••• ${card.last4} in ${storeId} is deactivated; balance ${show(card.balance)}.`);
        return 0;
      }
    }
  } catch (err) {
    if (err instanceof HttpError) io.err(err.message);
    else io.err(describeDatabaseError(err, databaseUrl));
    return 1;
  } finally {
    await pool.end();
  }
}
