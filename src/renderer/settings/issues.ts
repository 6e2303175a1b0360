/**
 * Field-level problems of a settings form: from the contract's own schema before sending (so the manager sees
 * them as they type), and from the core's `bad_input` answer (its zod issues, plus the checks that need the
 * station's state). Each is keyed by its path (`tenders.2.code`) and carries a reason the screen translates.
 */
import type { z } from 'zod';
import type { ErrorData } from '../../shared/domain/errors';
import type { PlainKey, Translate } from '../i18n/index';

export interface FieldIssue {
  readonly path: string;
  readonly reason: string;
  /** The core's English message: shown under the translated sentence when no sentence fits the reason. */
  readonly message: string;
}

export type IssueMap = ReadonlyMap<string, FieldIssue>;

export const NO_ISSUES: IssueMap = new Map();

function toMap(issues: readonly FieldIssue[]): IssueMap {
  const map = new Map<string, FieldIssue>();
  for (const issue of issues) if (!map.has(issue.path)) map.set(issue.path, issue);
  return map;
}

/** Problems the schema finds in `value` (empty when it parses). */
export function localIssues(schema: z.ZodType, value: unknown): IssueMap {
  const parsed = schema.safeParse(value);
  if (parsed.success) return NO_ISSUES;
  return toMap(
    parsed.error.issues.map((issue) => {
      const params = (issue as { params?: { reason?: unknown } }).params;
      const reason = typeof params?.reason === 'string' ? params.reason : issue.code;
      return { path: issue.path.map(String).join('.'), reason, message: issue.message };
    }),
  );
}

/** The field problems of a `bad_input` answer, or null when the error is about something else. */
export function remoteIssues(error: ErrorData): IssueMap | null {
  if (error.code !== 'bad_input') return null;
  const raw = error.details?.['issues'];
  if (!Array.isArray(raw)) return null;
  const issues: FieldIssue[] = [];
  for (const item of raw as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { path, reason, code, message } = item as Record<string, unknown>;
    if (typeof path !== 'string') continue;
    issues.push({
      path,
      reason: typeof reason === 'string' ? reason : typeof code === 'string' ? code : 'invalid',
      message: typeof message === 'string' ? message : '',
    });
  }
  return issues.length > 0 ? toMap(issues) : null;
}

/** The issue at exactly `path`, or the first one under it (`tenders.2` finds `tenders.2.code`). */
export function issueAt(issues: IssueMap, path: string): FieldIssue | null {
  const exact = issues.get(path);
  if (exact) return exact;
  for (const [key, issue] of issues) if (key.startsWith(`${path}.`)) return issue;
  return null;
}

const REASON_KEYS: Readonly<Record<string, PlainKey>> = {
  cash_increment_currency: 'settings.issue.cashIncrement',
  price_decimals: 'settings.issue.priceDecimals',
  tender_type_fixed: 'settings.issue.tenderTypeFixed',
  tender_code_taken: 'settings.issue.tenderCodeTaken',
  cash_required: 'settings.issue.cashRequired',
  one_cash: 'settings.issue.oneCash',
  layout_length: 'settings.issue.layoutLength',
  value_check_digit: 'settings.issue.valueCheckDigit',
  prefix_taken: 'settings.issue.prefixTaken',
  invalid_format: 'settings.issue.format',
  too_small: 'settings.issue.tooSmall',
  too_big: 'settings.issue.tooBig',
};

/** The sentence for an issue in the screen's language. */
export function describeIssue(issue: FieldIssue, t: Translate): string {
  const key = REASON_KEYS[issue.reason];
  return key ? t(key) : `${t('settings.issue.invalid')} (${issue.message})`;
}
