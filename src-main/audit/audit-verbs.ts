/**
 * Which requests the audit trail records, and the verb each is recorded as, derived from the
 * method and the route pattern so that a new route is covered without a line here:
 * `POST /api/v1/<things>` is `<things>.create`, `DELETE …/:id` `<things>.delete`, `PATCH …/:id`
 * `<things>.update`, `PUT …/:id` `<things>.set`, and an action segment names itself
 * (`POST /api/v1/jobs/:id/cancel` is `jobs.cancel`, `POST /api/v1/dead-letters/requeue`
 * `dead-letters.requeue`, `PUT /api/v1/kinds/:kind/limits` `kinds.limits.set`).
 */

/** The book's routes that create a job though they are GETs. */
const BOOK_SUBMITS = new Set(['/job/database', '/job/callback', '/job/mail']);

/**
 * Changing routes that are no operator's action: the webhook inbox receives callbacks (the
 * console's own, or anyone's), and a validation creates nothing.
 */
const NOT_AUDITED = new Set(['POST /api/v1/inbox/*', 'POST /api/v1/jobs/validate']);

/** Where the generic name would read worse than the one the console uses for it. */
const NAMED_VERBS: Readonly<Record<string, string>> = {
  'POST /api/v1/jobs': 'jobs.submit',
  'PUT /api/v1/workers/:kind': 'workers.scale',
  'POST /api/v1/kinds/:kind/pause': 'flow.pause',
  'POST /api/v1/kinds/:kind/resume': 'flow.resume',
  'PUT /api/v1/kinds/:kind/limits': 'flow.limits',
};

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const API_PREFIX = '/api/v1/';
const COLLECTION_VERBS: Readonly<Record<string, string>> = { POST: 'create', PUT: 'set', PATCH: 'update', DELETE: 'delete' };

/** The verb a request to `route` (Fastify's pattern) with `method` is recorded as; null when it is not recorded. */
export function auditVerbOf(method: string, route: string): string | null {
  const key = `${method} ${route}`;
  if (method === 'GET' && BOOK_SUBMITS.has(route)) return 'jobs.submit';
  if (READ_METHODS.has(method) || NOT_AUDITED.has(key)) return null;
  return NAMED_VERBS[key] ?? genericVerb(method, route);
}

function genericVerb(method: string, route: string): string {
  const segments = (route.startsWith(API_PREFIX) ? route.slice(API_PREFIX.length) : route.replace(/^\//, '')).split('/');
  const names = segments.filter((segment) => !segment.startsWith(':') && segment !== '*');
  const endsOnName = !segments[segments.length - 1]!.startsWith(':') && names.length > 1;
  // An action (`…/:id/cancel`) names itself when POSTed; another method on a sub-resource says what it does to it.
  if (endsOnName && method === 'POST') return names.join('.');
  return [...names, COLLECTION_VERBS[method] ?? method.toLowerCase()].join('.');
}

/** The route's parameters as the row's target: `:id`, or several joined by `/` (`<subscription>/<delivery>`). */
export function targetOfParams(params: unknown): string | null {
  if (!params || typeof params !== 'object') return null;
  const values = Object.values(params as Record<string, unknown>).filter((value): value is string => typeof value === 'string' && value !== '');
  return values.length > 0 ? values.join('/') : null;
}
