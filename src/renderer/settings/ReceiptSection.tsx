import { useState } from 'react';
import { SaleSettingsInputSchema, type StoreSettings } from '../../shared/ipc/channels/settings';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { SectionActions, SettingField, useSectionSave } from './form-parts';
import { localIssues } from './issues';

/** One printed line per text line; blank lines are dropped. */
const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** The store name and the receipt's own lines (address and phone on top, returns policy at the bottom). */
export function ReceiptSection({
  settings,
  onSaved,
}: {
  readonly settings: StoreSettings;
  readonly onSaved: (next: StoreSettings) => void;
}) {
  const client = useClient();
  const { t } = useI18n();
  const [storeName, setStoreName] = useState(settings.storeName ?? '');
  const [header, setHeader] = useState(settings.receiptHeader.join('\n'));
  const [footer, setFooter] = useState(settings.receiptFooter.join('\n'));

  const input = () => ({ storeName, receipt: { header: linesOf(header), footer: linesOf(footer) } });
  const section = useSectionSave(
    () => localIssues(SaleSettingsInputSchema, input()),
    () => client.call('settings:set-sale', input()),
    onSaved,
  );

  const lines = (id: string, label: string, path: string, value: string, set: (text: string) => void) => (
    <SettingField
      id={id}
      label={label}
      hint={t('settings.receipt.linesHint')}
      issues={section.issues}
      path={path}
    >
      {(aria) => (
        <textarea
          {...aria}
          className="input"
          rows={4}
          data-testid={id}
          value={value}
          onChange={(event) => {
            set(event.target.value);
            section.edited();
          }}
        />
      )}
    </SettingField>
  );

  return (
    <section className="settings-section" data-testid="settings-receipt">
      <SettingField
        id="settings-store-name"
        label={t('settings.receipt.storeName')}
        issues={section.issues}
        path="storeName"
      >
        {(aria) => (
          <input
            {...aria}
            className="input"
            data-testid="settings-store-name"
            maxLength={80}
            value={storeName}
            onChange={(event) => {
              setStoreName(event.target.value);
              section.edited();
            }}
          />
        )}
      </SettingField>
      {lines('settings-receipt-header', t('settings.receipt.header'), 'receipt.header', header, setHeader)}
      {lines('settings-receipt-footer', t('settings.receipt.footer'), 'receipt.footer', footer, setFooter)}
      <SectionActions
        testId="settings-receipt"
        busy={section.busy}
        saved={section.saved}
        failure={section.failure}
        onSave={() => void section.save()}
      />
    </section>
  );
}
