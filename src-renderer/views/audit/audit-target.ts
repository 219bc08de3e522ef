import type { AuditEntry } from '../../../src-shared/audit-schemas';
import type { Entity } from '../../store/route';

/** The console's items by the resource a verb names (its first part): a target of these is a link. */
const ENTITY_OF: Readonly<Record<string, 'job' | 'batch' | 'schedule' | 'subscription'>> = {
  jobs: 'job',
  batches: 'batch',
  schedules: 'schedule',
  subscriptions: 'subscription',
};

/** What a row's target names in the console, when it is a job, batch, schedule, subscription or delivery. */
export function auditEntityOf({ verb, target }: Pick<AuditEntry, 'verb' | 'target'>): Entity | null {
  const kind = ENTITY_OF[verb.split('.')[0]!];
  if (!kind || !target) return null;
  const [id, deliveryId] = target.split('/');
  if (kind === 'subscription' && deliveryId) return { kind: 'delivery', id: deliveryId, subscriptionId: id! };
  return { kind, id: id! };
}
