import type { Report } from '../../shared/ipc/channels/reports';
import { formatAmount, formatTaxRate } from '../format';
import { useI18n } from '../i18n/context';
import type { PlainKey } from '../i18n/index';

/** One X or Z report on screen: the same figures the printer gets, in tables. */
export function ReportView({ report }: { report: Report }) {
  const { t, formatTime } = useI18n();
  const m = (amount: number) => formatAmount(amount, report.currency);
  const row = (label: PlainKey, amount: number, testId: string, count?: number) => (
    <tr data-testid={`report-${testId}`} data-amount={amount}>
      <th scope="row">{t(label)}</th>
      <td>{count === undefined ? '' : count}</td>
      <td>{m(amount)}</td>
    </tr>
  );
  return (
    <article className="report" data-testid="report-view" data-kind={report.kind}>
      <h2>
        {report.kind === 'Z' ? t('report.zHeading', { number: report.zNumber ?? 0 }) : t('report.xHeading')}
      </h2>
      <p className="muted">
        {t('report.period', { from: formatTime(report.from), to: formatTime(report.to) })}
      </p>
      <table className="table report-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{t('report.count')}</th>
            <th scope="col">{t('report.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {row('report.sales', report.sales.net, 'sales', report.sales.count)}
          {row('report.gross', report.sales.gross, 'gross')}
          {row('report.discounts', -report.discounts.amount, 'discounts', report.discounts.count)}
          {row('report.returns', report.returns.amount, 'returns', report.returns.count)}
          {row('report.postVoids', report.postVoids.amount, 'post-voids', report.postVoids.count)}
          {row('report.net', report.net, 'net')}
          {row('report.rounding', report.rounding, 'rounding')}
          {row('report.tax', report.tax, 'tax')}
          {row('report.lineVoids', report.lineVoids.amount, 'line-voids', report.lineVoids.count)}
          {row('report.voidedSales', report.voidedSales.amount, 'voided-sales', report.voidedSales.count)}
          <tr data-testid="report-no-sales">
            <th scope="row">{t('report.noSales')}</th>
            <td>{report.noSales}</td>
            <td />
          </tr>
        </tbody>
      </table>

      <h3>{t('report.taxes')}</h3>
      <table className="table report-table">
        <thead>
          <tr>
            <th scope="col">{t('report.rate')}</th>
            <th scope="col">{t('report.base')}</th>
            <th scope="col">{t('report.tax')}</th>
          </tr>
        </thead>
        <tbody>
          {report.taxes.map((tax) => (
            <tr key={tax.taxRatePpm}>
              <th scope="row">{formatTaxRate(tax.taxRatePpm)}</th>
              <td>{m(tax.base)}</td>
              <td>{m(tax.tax)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>{t('report.tenders')}</h3>
      <table className="table report-table">
        <tbody>
          {report.tenders.map((tender) => (
            <tr
              key={tender.tender}
              data-testid={`report-tender-${tender.tender}`}
              data-amount={tender.amount}
            >
              <th scope="row">{tender.tender}</th>
              <td>{tender.count}</td>
              <td>{m(tender.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>{t('report.cash')}</h3>
      <table className="table report-table">
        <tbody>
          {row('report.floats', report.cash.openingFloats, 'floats')}
          {row('report.takings', report.cash.takings, 'takings')}
          {row('report.paidIn', report.cash.paidIn, 'paid-in')}
          {row('report.paidOut', -report.cash.paidOut, 'paid-out')}
          {row('report.drops', -report.cash.drops, 'drops')}
          {row('report.expected', report.cash.expected, 'expected')}
          {report.cash.counted === null ? null : row('report.counted', report.cash.counted, 'counted')}
        </tbody>
      </table>

      {report.shifts.length > 0 ? (
        <>
          <h3>{t('report.shifts')}</h3>
          <table className="table report-table">
            <tbody>
              {report.shifts.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    {s.userName} <span className="muted">{formatTime(s.openedAt)}</span>
                  </th>
                  <td>{s.expectedCash === null ? t('report.open') : m(s.expectedCash)}</td>
                  <td>{s.countedCash === null ? '' : m(s.countedCash)}</td>
                  <td>{s.difference === null ? '' : m(s.difference)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}

      {report.cashiers.length > 0 ? (
        <>
          <h3>{t('report.cashiers')}</h3>
          <table className="table report-table">
            <thead>
              <tr>
                <th scope="col" />
                <th scope="col">{t('report.sales')}</th>
                <th scope="col">{t('report.returns')}</th>
                <th scope="col">{t('report.postVoids')}</th>
                <th scope="col">{t('report.lineVoids')}</th>
                <th scope="col">{t('report.net')}</th>
              </tr>
            </thead>
            <tbody>
              {report.cashiers.map((c) => (
                <tr key={c.userId}>
                  <th scope="row">{c.name}</th>
                  <td>{c.sales}</td>
                  <td>{c.returns}</td>
                  <td>{c.postVoids}</td>
                  <td>{c.lineVoids}</td>
                  <td>{m(c.net)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </article>
  );
}
