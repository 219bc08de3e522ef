import type { FastifyInstance } from 'fastify';
import { parseAuditQuery, type AuditTerm } from '../../src-shared/audit-query';
import { auditQuerySchema, type AuditPage } from '../../src-shared/audit-schemas';
import { QuerySyntaxError } from '../../src-shared/job-query';
import { ValidationError } from '../../src-shared/problem';
import type { AuditStore } from '../audit/audit-store';
import { parseInput } from './problems';

/** `GET /api/v1/audit`: the audit trail, newest first, searched by `q` (a query that does not parse is a 400 naming `q`). */
export function auditRoutes(store: AuditStore) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/audit', async (request): Promise<AuditPage> => {
      const { q, limit, cursor } = parseInput(auditQuerySchema, request.query);
      return store.list(auditTermsOf(q), limit, cursor);
    });
  };
}

function auditTermsOf(q: string | undefined): AuditTerm[] {
  try {
    return parseAuditQuery(q ?? '');
  } catch (error) {
    if (!(error instanceof QuerySyntaxError)) throw error;
    throw new ValidationError([{ field: 'q', rule: 'syntax', message: `q: ${error.message}` }]);
  }
}
