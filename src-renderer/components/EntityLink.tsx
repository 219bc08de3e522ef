import { Fragment } from 'react';
import { shortId } from '../format';
import { hashOfRoute, routeOfEntity, type Entity } from '../store/route';

const NOUN: Record<Entity['kind'], string> = { job: 'Job', batch: 'Batch', schedule: 'Schedule', subscription: 'Subscription', delivery: 'Delivery' };

/**
 * An ID that names a job, batch, subscription or delivery, as a link to it in the console: a real
 * `href` (`#/jobs/<id>`), so it opens in a new tab, is reached by Tab, and Back returns.
 * Shown short unless `full`; its name says what it names (`Job 1b2c3d4e`).
 */
export function EntityLink({ entity, full = false }: { entity: Entity; full?: boolean }) {
  const text = full ? entity.id : shortId(entity.id);
  return (
    <a className="entity-link job-id" href={hashOfRoute(routeOfEntity(entity))} title={`${NOUN[entity.kind]} ${entity.id}`} aria-label={`${NOUN[entity.kind]} ${text}`}>
      {text}
    </a>
  );
}

/** Facts rows (`<dt>Job</dt><dd>link</dd>`) for what a record names, inside a `<dl>`. */
export function EntityFacts({ entities }: { entities: readonly Entity[] }) {
  return entities.map((entity) => (
    <Fragment key={`${entity.kind}:${entity.id}`}>
      <dt>{NOUN[entity.kind]}</dt>
      <dd>
        <EntityLink entity={entity} />
      </dd>
    </Fragment>
  ));
}
