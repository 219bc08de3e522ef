/**
 * Deep links: the location hash names a view and, in it, one job, batch, schedule, subscription or
 * delivery (`#/jobs/<id>`, `#/batches/<id>`, `#/schedules/<id>`, `#/subscriptions/<id>/deliveries/<id>`),
 * or two jobs or attempts compared (`#/compare/<a>/<b>`, `#/compare/<id>/attempts/<n>/<m>`), so a
 * link opens in a new tab, survives a reload, and the back button walks it.
 */
import type { CompareTarget } from './compare-slice';
import { viewOfHash, type Route, type ViewName } from './nav-slice';

export type { Route } from './nav-slice';

/** An ID as a link may carry it: what the API issues (UUIDs), nothing that could change the path. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
/** The views whose items have a link of their own. */
const ITEM_VIEWS: ReadonlySet<ViewName> = new Set(['jobs', 'batches', 'schedules', 'subscriptions', 'alerts']);

function idOf(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    const id = decodeURIComponent(segment);
    return ID_PATTERN.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

const ATTEMPT_NUMBER = /^[1-9]\d{0,3}$/;

/** What `#/compare/…` names after the view: two job IDs, or a job ID, `attempts` and two attempt numbers. */
function compareTargetOf(segments: readonly string[]): CompareTarget | undefined {
  const [first, second, left, right] = segments;
  const id = idOf(first);
  if (!id) return undefined;
  if (second === 'attempts') {
    if (!left || !right || !ATTEMPT_NUMBER.test(left) || !ATTEMPT_NUMBER.test(right)) return undefined;
    return { type: 'attempts', id, left: Number(left), right: Number(right) };
  }
  const other = idOf(second);
  return other && segments.length === 2 ? { type: 'jobs', left: id, right: other } : undefined;
}

/** The link that opens the Compare view on `target`. */
export function compareHref(target: CompareTarget): string {
  if (target.type === 'jobs') return `#/compare/${encodeURIComponent(target.left)}/${encodeURIComponent(target.right)}`;
  return `#/compare/${encodeURIComponent(target.id)}/attempts/${target.left}/${target.right}`;
}

/**
 * The route a location hash names, or null when it names no view. An unreadable item ID opens
 * the view alone. Jobs also take a search: `#/jobs?q=<query>&job=<id>`.
 */
export function routeOfHash(hash: string): Route | null {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [name = '', item, deliveries, delivery] = path.split('/');
  const view = viewOfHash(name);
  if (!view) return null;
  if (view === 'compare') {
    const compare = compareTargetOf(path.split('/').slice(1));
    return compare ? { view, compare } : { view };
  }
  const params = new URLSearchParams(search);
  const q = view === 'jobs' ? (params.get('q') ?? undefined) : undefined;
  const id = ITEM_VIEWS.has(view) ? idOf(item ?? (view === 'jobs' ? (params.get('job') ?? undefined) : undefined)) : undefined;
  const deliveryId = id && view === 'subscriptions' && deliveries === 'deliveries' ? idOf(delivery) : undefined;
  return { view, ...(id ? { id } : {}), ...(deliveryId ? { deliveryId } : {}), ...(q !== undefined ? { q } : {}) };
}

/** The hash of a route: `#/jobs/<id>`; with a search, `#/jobs?q=<query>&job=<id>`. */
export function hashOfRoute({ view, id, deliveryId, q, compare }: Route): string {
  if (view === 'compare' && compare) return compareHref(compare);
  if (q) return `#/${view}?${new URLSearchParams({ q, ...(id ? { job: id } : {}) }).toString()}`;
  if (!id) return `#/${view}`;
  const item = `#/${view}/${encodeURIComponent(id)}`;
  return deliveryId ? `${item}/deliveries/${encodeURIComponent(deliveryId)}` : item;
}

/** What an ID names, as a link to it says. */
export type Entity =
  | { kind: 'job'; id: string }
  | { kind: 'batch'; id: string }
  | { kind: 'schedule'; id: string }
  | { kind: 'subscription'; id: string }
  | { kind: 'delivery'; id: string; subscriptionId: string };

export function routeOfEntity(entity: Entity): Route {
  switch (entity.kind) {
    case 'job':
      return { view: 'jobs', id: entity.id };
    case 'batch':
      return { view: 'batches', id: entity.id };
    case 'schedule':
      return { view: 'schedules', id: entity.id };
    case 'subscription':
      return { view: 'subscriptions', id: entity.id };
    case 'delivery':
      return { view: 'subscriptions', id: entity.subscriptionId, deliveryId: entity.id };
  }
}
