import { useCallback, useEffect, useState } from 'react';
import type { ErrorData, Result } from '../../shared/domain/errors';
import type {
  ConfigView,
  DeviceConfig,
  DeviceListing,
  DeviceStatus,
  PrintJob,
} from '../../shared/ipc/channels/devices';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatDateTime } from '../i18n/index';
import { useI18n } from '../i18n/context';
import { useClient } from '../ipc/context';
import { DeviceList } from '../technician/DeviceList';
import { DrawerSection, InputSection, PrinterSection, TerminalSection } from './ConfigSections';
import { checkConfig, configOf, formOf, issuesOf, type ConfigForm, type Issues } from './config-form';

interface Props {
  readonly onBack: () => void;
}

/** The issues a refused `devices:config-set` carries (`details.issues`: path + message), if any. */
function issuesOfError(error: ErrorData): Issues | null {
  const list = error.details?.['issues'];
  if (!Array.isArray(list)) return null;
  const items = list.filter(
    (i): i is { path: string; message: string } =>
      typeof i === 'object' && i !== null && typeof (i as { path?: unknown }).path === 'string',
  );
  return items.length > 0 ? issuesOf(items) : null;
}

/**
 * The technician's device configuration (`devices.configure`): per category the connection — printers by
 * address, serial port or USB printer file, scanners and readers picked from the serial ports and HID devices
 * found plugged in — and the settings that go with it. "Save" sends the whole document to the core, which
 * validates it (problems come back by field), stores it with an audit row and applies it at once; the device
 * list above follows the result live. "Test print" then prints the test page on the new printer.
 */
export function DeviceConfigScreen({ onBack }: Props) {
  const { t, locale } = useI18n();
  const client = useClient();
  const [base, setBase] = useState<DeviceConfig | null>(null);
  const [source, setSource] = useState<{ source: string; updatedAt: string | null } | null>(null);
  const [form, setForm] = useState<ConfigForm | null>(null);
  const [devices, setDevices] = useState<DeviceStatus[]>([]);
  const [listing, setListing] = useState<DeviceListing | null>(null);
  const [listingError, setListingError] = useState<ErrorData | null>(null);
  const [issues, setIssues] = useState<Issues>({});
  const [error, setError] = useState<ErrorData | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [testJob, setTestJob] = useState<PrintJob | null>(null);

  const loaded = useCallback((r: Result<ConfigView>) => {
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setBase(r.value.config);
    setSource({ source: r.value.source, updatedAt: r.value.updatedAt });
    setForm(formOf(r.value.config));
  }, []);

  const listed = useCallback((r: Result<DeviceListing>) => {
    if (r.ok) {
      setListing(r.value);
      setListingError(null);
    } else setListingError(r.error);
  }, []);

  useEffect(() => {
    void client.call('devices:config-get', {}).then(loaded);
    void client.call('devices:discover', {}).then(listed);
    void client.call('devices:status', {}).then((r) => {
      if (r.ok) setDevices(r.value);
    });
    const offDevices = client.onEvent('devices:changed', (payload) => setDevices(payload.devices));
    const offJobs = client.onEvent('printing:job-changed', (payload) =>
      setTestJob((job) => (job && payload.job.id === job.id ? payload.job : job)),
    );
    return () => {
      offDevices();
      offJobs();
    };
  }, [client, loaded, listed]);

  const patch =
    <K extends keyof ConfigForm>(key: K) =>
    (value: Partial<ConfigForm[K]>) => {
      setForm((f) => (f ? { ...f, [key]: { ...f[key], ...value } } : f));
      setSaved(false);
    };

  const save = async () => {
    if (!form || !base) return;
    const config = configOf(form, base);
    const found = checkConfig(config);
    setIssues(found);
    setError(null);
    setTestJob(null);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    const r = await client.call('devices:config-set', { config });
    setSaving(false);
    if (!r.ok) {
      const byField = issuesOfError(r.error);
      if (byField) setIssues(byField);
      setError(r.error);
      return;
    }
    loaded(r);
    setSaved(true);
  };

  const testPrint = async () => {
    setError(null);
    const r = await client.call('devices:test-print', {});
    if (r.ok) setTestJob(r.value);
    else setError(r.error);
  };

  const issueCount = Object.keys(issues).length;
  return (
    <main className="tech-screen devcfg-screen" data-testid="device-config-screen">
      <div className="screen-title">
        <button type="button" className="button secondary" data-testid="cfg-back" onClick={onBack}>
          ← {t('tech.back')}
        </button>
        <h1>{t('devcfg.title')}</h1>
      </div>
      <section className="tech-panel">
        <h2>{t('tech.devices')}</h2>
        <DeviceList devices={devices} />
      </section>
      <section className="tech-panel devcfg-discovery" data-testid="cfg-discovery">
        <h2>{t('devcfg.discovered')}</h2>
        <p className="field-hint">
          {listing
            ? t('devcfg.discoveredCount', {
                serial: listing.serial.length,
                hid: listing.hid.length,
                usb: listing.usbPrinters.length,
              })
            : t('devcfg.discovering')}
        </p>
        {listing?.problems.map((p) => (
          <p key={p.transport} className="field-error" data-testid="cfg-discovery-problem">
            {t('devcfg.discoveryProblem', { reason: p.reason })}
          </p>
        ))}
        <ErrorMessage error={listingError} />
        <button
          type="button"
          className="button secondary"
          data-testid="cfg-discover"
          onClick={() => void client.call('devices:discover', {}).then(listed)}
        >
          {t('devcfg.rescan')}
        </button>
      </section>
      {form ? (
        <form
          className="devcfg-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <PrinterSection form={form.printer} onChange={patch('printer')} listing={listing} issues={issues} />
          {form.printer.kind !== 'none' ? (
            <DrawerSection form={form.drawer} onChange={patch('drawer')} issues={issues} />
          ) : null}
          <InputSection
            slot="scanner"
            form={form.scanner}
            onChange={patch('scanner')}
            listing={listing}
            issues={issues}
          />
          <InputSection
            slot="cardReader"
            form={form.cardReader}
            mode={form.cardReader.mode}
            onChange={patch('cardReader')}
            listing={listing}
            issues={issues}
          />
          <InputSection
            slot="customerDisplay"
            form={form.customerDisplay}
            onChange={patch('customerDisplay')}
            listing={listing}
            issues={issues}
          />
          <TerminalSection form={form.paymentTerminal} onChange={patch('paymentTerminal')} issues={issues} />
          <div className="devcfg-actions">
            {issueCount > 0 ? (
              <p className="field-error" role="alert" data-testid="cfg-issues">
                {issues['_'] ?? t('devcfg.fixFields', { count: issueCount })}
              </p>
            ) : null}
            <ErrorMessage error={error} />
            <button type="submit" className="button primary" data-testid="cfg-save" disabled={saving}>
              {saving ? t('devcfg.saving') : t('devcfg.save')}
            </button>
            {saved ? (
              <span className="devcfg-saved" role="status" data-testid="cfg-saved">
                {t('devcfg.saved')}
              </span>
            ) : null}
            {saved && form.printer.kind !== 'none' ? (
              <button
                type="button"
                className="button secondary"
                data-testid="cfg-test-print"
                onClick={() => void testPrint()}
              >
                {t('devcfg.testPrint')}
              </button>
            ) : null}
            {testJob ? (
              <span
                className="devcfg-test-job"
                role="status"
                data-testid="cfg-test-print-status"
                data-status={testJob.status}
              >
                {testJob.status === 'printed'
                  ? t('devcfg.testPrinted')
                  : testJob.status === 'failed' || testJob.lastError
                    ? t('devcfg.testFailed', { reason: testJob.lastError?.message ?? testJob.status })
                    : t('devcfg.testQueued')}
              </span>
            ) : null}
            {source ? (
              <p className="field-hint" data-testid="cfg-source">
                {source.updatedAt
                  ? t('devcfg.lastSaved', {
                      when: formatDateTime(source.updatedAt, locale),
                      source: t(source.source === 'file' ? 'devcfg.source.file' : 'devcfg.source.screen'),
                    })
                  : t('devcfg.defaults')}
              </p>
            ) : null}
          </div>
        </form>
      ) : (
        <ErrorMessage error={error} />
      )}
    </main>
  );
}
