import { useEffect, useState, type FormEvent } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import type { CurrencyCode } from '../../shared/domain/money';
import type { CashCount, CashMovementKind, ShiftState, ShiftView } from '../../shared/ipc/channels/shift';
import type { TenderConfig } from '../../shared/ipc/channels/sale';
import { SupervisorApprovalProvider } from '../approval/SupervisorApprovalProvider';
import { useSupervisorApproval } from '../approval/context';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatAmount, parseAmount, tenderName } from '../format';
import { useKeyDown } from '../hooks/keyboard';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { countTotal, DenominationGrid, type PieceCounts } from './DenominationGrid';

interface Props {
  readonly active: boolean;
  readonly onBack: () => void;
}

const KINDS: readonly CashMovementKind[] = ['paid_in', 'paid_out', 'drop'];

/** Open the drawer shift with a counted float, move cash in and out, and close it with a blind count. */
export function ShiftScreen({ active, onBack }: Props) {
  const client = useClient();
  const { t } = useI18n();
  const [state, setState] = useState<ShiftState | null>(null);
  const [tenders, setTenders] = useState<readonly TenderConfig[]>([]);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [closed, setClosed] = useState<ShiftView | null>(null);

  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let current = true;
    void client.call('shift:current', {}).then((result) => {
      if (!current) return;
      if (result.ok) setState(result.value);
      else setFailure(result.error);
    });
    return () => {
      current = false;
    };
  }, [client, reloads]);

  useEffect(() => {
    let current = true;
    void client.call('sale:config', {}).then((result) => {
      if (current && result.ok) setTenders(result.value.tenders);
    });
    return () => {
      current = false;
    };
  }, [client]);

  useKeyDown((event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onBack();
  }, active);

  const currency = state?.currency ?? null;
  return (
    <main className="shift-screen" data-testid="shift-screen">
      <div className="screen-title">
        <button type="button" className="button secondary" data-testid="shift-back" onClick={onBack}>
          ← {t('shift.back')}
        </button>
        <h1>{t('shift.title')}</h1>
      </div>
      <ErrorMessage error={failure} />
      {state === null || currency === null ? null : (
        <SupervisorApprovalProvider currency={currency}>
          {closed ? (
            <ClosedShift shift={closed} currency={currency} tenders={tenders} />
          ) : state.shift === null ? (
            <OpenShiftForm
              state={state}
              currency={currency}
              onOpened={(next) => {
                setFailure(null);
                setState({ ...state, shift: next, mayClose: true });
              }}
            />
          ) : (
            <OpenShift
              state={state}
              shift={state.shift}
              currency={currency}
              tenders={tenders}
              onChanged={(next) => setState({ ...state, shift: next })}
              onClosed={(next) => {
                setClosed(next);
                setReloads((n) => n + 1);
              }}
            />
          )}
        </SupervisorApprovalProvider>
      )}
    </main>
  );
}

/** A count from the grid, or from a typed total when the currency has no denominations configured. */
function useCashCount(state: ShiftState, currency: CurrencyCode) {
  const [pieces, setPieces] = useState<PieceCounts>({});
  const [total, setTotal] = useState('');
  const byGrid = state.denominations.length > 0;
  const count: CashCount | null = byGrid
    ? { denominations: Object.fromEntries(Object.entries(pieces).filter(([, n]) => n > 0)) }
    : parseAmount(total, currency) === null
      ? null
      : { total: parseAmount(total, currency) ?? 0 };
  const amount = byGrid ? countTotal(state.denominations, pieces) : (parseAmount(total, currency) ?? 0);
  return { byGrid, pieces, setPieces, total, setTotal, count, amount };
}

function CashCountInput({
  idPrefix,
  state,
  currency,
  counter,
}: {
  idPrefix: string;
  state: ShiftState;
  currency: CurrencyCode;
  counter: ReturnType<typeof useCashCount>;
}) {
  const { t } = useI18n();
  if (counter.byGrid) {
    return (
      <DenominationGrid
        idPrefix={idPrefix}
        denominations={state.denominations}
        currency={currency}
        counts={counter.pieces}
        onChange={counter.setPieces}
      />
    );
  }
  return (
    <label className="field">
      <span className="field-label">{t('shift.amount')}</span>
      <input
        className="input"
        data-testid={`${idPrefix}-total`}
        inputMode="decimal"
        value={counter.total}
        onChange={(event) => counter.setTotal(event.target.value)}
      />
    </label>
  );
}

function OpenShiftForm({
  state,
  currency,
  onOpened,
}: {
  state: ShiftState;
  currency: CurrencyCode;
  onOpened: (shift: ShiftView) => void;
}) {
  const client = useClient();
  const { t } = useI18n();
  const counter = useCashCount(state, currency);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || counter.count === null) return;
    setBusy(true);
    const result = await client.call('shift:open', { float: counter.count });
    setBusy(false);
    if (result.ok) onOpened(result.value);
    else setFailure(result.error);
  };

  return (
    <form
      className="section shift-open"
      onSubmit={(event) => void submit(event)}
      data-testid="shift-open-form"
    >
      <p className="lead" data-testid="shift-none">
        {t('shift.none')}
      </p>
      <h2>{t('shift.openTitle')}</h2>
      <CashCountInput idPrefix="shift-open" state={state} currency={currency} counter={counter} />
      <ErrorMessage error={failure} />
      <button type="submit" className="button primary" data-testid="shift-open-submit" disabled={busy}>
        {t('shift.openSubmit')}
      </button>
    </form>
  );
}

function OpenShift({
  state,
  shift,
  currency,
  tenders,
  onChanged,
  onClosed,
}: {
  state: ShiftState;
  shift: ShiftView;
  currency: CurrencyCode;
  tenders: readonly TenderConfig[];
  onChanged: (shift: ShiftView) => void;
  onClosed: (shift: ShiftView) => void;
}) {
  const client = useClient();
  const approval = useSupervisorApproval();
  const { t, formatTime, locale } = useI18n();
  const [kind, setKind] = useState<CashMovementKind>('paid_in');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  const counter = useCashCount(state, currency);
  const [others, setOthers] = useState<Readonly<Record<string, string>>>({});

  const record = async (event: FormEvent) => {
    event.preventDefault();
    const value = parseAmount(amount, currency);
    if (busy || value === null || value === 0 || reason.trim() === '') return;
    setBusy(true);
    setNotice(null);
    const result = await client.call('shift:cash-movement', { kind, amount: value, reason: reason.trim() });
    setBusy(false);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    setFailure(null);
    setAmount('');
    setReason('');
    setNotice(t('shift.recorded', { kind: t(`shift.kind.${kind}`), amount: formatAmount(value, currency) }));
    onChanged(result.value);
  };

  const close = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || counter.count === null) return;
    const otherCounts = Object.entries(others)
      .map(([tender, text]) => ({ tender, amount: parseAmount(text, currency) }))
      .filter((o): o is { tender: string; amount: number } => o.amount !== null);
    setBusy(true);
    const result = await approval.callWithApproval('shift:close', {
      cash: counter.count,
      ...(otherCounts.length > 0 ? { others: otherCounts } : {}),
    });
    setBusy(false);
    if (result === 'cancelled') return;
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    onClosed(result.value);
  };

  const nonCash = tenders.filter((tender) => tender.type !== 'cash');
  return (
    <div className="shift-layout">
      <section className="section" data-testid="shift-open">
        <h2>{t('shift.openBy', { name: shift.userName, time: formatTime(shift.openedAt) })}</h2>
        <p data-testid="shift-float" data-amount={shift.openingFloat}>
          {t('shift.float', { amount: formatAmount(shift.openingFloat, currency) })}
        </p>
        {!state.mayClose ? <p className="warning">{t('shift.notYours', { name: shift.userName })}</p> : null}
        <h3>{t('shift.movementsTitle')}</h3>
        {shift.movements.length === 0 ? <p className="muted">{t('shift.noMovements')}</p> : null}
        <ul className="shift-movements" data-testid="shift-movements">
          {shift.movements.map((m) => (
            <li key={m.id}>
              <span>{t(`shift.kind.${m.kind}`)}</span> <span>{formatAmount(m.amount, currency)}</span>{' '}
              <span className="muted">
                {m.reason} · {m.userName} · {formatTime(m.at)}
              </span>
            </li>
          ))}
        </ul>
        {state.mayClose ? (
          <form className="shift-movement-form" onSubmit={(event) => void record(event)}>
            <div className="segmented" role="group" aria-label={t('shift.movementsTitle')}>
              {KINDS.map((k) => (
                <button
                  key={k}
                  type="button"
                  className={k === kind ? 'button selected' : 'button secondary'}
                  aria-pressed={k === kind}
                  data-testid={`shift-kind-${k}`}
                  onClick={() => setKind(k)}
                >
                  {t(`shift.kind.${k}`)}
                </button>
              ))}
            </div>
            <label className="field">
              <span className="field-label">{t('shift.amount')}</span>
              <input
                className="input"
                data-testid="shift-movement-amount"
                inputMode="decimal"
                value={amount}
                onChange={(event) => setAmount(event.target.value)}
              />
            </label>
            <label className="field">
              <span className="field-label">{t('shift.reason')}</span>
              <input
                className="input"
                data-testid="shift-movement-reason"
                maxLength={120}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
              />
            </label>
            <button
              type="submit"
              className="button secondary"
              data-testid="shift-movement-submit"
              disabled={busy}
            >
              {t('shift.record')}
            </button>
            {notice ? (
              <p className="notice" role="status">
                {notice}
              </p>
            ) : null}
          </form>
        ) : null}
      </section>
      {state.mayClose ? (
        <form
          className="section shift-close"
          onSubmit={(event) => void close(event)}
          data-testid="shift-close-form"
        >
          <h2>{t('shift.closeTitle')}</h2>
          <p className="muted">{t('shift.closeHint')}</p>
          <CashCountInput idPrefix="shift-close" state={state} currency={currency} counter={counter} />
          {nonCash.length > 0 ? (
            <fieldset className="shift-others">
              <legend>{t('shift.otherTenders')}</legend>
              {nonCash.map((tender) => (
                <label className="field" key={tender.code}>
                  <span className="field-label">{tenderName(tender.code, tenders, locale)}</span>
                  <input
                    className="input"
                    inputMode="decimal"
                    data-testid={`shift-close-other-${tender.code}`}
                    value={others[tender.code] ?? ''}
                    onChange={(event) => setOthers({ ...others, [tender.code]: event.target.value })}
                  />
                </label>
              ))}
            </fieldset>
          ) : null}
          <ErrorMessage error={failure} />
          <button type="submit" className="button primary" data-testid="shift-close-submit" disabled={busy}>
            {t('shift.closeSubmit')}
          </button>
        </form>
      ) : (
        <ErrorMessage error={failure} />
      )}
    </div>
  );
}

function ClosedShift({
  shift,
  currency,
  tenders,
}: {
  shift: ShiftView;
  currency: CurrencyCode;
  tenders: readonly TenderConfig[];
}) {
  const { t, locale } = useI18n();
  const label = (code: string) => tenderName(code, tenders, locale);
  return (
    <section className="section shift-closed" data-testid="shift-closed">
      <h2>{t('shift.closedTitle')}</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('shift.tender')}</th>
            <th scope="col">{t('shift.expected')}</th>
            <th scope="col">{t('shift.counted')}</th>
            <th scope="col">{t('shift.difference')}</th>
          </tr>
        </thead>
        <tbody>
          {(shift.tenders ?? []).map((row) => (
            <tr key={row.tender} data-testid={`shift-closed-${row.tender}`}>
              <th scope="row">{label(row.tender)}</th>
              <td>{formatAmount(row.expected, currency)}</td>
              <td>{row.counted === null ? t('shift.notCounted') : formatAmount(row.counted, currency)}</td>
              <td
                data-amount={row.difference ?? ''}
                className={row.difference ? 'difference warn' : 'difference'}
              >
                {row.difference === null ? '' : formatAmount(row.difference, currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shift.approvedBy ? (
        <p className="notice">{t('shift.approvedBy', { name: shift.approvedBy })}</p>
      ) : null}
    </section>
  );
}
