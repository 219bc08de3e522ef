import { BrokerUnavailableError } from '../broker/job-publisher';
import type { QueueInspector } from '../broker/queue-inspector';
import type { FlowStore } from '../flow/flow-store';
import type { BatchService } from '../batches/batch-service';
import type { WebhookInbox } from '../inbox/webhook-inbox';
import type { IdempotencyStore } from '../jobs/idempotency';
import type { JobService } from '../jobs/job-service';
import type { MailboxStore } from '../mailbox/mailbox-store';
import type { ScheduleService } from '../schedules/schedule-service';
import type { SavedViewStore } from '../saved-views/saved-view-store';
import type { OperationFollower } from '../operations/operation-feed';
import type { OperationService } from '../operations/operation-service';
import type { DeadLetterService } from '../dead-letters/dead-letter-service';
import type { AlertFollower } from '../alerts/alert-feed';
import type { AlertStore } from '../alerts/alert-store';
import type { AuditStore } from '../audit/audit-store';
import type { HeartbeatSource } from '../supervisor/worker-roster';
import type { DeliveryDispatcher } from '../webhooks/delivery-dispatcher';
import type { WebhookStore } from '../webhooks/webhook-store';
import type { OutboundPolicy } from '../../src-shared/node/outbound-policy';
import type { CoreServices } from './core';
import { live } from './live';

/** No core stands behind the API (a restart is swapping it): answered 503 with Retry-After, like an outage. */
export class CoreUnavailableError extends BrokerUnavailableError {
  override name = 'CoreUnavailableError';
}

/** The core's services as the API and the shell hold them: each forwards to the core serving now. */
export interface LiveParts {
  jobs: JobService;
  queues: QueueInspector;
  flow: FlowStore;
  idempotency: IdempotencyStore;
  workerBeats: HeartbeatSource;
  mailbox: MailboxStore;
  inbox: WebhookInbox;
  savedViews: SavedViewStore;
  batches: BatchService;
  schedules: ScheduleService;
  operations: OperationService;
  operationFeed: OperationFollower;
  deadLetters: DeadLetterService;
  webhooks: { store: WebhookStore; dispatcher: DeliveryDispatcher };
  alerts: { store: AlertStore; feed: AlertFollower };
  /** The outbound URL policy the routes check URLs against. */
  outbound: OutboundPolicy;
  audit: AuditStore;
}

/** The core serving now; none while a restart swaps it. */
export function serving(core: CoreServices | null): CoreServices {
  if (!core) throw new CoreUnavailableError('the console is restarting on new connection settings; retry shortly');
  return core;
}

export function liveParts(current: () => CoreServices | null): LiveParts {
  const core = (): CoreServices => serving(current());
  return {
    jobs: live(() => core().jobs),
    queues: live(() => core().queues),
    flow: live(() => core().flow),
    idempotency: live(() => core().idempotency),
    workerBeats: live(() => core().workerBeats),
    mailbox: live(() => core().stores.mailbox),
    inbox: live(() => core().stores.inbox),
    savedViews: live(() => core().stores.savedViews),
    batches: live(() => core().outlets.batches),
    schedules: live(() => core().schedules),
    operations: live(() => core().operations),
    operationFeed: live(() => core().operationFeed),
    deadLetters: live(() => core().deadLetters),
    webhooks: {
      store: live(() => core().outlets.webhooks.store),
      dispatcher: live(() => core().outlets.webhooks.dispatcher),
    },
    alerts: {
      store: live(() => core().alerts.store),
      feed: live(() => core().alerts.feed),
    },
    outbound: live(() => core().outbound.policy),
    audit: live(() => core().audit),
  };
}
