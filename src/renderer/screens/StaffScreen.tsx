import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ErrorData } from '../../shared/domain/errors';
import { ROLES, type Role } from '../../shared/domain/permissions';
import { PersonNameSchema, type StaffMember } from '../../shared/ipc/contract';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { NewPinInput } from '../components/NewPinInput';
import { checkName, checkPin, checkPinConfirm, firstInvalid, type FieldError } from '../forms';
import { isEditableTarget, useKeyDown } from '../hooks/keyboard';
import { useI18n } from '../i18n/context';
import { ROLE_LABELS } from '../i18n/index';
import { useClient } from '../ipc/context';

const FIELDS = ['name', 'pin', 'pinConfirm'] as const;
type FieldName = (typeof FIELDS)[number];
const FIELD_IDS: Readonly<Record<FieldName, string>> = {
  name: 'staff-create-name',
  pin: 'staff-create-pin',
  pinConfirm: 'staff-create-pin-confirm',
};

type Notice = {
  readonly kind: 'created' | 'unlocked' | 'deactivated' | 'reactivated';
  readonly name: string;
} | null;

const NOTICE_KEYS = {
  created: 'staff.created',
  unlocked: 'staff.unlocked',
  deactivated: 'staff.deactivated',
  reactivated: 'staff.reactivated',
} as const;

interface Props {
  readonly currentUserId: string;
  readonly active: boolean;
  readonly onBack: () => void;
}

function byName(a: StaffMember, b: StaffMember): number {
  return a.name.localeCompare(b.name);
}

/** List staff, add one, lift a PIN lock-out, deactivate or reactivate. The core checks staff.manage. */
export function StaffScreen({ currentUserId, active, onBack }: Props) {
  const client = useClient();
  const { t, formatTime } = useI18n();
  const [staff, setStaff] = useState<readonly StaffMember[] | null>(null);
  const [reloads, setReloads] = useState(0);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('cashier');
  const [pin, setPin] = useState('');
  const [pinConfirm, setPinConfirm] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FieldName, FieldError | null>>>({});
  const [creating, setCreating] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    let current = true;
    void client.call('staff:list', {}).then((result) => {
      if (!current) return;
      if (result.ok) {
        setStaff([...result.value].sort(byName));
        setNow(Date.now());
      } else {
        setFailure(result.error);
      }
    });
    return () => {
      current = false;
    };
  }, [client, reloads]);

  // Lock-outs expire on their own; re-evaluate "locked until" against the clock now and then.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  const formDirty = name !== '' || pin !== '' || pinConfirm !== '' || role !== 'cashier';
  const resetForm = () => {
    setName('');
    setRole('cashier');
    setPin('');
    setPinConfirm('');
    setErrors({});
  };

  useKeyDown((event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    // Escape inside a half-filled form clears it first; otherwise it leaves the screen.
    if (formDirty && isEditableTarget(event.target) && formRef.current?.contains(event.target as Node))
      resetForm();
    else onBack();
  }, active);

  const replace = (member: StaffMember) =>
    setStaff((list) => [...(list ?? []).filter((m) => m.id !== member.id), member].sort(byName));

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (creating) return;
    const found: Record<FieldName, FieldError | null> = {
      name: checkName(name, PersonNameSchema),
      pin: checkPin(pin),
      pinConfirm: checkPinConfirm(pin, pinConfirm),
    };
    setErrors(found);
    const invalid = firstInvalid(FIELDS, found);
    if (invalid) {
      document.getElementById(FIELD_IDS[invalid])?.focus();
      return;
    }
    setCreating(true);
    setFailure(null);
    setNotice(null);
    const result = await client.call('staff:create', { name: name.trim(), role, pin });
    setCreating(false);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    replace(result.value);
    resetForm();
    setNotice({ kind: 'created', name: result.value.name });
    document.getElementById(FIELD_IDS.name)?.focus();
  };

  const unlock = async (member: StaffMember) => {
    setBusyId(member.id);
    setFailure(null);
    setNotice(null);
    const result = await client.call('staff:unlock', { userId: member.id });
    setBusyId(null);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    replace(result.value);
    setNotice({ kind: 'unlocked', name: result.value.name });
  };

  const setActive = async (member: StaffMember, activeNext: boolean) => {
    setBusyId(member.id);
    setFailure(null);
    setNotice(null);
    const result = await client.call('staff:set-active', { userId: member.id, active: activeNext });
    setBusyId(null);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    replace(result.value);
    setNotice({ kind: result.value.active ? 'reactivated' : 'deactivated', name: result.value.name });
  };

  const isLockedOut = (member: StaffMember) =>
    member.lockedUntil !== null && !(Date.parse(member.lockedUntil) <= now);

  return (
    <main className="staff-screen" data-testid="staff-screen">
      <div className="screen-title">
        <button type="button" className="button secondary" data-testid="staff-back" onClick={onBack}>
          ← {t('staff.back')}
        </button>
        <h1>{t('staff.title')}</h1>
      </div>

      <div className="live-region" aria-live="polite">
        {notice ? (
          <p className="notice" role="status" data-testid="staff-notice">
            {t(NOTICE_KEYS[notice.kind], { name: notice.name })}
          </p>
        ) : null}
      </div>
      <ErrorMessage error={failure} onRetry={staff === null ? () => setReloads((n) => n + 1) : undefined} />

      <div className="staff-layout">
        <section className="staff-list" aria-labelledby="staff-list-title">
          <h2 id="staff-list-title" className="visually-hidden">
            {t('staff.title')}
          </h2>
          {staff === null && !failure ? <p className="muted">{t('staff.loading')}</p> : null}
          {staff !== null && staff.length === 0 ? <p className="muted">{t('staff.empty')}</p> : null}
          {staff !== null && staff.length > 0 ? (
            <table className="table" data-testid="staff-list">
              <thead>
                <tr>
                  <th scope="col">{t('staff.name')}</th>
                  <th scope="col">{t('staff.role')}</th>
                  <th scope="col">{t('staff.status')}</th>
                  <th scope="col">{t('staff.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {staff.map((member) => {
                  const lockedOut = isLockedOut(member);
                  const self = member.id === currentUserId;
                  const busy = busyId === member.id;
                  return (
                    <tr
                      key={member.id}
                      data-testid={`staff-row-${member.name}`}
                      className={member.active ? undefined : 'inactive'}
                    >
                      <th scope="row">
                        {member.name}
                        {self ? <span className="muted"> {t('staff.you')}</span> : null}
                      </th>
                      <td>{t(ROLE_LABELS[member.role])}</td>
                      <td>
                        <span className={member.active ? 'status ok' : 'status off'}>
                          {member.active ? t('staff.active') : t('staff.inactive')}
                        </span>
                        {lockedOut && member.lockedUntil !== null ? (
                          <span className="status warn">
                            {t('staff.lockedUntil', { time: formatTime(member.lockedUntil) })}
                          </span>
                        ) : null}
                      </td>
                      <td>
                        <div className="row-actions">
                          {lockedOut ? (
                            <button
                              type="button"
                              className="button secondary"
                              data-testid={`staff-unlock-${member.name}`}
                              disabled={busy}
                              onClick={() => void unlock(member)}
                            >
                              {t('staff.unlock')}
                            </button>
                          ) : null}
                          {self ? null : (
                            <button
                              type="button"
                              className={member.active ? 'button danger' : 'button secondary'}
                              data-testid={`staff-set-active-${member.name}`}
                              disabled={busy}
                              onClick={() => void setActive(member, !member.active)}
                            >
                              {member.active ? t('staff.deactivate') : t('staff.reactivate')}
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : null}
        </section>

        <section className="staff-create" aria-labelledby="staff-create-title">
          <h2 id="staff-create-title">{t('staff.add')}</h2>
          <form ref={formRef} data-testid="staff-create-form" noValidate onSubmit={(e) => void create(e)}>
            <Field id={FIELD_IDS.name} label={t('staff.name')} error={errors.name ?? null}>
              {(aria) => (
                <input
                  {...aria}
                  className="input"
                  data-testid="staff-create-name"
                  type="text"
                  autoComplete="off"
                  maxLength={PersonNameSchema.maxLength ?? undefined}
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                />
              )}
            </Field>
            <Field id="staff-create-role" label={t('staff.role')} error={null}>
              {(aria) => (
                <select
                  {...aria}
                  className="input"
                  data-testid="staff-create-role"
                  value={role}
                  onChange={(e) => setRole(e.target.value as Role)}
                >
                  {ROLES.map((option) => (
                    <option key={option} value={option}>
                      {t(ROLE_LABELS[option])}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id={FIELD_IDS.pin} label={t('staff.pin')} error={errors.pin ?? null}>
              {(aria) => <NewPinInput aria={aria} testId="staff-create-pin" value={pin} onChange={setPin} />}
            </Field>
            <Field id={FIELD_IDS.pinConfirm} label={t('staff.pinConfirm')} error={errors.pinConfirm ?? null}>
              {(aria) => (
                <NewPinInput
                  aria={aria}
                  testId="staff-create-pin-confirm"
                  value={pinConfirm}
                  onChange={setPinConfirm}
                />
              )}
            </Field>
            <button
              type="submit"
              className="button primary wide"
              data-testid="staff-create-submit"
              disabled={creating}
            >
              {t('staff.submit')}
            </button>
          </form>
        </section>
      </div>
    </main>
  );
}
