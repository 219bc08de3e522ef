/**
 * The Audit view: a page of the audit trail (newest first, more on request) and the filters it
 * was read with. The filters build the `q` of `GET /api/v1/audit` (audit-query.ts); the text
 * field is passed as it is, so it takes free words and the language's own terms alike.
 */
import type { AuditOutcome, AuditPage } from '../../src-shared/audit-schemas';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, loadNextPage, NOT_LOADED, type Loaded } from './loaded';

/** Rows read per page. */
export const AUDIT_PAGE = 100;

/** How far back the rows go: a span ending now, or any time. */
export const AUDIT_SPANS = { any: 0, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type AuditSpan = keyof typeof AUDIT_SPANS;

export interface AuditFilter {
  actor: string;
  /** A verb or its start (`jobs` is every `jobs.…` verb). */
  verb: string;
  result: AuditOutcome | '';
  span: AuditSpan;
  /** Free words, or terms of the language (`target:<id>`, `before:<time>`). */
  text: string;
}

export const NO_AUDIT_FILTER: AuditFilter = { actor: '', verb: '', result: '', span: 'any', text: '' };

/** A value as a term takes it: quoted when it holds a space or a quote. */
const valueOf = (text: string): string => (/[\s"]/.test(text) ? `"${text.replace(/["\\]/g, '\\$&')}"` : text);

/** The `q` a filter asks for, its span counted back from `nowMs`. */
export function auditQueryOf(filter: AuditFilter, nowMs: number): string {
  const terms: string[] = [];
  if (filter.actor.trim()) terms.push(`actor:${valueOf(filter.actor.trim())}`);
  if (filter.verb.trim()) terms.push(`verb:${valueOf(filter.verb.trim())}`);
  if (filter.result) terms.push(`result:${filter.result}`);
  if (filter.span !== 'any') terms.push(`after:${new Date(nowMs - AUDIT_SPANS[filter.span]).toISOString()}`);
  if (filter.text.trim()) terms.push(filter.text.trim());
  return terms.join(' ');
}

export interface AuditSlice {
  /** The rows read so far (the pages appended), and the cursor of the next. */
  audit: Loaded<AuditPage>;
  auditFilter: AuditFilter;
  /** The `q` the rows were read with (the span fixed when read, so the next pages agree). */
  auditQuery: string;
  /** Reads the first page for `filter` (the current one when left out). */
  loadAudit(filter?: AuditFilter): Promise<void>;
  /** Appends the next page. */
  loadMoreAudit(): Promise<void>;
}

export function createAuditSlice({ bridge, now }: ConsoleDeps): SliceCreator<AuditSlice> {
  return (set, get) => ({
    audit: NOT_LOADED,
    auditFilter: NO_AUDIT_FILTER,
    auditQuery: '',

    async loadAudit(filter = get().auditFilter) {
      const q = auditQueryOf(filter, now());
      const restart = filter !== get().auditFilter;
      set({ auditFilter: filter, auditQuery: q });
      await load(field(get, set, 'audit'), () => bridge.listAudit({ q: q || undefined, limit: AUDIT_PAGE }), now, { restart });
    },

    async loadMoreAudit() {
      const q = get().auditQuery || undefined;
      await loadNextPage(field(get, set, 'audit'), (cursor) => bridge.listAudit({ q, limit: AUDIT_PAGE, cursor }), now);
    },
  });
}
