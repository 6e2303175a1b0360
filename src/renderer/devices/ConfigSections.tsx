import type { DeviceListing, DiscoveredDevice } from '../../shared/ipc/channels/devices';
import { useI18n } from '../i18n/context';
import type { PlainKey } from '../i18n/index';
import { ConfigField } from './ConfigField';
import {
  BAUDS,
  CARD_READER_KINDS,
  describeDiscovered,
  DISPLAY_KINDS,
  hidConnectionOf,
  PRINTER_KINDS,
  SCANNER_KINDS,
  TERMINAL_KINDS,
  type DrawerForm,
  type InputForm,
  type InputKind,
  type Issues,
  type PrinterForm,
  type TerminalForm,
} from './config-form';

const KIND_LABELS: Readonly<Record<string, PlainKey>> = {
  simulated: 'devcfg.kind.simulated',
  tcp: 'devcfg.kind.tcp',
  serial: 'devcfg.kind.serial',
  usb: 'devcfg.kind.usb',
  none: 'devcfg.kind.none',
  wedge: 'devcfg.kind.wedge',
  hid: 'devcfg.kind.hid',
  keyboard: 'devcfg.kind.keyboard',
  window: 'devcfg.kind.window',
  network: 'devcfg.kind.network',
};

function KindSelect({
  id,
  kinds,
  value,
  onChange,
  issue,
}: {
  id: string;
  kinds: readonly string[];
  value: string;
  onChange: (kind: string) => void;
  issue: string | undefined;
}) {
  const { t } = useI18n();
  return (
    <ConfigField id={id} label={t('devcfg.connection')} issue={issue}>
      {(aria) => (
        <select
          {...aria}
          className="input"
          data-testid={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(KIND_LABELS[k] ?? 'devcfg.kind.none')}
            </option>
          ))}
        </select>
      )}
    </ConfigField>
  );
}

/** Pick one of the discovered devices (fills the path), or type it. */
function DevicePicker({
  id,
  devices,
  value,
  onPick,
}: {
  id: string;
  devices: readonly DiscoveredDevice[];
  value: string;
  onPick: (device: DiscoveredDevice) => void;
}) {
  const { t } = useI18n();
  if (devices.length === 0) return <p className="field-hint">{t('devcfg.noneFound')}</p>;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {t('devcfg.found')}
      </label>
      <select
        id={id}
        className="input"
        data-testid={id}
        value={devices.find((d) => d.key === value || d.path === value)?.key ?? ''}
        onChange={(e) => {
          const device = devices.find((d) => d.key === e.target.value);
          if (device) onPick(device);
        }}
      >
        <option value="">{t('devcfg.pick')}</option>
        {devices.map((d) => (
          <option key={d.key} value={d.key}>
            {describeDiscovered(d)}
          </option>
        ))}
      </select>
    </div>
  );
}

function SerialFields({
  id,
  form,
  onChange,
  ports,
  issue,
}: {
  id: string;
  form: { serialPath: string; baud: string };
  onChange: (patch: { serialPath?: string; baud?: string }) => void;
  ports: readonly DiscoveredDevice[];
  issue: string | undefined;
}) {
  const { t } = useI18n();
  return (
    <>
      <DevicePicker
        id={`${id}-pick`}
        devices={ports}
        value={form.serialPath}
        onPick={(d) => onChange({ serialPath: d.path ?? '' })}
      />
      <div className="field-row">
        <ConfigField
          id={`${id}-path`}
          label={t('devcfg.serialPath')}
          issue={issue}
          hint={t('devcfg.serialPathHint')}
        >
          {(aria) => (
            <input
              {...aria}
              className="input"
              data-testid={`${id}-path`}
              value={form.serialPath}
              onChange={(e) => onChange({ serialPath: e.target.value })}
            />
          )}
        </ConfigField>
        <ConfigField id={`${id}-baud`} label={t('devcfg.baud')} issue={undefined}>
          {(aria) => (
            <select
              {...aria}
              className="input"
              data-testid={`${id}-baud`}
              value={form.baud}
              onChange={(e) => onChange({ baud: e.target.value })}
            >
              {BAUDS.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          )}
        </ConfigField>
      </div>
    </>
  );
}

export function PrinterSection({
  form,
  onChange,
  listing,
  issues,
}: {
  form: PrinterForm;
  onChange: (patch: Partial<PrinterForm>) => void;
  listing: DeviceListing | null;
  issues: Issues;
}) {
  const { t } = useI18n();
  const issue = issues['printer.connection'];
  return (
    <section className="tech-panel devcfg-section" data-testid="cfg-printer">
      <h2>{t('tech.device.printer')}</h2>
      <KindSelect
        id="cfg-printer-kind"
        kinds={PRINTER_KINDS}
        value={form.kind}
        onChange={(kind) => onChange({ kind: kind as PrinterForm['kind'] })}
        issue={form.kind === 'simulated' || form.kind === 'none' ? issue : undefined}
      />
      {form.kind === 'tcp' ? (
        <div className="field-row">
          <ConfigField
            id="cfg-printer-host"
            label={t('devcfg.host')}
            issue={issue}
            hint={t('devcfg.hostHint')}
          >
            {(aria) => (
              <input
                {...aria}
                className="input"
                data-testid="cfg-printer-host"
                value={form.host}
                onChange={(e) => onChange({ host: e.target.value })}
              />
            )}
          </ConfigField>
          <ConfigField id="cfg-printer-port" label={t('devcfg.port')} issue={undefined}>
            {(aria) => (
              <input
                {...aria}
                className="input"
                inputMode="numeric"
                data-testid="cfg-printer-port"
                value={form.port}
                onChange={(e) => onChange({ port: e.target.value })}
              />
            )}
          </ConfigField>
        </div>
      ) : null}
      {form.kind === 'serial' ? (
        <SerialFields
          id="cfg-printer-serial"
          form={form}
          onChange={onChange}
          ports={listing?.serial ?? []}
          issue={issue}
        />
      ) : null}
      {form.kind === 'usb' ? (
        <>
          {(listing?.usbPrinters.length ?? 0) > 0 ? (
            <p className="field-hint" data-testid="cfg-usb-found">
              {t('devcfg.usbFound', { paths: listing?.usbPrinters.join(', ') ?? '' })}
            </p>
          ) : null}
          <ConfigField id="cfg-printer-usb" label={t('devcfg.usbPath')} issue={issue}>
            {(aria) => (
              <select
                {...aria}
                className="input"
                data-testid="cfg-printer-usb"
                value={form.usbPath}
                onChange={(e) => onChange({ usbPath: e.target.value })}
              >
                {[
                  ...new Set([form.usbPath, ...(listing?.usbPrinters ?? []), '/dev/usb/lp0', '/dev/usb/lp1']),
                ].map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            )}
          </ConfigField>
        </>
      ) : null}
      {form.kind !== 'none' ? (
        <div className="field-row">
          <ConfigField id="cfg-printer-type" label={t('devcfg.printerType')} issue={issues['printer.type']}>
            {(aria) => (
              <select
                {...aria}
                className="input"
                data-testid="cfg-printer-type"
                value={form.type}
                onChange={(e) => onChange({ type: e.target.value as PrinterForm['type'] })}
              >
                <option value="epson">EPSON (ESC/POS)</option>
                <option value="star">STAR (Star Line Mode)</option>
              </select>
            )}
          </ConfigField>
          <ConfigField id="cfg-printer-paper" label={t('devcfg.paper')} issue={issues['printer.paper']}>
            {(aria) => (
              <select
                {...aria}
                className="input"
                data-testid="cfg-printer-paper"
                value={form.paper}
                onChange={(e) => onChange({ paper: e.target.value as PrinterForm['paper'] })}
              >
                <option value="80mm">80 mm</option>
                <option value="58mm">58 mm</option>
              </select>
            )}
          </ConfigField>
        </div>
      ) : null}
    </section>
  );
}

export function DrawerSection({
  form,
  onChange,
  issues,
}: {
  form: DrawerForm;
  onChange: (patch: Partial<DrawerForm>) => void;
  issues: Issues;
}) {
  const { t } = useI18n();
  return (
    <section className="tech-panel devcfg-section" data-testid="cfg-drawer">
      <h2>{t('tech.device.drawer')}</h2>
      <ConfigField
        id="cfg-drawer-connection"
        label={t('devcfg.connection')}
        issue={issues['drawer.connection']}
      >
        {(aria) => (
          <select
            {...aria}
            className="input"
            data-testid="cfg-drawer-connection"
            value={form.connection}
            onChange={(e) => onChange({ connection: e.target.value as DrawerForm['connection'] })}
          >
            <option value="printer">{t('devcfg.drawerOnPrinter')}</option>
            <option value="none">{t('devcfg.kind.none')}</option>
          </select>
        )}
      </ConfigField>
      {form.connection === 'printer' ? (
        <div className="field-row">
          <ConfigField id="cfg-drawer-pin" label={t('devcfg.pin')} issue={issues['drawer.pin']}>
            {(aria) => (
              <select
                {...aria}
                className="input"
                data-testid="cfg-drawer-pin"
                value={form.pin}
                onChange={(e) => onChange({ pin: e.target.value === '5' ? '5' : '2' })}
              >
                <option value="2">{t('devcfg.pinN', { pin: 2 })}</option>
                <option value="5">{t('devcfg.pinN', { pin: 5 })}</option>
              </select>
            )}
          </ConfigField>
          <ConfigField id="cfg-drawer-on" label={t('devcfg.pulseOn')} issue={issues['drawer.pulseOnMs']}>
            {(aria) => (
              <input
                {...aria}
                className="input"
                inputMode="numeric"
                data-testid="cfg-drawer-on"
                value={form.pulseOnMs}
                onChange={(e) => onChange({ pulseOnMs: e.target.value })}
              />
            )}
          </ConfigField>
          <ConfigField id="cfg-drawer-off" label={t('devcfg.pulseOff')} issue={issues['drawer.pulseOffMs']}>
            {(aria) => (
              <input
                {...aria}
                className="input"
                inputMode="numeric"
                data-testid="cfg-drawer-off"
                value={form.pulseOffMs}
                onChange={(e) => onChange({ pulseOffMs: e.target.value })}
              />
            )}
          </ConfigField>
          <ConfigField
            id="cfg-drawer-polarity"
            label={t('devcfg.polarity')}
            issue={issues['drawer.polarity']}
          >
            {(aria) => (
              <select
                {...aria}
                className="input"
                data-testid="cfg-drawer-polarity"
                value={form.polarity}
                onChange={(e) => onChange({ polarity: e.target.value as DrawerForm['polarity'] })}
              >
                <option value="open_when_high">{t('devcfg.openWhenHigh')}</option>
                <option value="open_when_low">{t('devcfg.openWhenLow')}</option>
              </select>
            )}
          </ConfigField>
        </div>
      ) : null}
    </section>
  );
}

export type InputSlot = 'scanner' | 'cardReader' | 'customerDisplay';

const SLOT_INFO: Readonly<Record<InputSlot, { title: PlainKey; kinds: readonly string[]; id: string }>> = {
  scanner: { title: 'tech.device.scanner', kinds: SCANNER_KINDS, id: 'cfg-scanner' },
  cardReader: { title: 'tech.device.card_reader', kinds: CARD_READER_KINDS, id: 'cfg-card-reader' },
  customerDisplay: { title: 'tech.device.customer_display', kinds: DISPLAY_KINDS, id: 'cfg-display' },
};

export function InputSection({
  slot,
  form,
  mode,
  onChange,
  listing,
  issues,
}: {
  slot: InputSlot;
  form: InputForm;
  /** The card reader's read mode. */
  mode?: string;
  onChange: (patch: Partial<InputForm> & { mode?: string }) => void;
  listing: DeviceListing | null;
  issues: Issues;
}) {
  const { t } = useI18n();
  const info = SLOT_INFO[slot];
  const issue = issues[`${slot}.connection`];
  return (
    <section className="tech-panel devcfg-section" data-testid={info.id}>
      <h2>{t(info.title)}</h2>
      <KindSelect
        id={`${info.id}-kind`}
        kinds={info.kinds}
        value={form.kind}
        onChange={(kind) => onChange({ kind: kind as InputKind })}
        issue={form.kind === 'serial' || form.kind === 'hid' ? undefined : issue}
      />
      {form.kind === 'serial' ? (
        <SerialFields
          id={`${info.id}-serial`}
          form={form}
          onChange={onChange}
          ports={listing?.serial ?? []}
          issue={issue}
        />
      ) : null}
      {form.kind === 'hid' ? (
        <>
          <DevicePicker
            id={`${info.id}-hid-pick`}
            devices={listing?.hid ?? []}
            value={listing?.hid.find((d) => hidConnectionOf(d) === form.hid)?.key ?? ''}
            onPick={(d) => onChange({ hid: hidConnectionOf(d) })}
          />
          <ConfigField
            id={`${info.id}-hid`}
            label={t('devcfg.hidConnection')}
            issue={issue}
            hint={t('devcfg.hidHint')}
          >
            {(aria) => (
              <input
                {...aria}
                className="input"
                data-testid={`${info.id}-hid`}
                value={form.hid}
                onChange={(e) => onChange({ hid: e.target.value })}
              />
            )}
          </ConfigField>
        </>
      ) : null}
      {slot === 'cardReader' && form.kind !== 'none' ? (
        <ConfigField id="cfg-card-reader-mode" label={t('devcfg.readMode')} issue={issues['cardReader.mode']}>
          {(aria) => (
            <select
              {...aria}
              className="input"
              data-testid="cfg-card-reader-mode"
              value={mode ?? 'auto'}
              onChange={(e) => onChange({ mode: e.target.value })}
            >
              <option value="auto">{t('devcfg.mode.auto')}</option>
              <option value="magstripe">{t('devcfg.mode.magstripe')}</option>
              <option value="uid">{t('devcfg.mode.uid')}</option>
            </select>
          )}
        </ConfigField>
      ) : null}
    </section>
  );
}

export function TerminalSection({
  form,
  onChange,
  issues,
}: {
  form: TerminalForm;
  onChange: (patch: Partial<TerminalForm>) => void;
  issues: Issues;
}) {
  const { t } = useI18n();
  const text = (
    key: keyof TerminalForm,
    id: string,
    label: string,
    issue: string | undefined,
    hint?: string,
  ) => (
    <ConfigField id={id} label={label} issue={issue} hint={hint}>
      {(aria) => (
        <input
          {...aria}
          className="input"
          data-testid={id}
          value={form[key]}
          onChange={(e) => onChange({ [key]: e.target.value })}
        />
      )}
    </ConfigField>
  );
  return (
    <section className="tech-panel devcfg-section" data-testid="cfg-terminal">
      <h2>{t('tech.device.payment_terminal')}</h2>
      <KindSelect
        id="cfg-terminal-kind"
        kinds={TERMINAL_KINDS}
        value={form.kind}
        onChange={(kind) => onChange({ kind: kind as TerminalForm['kind'] })}
        issue={form.kind === 'network' ? undefined : issues['paymentTerminal.connection']}
      />
      {form.kind === 'network' ? (
        <>
          {text(
            'url',
            'cfg-terminal-url',
            t('devcfg.terminalUrl'),
            issues['paymentTerminal.connection'],
            t('devcfg.terminalUrlHint'),
          )}
          <div className="field-row">
            {text('poiId', 'cfg-terminal-poi', t('devcfg.poiId'), issues['paymentTerminal.poiId'])}
            {text(
              'saleId',
              'cfg-terminal-sale',
              t('devcfg.saleId'),
              issues['paymentTerminal.saleId'],
              t('devcfg.saleIdHint'),
            )}
          </div>
          <div className="field-row">
            {text(
              'caFile',
              'cfg-terminal-ca',
              t('devcfg.caFile'),
              issues['paymentTerminal.tls.caFile'] ?? issues['paymentTerminal.tls'],
            )}
            {text(
              'servername',
              'cfg-terminal-name',
              t('devcfg.servername'),
              issues['paymentTerminal.tls.servername'],
              t('devcfg.servernameHint'),
            )}
          </div>
        </>
      ) : null}
    </section>
  );
}
