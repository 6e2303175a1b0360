import { useState } from 'react';
import type { Permission } from '../../shared/domain/permissions';
import type { SessionInfo } from '../../shared/ipc/contract';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useI18n } from '../i18n/context';
import { ROLE_LABELS, type PlainKey } from '../i18n/index';
import { CheckoutScreen } from '../checkout/CheckoutScreen';
import { StaffScreen } from './StaffScreen';
import { SyncBadge } from '../sync/SyncBadge';
import { SyncScreen } from '../sync/SyncScreen';
import { PaperStrip } from '../printing/PaperStrip';
import { ShiftScreen } from '../shift/ShiftScreen';
import { ReportsScreen } from '../reports/ReportsScreen';
import { AlertsScreen } from '../alerts/AlertsScreen';
import { SignInAlerts } from '../alerts/SignInAlerts';
import { TechnicianScreen } from '../technician/TechnicianScreen';
import { AuditScreen } from '../audit/AuditScreen';
import { BackupScreen } from '../backup/BackupScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { useSignOutWarning } from '../shift/SignOutWarning';

type View =
  | 'tiles'
  | 'staff'
  | 'checkout'
  | 'sync'
  | 'paper'
  | 'shift'
  | 'reports'
  | 'alerts'
  | 'devices'
  | 'audit'
  | 'backup'
  | 'settings';

interface Tile {
  readonly id: string;
  readonly permission: Permission;
  readonly title: PlainKey;
  readonly hint: PlainKey;
  /** The view it opens, or null while the feature is not in this version yet. */
  readonly opens: View | null;
}

const TILES: readonly Tile[] = [
  {
    id: 'checkout',
    permission: 'sale.operate',
    title: 'home.checkout',
    hint: 'home.checkoutHint',
    opens: 'checkout',
  },
  { id: 'staff', permission: 'staff.manage', title: 'home.staff', hint: 'home.staffHint', opens: 'staff' },
  {
    id: 'devices',
    permission: 'devices.test',
    title: 'home.devices',
    hint: 'home.devicesHint',
    opens: 'devices',
  },
  { id: 'sync', permission: 'sync.manage', title: 'home.sync', hint: 'home.syncHint', opens: 'sync' },
  { id: 'paper', permission: 'sale.operate', title: 'print.paper', hint: 'print.paperHint', opens: 'paper' },
  { id: 'shift', permission: 'shift.operate', title: 'home.shift', hint: 'home.shiftHint', opens: 'shift' },
  {
    id: 'reports',
    permission: 'reports.view',
    title: 'home.reports',
    hint: 'home.reportsHint',
    opens: 'reports',
  },
  {
    id: 'alerts',
    permission: 'reports.view',
    title: 'home.alerts',
    hint: 'home.alertsHint',
    opens: 'alerts',
  },
  { id: 'audit', permission: 'audit.view', title: 'home.audit', hint: 'home.auditHint', opens: 'audit' },
  {
    id: 'backup',
    permission: 'backup.manage',
    title: 'home.backup',
    hint: 'home.backupHint',
    opens: 'backup',
  },
  {
    id: 'settings',
    permission: 'settings.manage',
    title: 'home.settings',
    hint: 'home.settingsHint',
    opens: 'settings',
  },
];

interface Props {
  readonly storeName: string | null;
  readonly session: SessionInfo;
  /** False while the lock screen covers this one: it stays mounted (and keeps its state) but inert. */
  readonly active: boolean;
  readonly onLock: () => void;
  readonly onSignOut: () => void;
}

export function HomeScreen({ storeName, session, active, onLock, onSignOut }: Props) {
  const { t } = useI18n();
  const [view, setView] = useState<View>('tiles');
  const can = (permission: Permission) => session.permissions.includes(permission);
  const tiles = TILES.filter((tile) => can(tile.permission));
  const showStaff = view === 'staff' && can('staff.manage');
  const showCheckout = view === 'checkout' && can('sale.operate');
  const showSync = view === 'sync' && can('sync.manage');
  const showPaper = view === 'paper' && can('sale.operate');
  const showShift = view === 'shift' && can('shift.operate');
  const showReports = view === 'reports' && can('reports.view');
  const showAlerts = view === 'alerts' && can('reports.view');
  const showDevices = view === 'devices' && can('devices.test');
  const showAudit = view === 'audit' && can('audit.view');
  const showBackup = view === 'backup' && can('backup.manage');
  const showSettings = view === 'settings' && can('settings.manage');
  // Signing out with records the store server has not received yet: warned about at the end of the day.
  const signOut = useSignOutWarning(can('shift.operate'), onSignOut);

  return (
    <div
      className={showCheckout ? 'screen home-screen checkout-mode' : 'screen home-screen'}
      data-testid="home-screen"
      hidden={!active}
      inert={!active}
    >
      <header className="top-bar">
        <span className="brand">{storeName ?? t('app.title')}</span>
        <span className="header-user" data-testid="header-user">
          <span className="user-name">{session.user.name}</span>
          <span className="role-badge">{t(ROLE_LABELS[session.user.role])}</span>
        </span>
        <SyncBadge />
        <LanguageSwitch />
        <button type="button" className="button secondary" data-testid="lock-button" onClick={onLock}>
          {t('header.lock')}
        </button>
        <button
          type="button"
          className="button secondary"
          data-testid="signout-button"
          onClick={() => void signOut.requestSignOut()}
        >
          {t('header.signOut')}
        </button>
      </header>
      {showCheckout ? (
        <CheckoutScreen storeName={storeName} active={active} onExit={() => setView('tiles')} />
      ) : showShift ? (
        <ShiftScreen active={active} onBack={() => setView('tiles')} />
      ) : showReports ? (
        <ReportsScreen active={active} onBack={() => setView('tiles')} />
      ) : showAlerts ? (
        <AlertsScreen active={active} onBack={() => setView('tiles')} />
      ) : showAudit ? (
        <AuditScreen active={active} onBack={() => setView('tiles')} />
      ) : showSettings ? (
        <SettingsScreen active={active} onBack={() => setView('tiles')} />
      ) : showBackup ? (
        <BackupScreen active={active} canRestore={can('backup.restore')} onBack={() => setView('tiles')} />
      ) : showDevices ? (
        <TechnicianScreen active={active} onBack={() => setView('tiles')} />
      ) : showPaper ? (
        <PaperStrip onBack={() => setView('tiles')} />
      ) : showSync ? (
        <SyncScreen active={active} onBack={() => setView('tiles')} />
      ) : showStaff ? (
        <StaffScreen currentUserId={session.user.id} active={active} onBack={() => setView('tiles')} />
      ) : (
        <main className="home-main">
          <h1>{t('home.greeting', { name: session.user.name })}</h1>
          {tiles.length === 0 ? <p className="muted">{t('home.nothing')}</p> : null}
          <ul className="tile-grid">
            {tiles.map((tile) => {
              const opens = tile.opens;
              const hintId = `tile-${tile.id}-hint`;
              return (
                <li key={tile.id}>
                  <button
                    type="button"
                    className="tile"
                    data-testid={`tile-${tile.id}`}
                    aria-disabled={opens === null}
                    aria-describedby={hintId}
                    title={opens === null ? t('home.notYet') : undefined}
                    onClick={opens === null ? undefined : () => setView(opens)}
                  >
                    <span className="tile-title">{t(tile.title)}</span>
                    <span className="tile-hint" id={hintId}>
                      {t(tile.hint)}
                      {opens === null ? <span className="tile-badge">{t('home.notYet')}</span> : null}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </main>
      )}
      <SignInAlerts key={session.user.id} enabled={can('reports.view')} />
      {signOut.warning}
    </div>
  );
}
