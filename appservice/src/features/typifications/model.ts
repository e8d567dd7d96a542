import Type, { type Static } from 'typebox';
import { ok, problem, type ArgResult } from '../../commands/args.ts';
import { fold } from '../../commands/tokenize.ts';

/** A catalog: a campaign id, or null for the global catalog. */
export type CatalogId = string | null;

export const GLOBAL_WORD = 'global';
export const CODE_MAX = 32;
export const LABEL_MAX = 120;
export const DESCRIPTION_MAX = 500;
const CODE_PATTERN = /^[A-Z0-9_]{1,32}$/;
const CAMPAIGN_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;

export interface Typification {
  id: string;
  campaignId: CatalogId;
  code: string;
  label: string;
  description: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What the audit keeps of a typification before and after a change. */
export const SnapshotSchema = Type.Object({
  code: Type.String(),
  label: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
});
export type Snapshot = Static<typeof SnapshotSchema>;

export const snapshot = (t: Pick<Typification, 'code' | 'label' | 'description' | 'active'>): Snapshot => ({
  code: t.code,
  label: t.label,
  description: t.description,
  active: t.active,
});

/** A code as stored: upper case, letters A–Z without accents, digits and `_`, 1 to 32 of them. */
export function checkCode(raw: string): ArgResult<string> {
  const code = raw.trim().toUpperCase();
  if (CODE_PATTERN.test(code)) return ok(code);
  return problem('typifications.check.code', { max: CODE_MAX });
}

function cleanText(raw: string): string {
  return raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/** A label: 1 to 120 characters once surrounding and repeated whitespace is removed. */
export function checkLabel(raw: string): ArgResult<string> {
  const label = cleanText(raw);
  if (CONTROL.test(label)) return problem('typifications.check.labelControl');
  const length = Array.from(label).length;
  if (length === 0) return problem('typifications.check.labelBlank');
  if (length > LABEL_MAX) {
    return problem('typifications.check.labelTooLong', { length, max: LABEL_MAX });
  }
  return ok(label);
}

/** A description: up to 500 characters; blank means none. */
export function checkDescription(raw: string | null | undefined): ArgResult<string | null> {
  if (raw === null || raw === undefined) return ok(null);
  const description = cleanText(raw);
  if (CONTROL.test(description)) {
    return problem('typifications.check.descriptionControl');
  }
  const length = Array.from(description).length;
  if (length > DESCRIPTION_MAX) {
    return problem('typifications.check.descriptionTooLong', { length, max: DESCRIPTION_MAX });
  }
  return ok(length === 0 ? null : description);
}

/** `global` (any case or accents) is the global catalog; anything else must look like a campaign id. */
export function checkCatalog(raw: string | null): ArgResult<CatalogId> {
  if (raw === null) return ok(null);
  const id = raw.trim().toLowerCase();
  if (fold(id) === GLOBAL_WORD) return ok(null);
  if (CAMPAIGN_PATTERN.test(id)) return ok(id);
  return problem('typifications.check.catalog');
}
