import { useState, type ReactNode } from 'react';
import type { ErrorData, Result } from '../../shared/domain/errors';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/context';
import { describeIssue, issueAt, NO_ISSUES, remoteIssues, type IssueMap } from './issues';

/** A labelled control with the issue at its path (if any) under it, wired for screen readers. */
export function SettingField({
  id,
  label,
  issues,
  path,
  hint,
  children,
}: {
  readonly id: string;
  readonly label: string;
  readonly issues: IssueMap;
  readonly path: string;
  readonly hint?: string | undefined;
  readonly children: (aria: { id: string; 'aria-invalid': boolean; 'aria-describedby': string }) => ReactNode;
}) {
  const issue = issueAt(issues, path);
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': issue !== null, 'aria-describedby': `${id}-note` })}
      <div id={`${id}-note`}>
        {hint ? <p className="field-hint">{hint}</p> : null}
        <IssueText issues={issues} path={path} />
      </div>
    </div>
  );
}

/** The translated issue at a path: exactly there, or (by default) also the first one below it. */
export function IssueText({
  issues,
  path,
  exact = false,
}: {
  issues: IssueMap;
  path: string;
  exact?: boolean;
}) {
  const { t } = useI18n();
  const issue = exact ? (issues.get(path) ?? null) : issueAt(issues, path);
  if (!issue) return null;
  return (
    <p className="field-error" data-testid={`issue-${path}`}>
      {describeIssue(issue, t)}
    </p>
  );
}

/**
 * Saving one section: checks first (the contract's schema, run here), then the call. A `bad_input` answer becomes
 * field issues; anything else is shown as an error with its next step. `saved` stays until the next edit.
 */
export function useSectionSave<T>(
  check: () => IssueMap,
  call: () => Promise<Result<T>>,
  onSaved: (value: T) => void,
) {
  const [issues, setIssues] = useState<IssueMap>(NO_ISSUES);
  const [failure, setFailure] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const save = async () => {
    if (busy) return;
    setSaved(false);
    setFailure(null);
    const found = check();
    setIssues(found);
    if (found.size > 0) return;
    setBusy(true);
    const result = await call();
    setBusy(false);
    if (result.ok) {
      setSaved(true);
      onSaved(result.value);
      return;
    }
    const fromCore = remoteIssues(result.error);
    if (fromCore) setIssues(fromCore);
    else setFailure(result.error);
  };
  const edited = () => setSaved(false);
  return { issues, failure, busy, saved, save, edited };
}

/** The save button, the "saved" notice and the error of a section. */
export function SectionActions({
  testId,
  busy,
  saved,
  failure,
  onSave,
}: {
  readonly testId: string;
  readonly busy: boolean;
  readonly saved: boolean;
  readonly failure: ErrorData | null;
  readonly onSave: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="settings-actions">
      <ErrorMessage error={failure} />
      {saved ? (
        <p className="notice" role="status" data-testid={`${testId}-saved`}>
          {t('settings.saved')}
        </p>
      ) : null}
      <button
        type="button"
        className="button primary"
        data-testid={`${testId}-save`}
        disabled={busy}
        onClick={onSave}
      >
        {busy ? t('settings.saving') : t('settings.save')}
      </button>
    </div>
  );
}
