/**
 * Deep links: the location hash names a view and, in it, one job, batch, subscription or
 * delivery (`#/jobs/<id>`, `#/batches/<id>`, `#/subscriptions/<id>/deliveries/<id>`), so a link
 * opens in a new tab, survives a reload, and the back button walks it.
 */
import { viewOfHash, type Route, type ViewName } from './nav-slice';

export type { Route } from './nav-slice';

/** An ID as a link may carry it: what the API issues (UUIDs), nothing that could change the path. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
/** The views whose items have a link of their own. */
const ITEM_VIEWS: ReadonlySet<ViewName> = new Set(['jobs', 'batches', 'subscriptions']);

function idOf(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    const id = decodeURIComponent(segment);
    return ID_PATTERN.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The route a location hash names, or null when it names no view. An unreadable item ID opens the view alone. */
export function routeOfHash(hash: string): Route | null {
  const [name = '', item, deliveries, delivery] = hash.replace(/^#\/?/, '').split('/');
  const view = viewOfHash(name);
  if (!view) return null;
  const id = ITEM_VIEWS.has(view) ? idOf(item) : undefined;
  if (!id) return { view };
  const deliveryId = view === 'subscriptions' && deliveries === 'deliveries' ? idOf(delivery) : undefined;
  return deliveryId ? { view, id, deliveryId } : { view, id };
}

/** The hash of a route: `#/jobs/<id>`. */
export function hashOfRoute({ view, id, deliveryId }: Route): string {
  if (!id) return `#/${view}`;
  const item = `#/${view}/${encodeURIComponent(id)}`;
  return deliveryId ? `${item}/deliveries/${encodeURIComponent(deliveryId)}` : item;
}

/** What an ID names, as a link to it says. */
export type Entity =
  | { kind: 'job'; id: string }
  | { kind: 'batch'; id: string }
  | { kind: 'subscription'; id: string }
  | { kind: 'delivery'; id: string; subscriptionId: string };

export function routeOfEntity(entity: Entity): Route {
  switch (entity.kind) {
    case 'job':
      return { view: 'jobs', id: entity.id };
    case 'batch':
      return { view: 'batches', id: entity.id };
    case 'subscription':
      return { view: 'subscriptions', id: entity.id };
    case 'delivery':
      return { view: 'subscriptions', id: entity.subscriptionId, deliveryId: entity.id };
  }
}
