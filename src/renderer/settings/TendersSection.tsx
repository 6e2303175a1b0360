import { useState, type FormEvent } from 'react';
import type { TenderType } from '../../shared/domain/totals';
import type { TenderConfig } from '../../shared/ipc/channels/sale';
import { SaleSettingsInputSchema, type StoreSettings } from '../../shared/ipc/channels/settings';
import { useI18n } from '../i18n/context';
import type { PlainKey } from '../i18n/index';
import { useClient } from '../ipc/context';
import { IssueText, SectionActions, useSectionSave } from './form-parts';
import { localIssues } from './issues';

const TYPE_KEYS: Readonly<Record<TenderType, PlainKey>> = {
  cash: 'settings.tenders.typeCash',
  card: 'settings.tenders.typeCard',
  external: 'settings.tenders.typeExternal',
  gift_card: 'settings.tenders.typeGiftCard',
};

/** What a manager may add: wallets and gift cards (cash and the card terminal come with the station). */
const ADDABLE_TYPES = ['external', 'gift_card'] as const satisfies readonly TenderType[];
type AddableType = (typeof ADDABLE_TYPES)[number];

/**
 * A tender code from its English name (`UnionPay QR` → `unionpay_qr`), unique among `taken`. Codes are what
 * payments and reports keep, so a manager never has to invent one; the name can change later, the code not.
 */
export function tenderCodeFor(nameEn: string, taken: ReadonlySet<string>): string {
  const base =
    nameEn
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^[^a-z]+/, '')
      .replace(/_+$/, '')
      .slice(0, 20) || 'wallet';
  let code = base;
  for (let n = 2; taken.has(code); n++) code = `${base}_${n}`;
  return code;
}

/**
 * The tenders offered at the till: rename any, add wallets (WeChat Pay, Alipay …) or gift cards (redeemed on the
 * store server), remove all but cash.
 */
export function TendersSection({
  settings,
  onSaved,
}: {
  readonly settings: StoreSettings;
  readonly onSaved: (next: StoreSettings) => void;
}) {
  const client = useClient();
  const { t } = useI18n();
  const [tenders, setTenders] = useState<readonly TenderConfig[]>(settings.tenders);
  const [newZh, setNewZh] = useState('');
  const [newEn, setNewEn] = useState('');
  const [newType, setNewType] = useState<AddableType>('external');
  const saved = new Set(settings.tenders.map((tender) => tender.code));

  const input = () => ({ tenders: [...tenders] });
  const section = useSectionSave(
    () => localIssues(SaleSettingsInputSchema, input()),
    () => client.call('settings:set-sale', input()),
    onSaved,
  );

  const change = (index: number, patch: Partial<TenderConfig>) => {
    setTenders((list) => list.map((tender, i) => (i === index ? { ...tender, ...patch } : tender)));
    section.edited();
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (newZh.trim() === '' || newEn.trim() === '') return;
    const code = tenderCodeFor(newEn, new Set(tenders.map((tender) => tender.code)));
    setTenders((list) => [...list, { code, type: newType, nameZh: newZh.trim(), nameEn: newEn.trim() }]);
    setNewZh('');
    setNewEn('');
    setNewType('external');
    section.edited();
  };

  return (
    <section className="settings-section" data-testid="settings-tenders">
      <p className="field-hint">{t('settings.tenders.hint')}</p>
      <table className="table settings-table">
        <thead>
          <tr>
            <th scope="col">{t('settings.tenders.code')}</th>
            <th scope="col">{t('settings.tenders.type')}</th>
            <th scope="col">{t('settings.tenders.nameZh')}</th>
            <th scope="col">{t('settings.tenders.nameEn')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('settings.tenders.remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tenders.map((tender, index) => {
            const inUse = settings.tendersInUse.includes(tender.code);
            const removable = tender.type !== 'cash' && !inUse;
            return (
              <tr key={tender.code} data-testid={`settings-tender-${tender.code}`}>
                <th scope="row">
                  <code>{tender.code}</code>
                  {saved.has(tender.code) ? null : <span className="badge">{t('settings.tenders.new')}</span>}
                </th>
                <td>
                  {t(TYPE_KEYS[tender.type])}
                  <IssueText issues={section.issues} path={`tenders.${index}.type`} />
                  <IssueText issues={section.issues} path={`tenders.${index}.code`} />
                </td>
                <td>
                  <input
                    className="input"
                    aria-label={`${t('settings.tenders.nameZh')} ${tender.code}`}
                    data-testid={`settings-tender-${tender.code}-zh`}
                    value={tender.nameZh}
                    maxLength={24}
                    aria-invalid={section.issues.has(`tenders.${index}.nameZh`)}
                    onChange={(event) => change(index, { nameZh: event.target.value })}
                  />
                  <IssueText issues={section.issues} path={`tenders.${index}.nameZh`} />
                </td>
                <td>
                  <input
                    className="input"
                    aria-label={`${t('settings.tenders.nameEn')} ${tender.code}`}
                    data-testid={`settings-tender-${tender.code}-en`}
                    value={tender.nameEn}
                    maxLength={24}
                    aria-invalid={section.issues.has(`tenders.${index}.nameEn`)}
                    onChange={(event) => change(index, { nameEn: event.target.value })}
                  />
                  <IssueText issues={section.issues} path={`tenders.${index}.nameEn`} />
                </td>
                <td>
                  <button
                    type="button"
                    className="button secondary"
                    data-testid={`settings-tender-${tender.code}-remove`}
                    disabled={!removable}
                    title={
                      tender.type === 'cash'
                        ? t('settings.tenders.cashStays')
                        : inUse
                          ? t('settings.tenders.inUse')
                          : undefined
                    }
                    onClick={() => {
                      setTenders((list) => list.filter((_, i) => i !== index));
                      section.edited();
                    }}
                  >
                    {t('settings.tenders.remove')}
                  </button>
                  {inUse ? <p className="field-hint">{t('settings.tenders.inUse')}</p> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <IssueText issues={section.issues} path="tenders" exact />

      <form className="settings-add" onSubmit={add} data-testid="settings-tender-add-form">
        <h3>{t('settings.tenders.addTitle')}</h3>
        <div className="field-row">
          <label className="field">
            <span className="field-label">{t('settings.tenders.nameZh')}</span>
            <input
              className="input"
              data-testid="settings-tender-new-zh"
              value={newZh}
              maxLength={24}
              placeholder="云闪付"
              onChange={(event) => setNewZh(event.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">{t('settings.tenders.nameEn')}</span>
            <input
              className="input"
              data-testid="settings-tender-new-en"
              value={newEn}
              maxLength={24}
              placeholder="UnionPay QR"
              onChange={(event) => setNewEn(event.target.value)}
            />
          </label>
        </div>
        <label className="field">
          <span className="field-label">{t('settings.tenders.addType')}</span>
          <select
            className="input"
            data-testid="settings-tender-new-type"
            value={newType}
            onChange={(event) => {
              const next = ADDABLE_TYPES.find((type) => type === event.target.value);
              if (next) setNewType(next);
            }}
          >
            {ADDABLE_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(TYPE_KEYS[type])}
              </option>
            ))}
          </select>
        </label>
        <p className="field-hint">
          {newType === 'gift_card' ? t('settings.tenders.giftCardHint') : t('settings.tenders.addHint')}
        </p>
        <button
          type="submit"
          className="button secondary"
          data-testid="settings-tender-add"
          disabled={newZh.trim() === '' || newEn.trim() === ''}
        >
          {t('settings.tenders.add')}
        </button>
      </form>

      <SectionActions
        testId="settings-tenders"
        busy={section.busy}
        saved={section.saved}
        failure={section.failure}
        onSave={() => void section.save()}
      />
    </section>
  );
}
