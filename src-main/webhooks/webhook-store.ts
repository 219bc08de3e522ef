import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Page } from '../../src-shared/job';
import type {
  Delivery,
  DeliveryAttempt,
  Subscription,
  SubscriptionFilter,
} from '../../src-shared/subscription-schemas';
import { decodePageCursor, encodePageCursor } from '../database/page-cursor';

/** Attempts of one delivery before it is `failed` (an operator can redeliver). */
export const MAX_DELIVERY_ATTEMPTS = 8;
/** How long a claimed delivery is held before another loop may try it (a crash mid-send). */
const LEASE_S = 60;
/** How long the dispatcher trusts the subscriptions it read. */
const SUBSCRIPTIONS_FRESH_MS = 1_000;

/** A subscription as stored, secret included. */
export interface StoredSubscription extends Subscription {
  secret: string;
}

/** A delivery to make now, with what signing needs. */
export interface DueDelivery {
  id: string;
  url: string;
  secret: string;
  body: string;
  attempts_left: number;
}

/** A new delivery: one event (or fan-in) to one URL. */
export interface NewDelivery {
  subscription_id: string | null;
  batch_id: string | null;
  event_id: string;
  event_type: string;
  url: string;
  secret: string;
  body: string;
}

export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

interface DeliveryRow {
  id: string;
  subscription_id: string | null;
  batch_id: string | null;
  job_id: string | null;
  event_id: string;
  event_type: string;
  url: string;
  state: Delivery['state'];
  next_attempt_at: Date;
  created_at: Date;
  attempts: { at: string; status_code: number | null; duration_ms: number; error: string | null }[] | null;
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    subscription_id: row.subscription_id,
    batch_id: row.batch_id,
    job_id: row.job_id,
    event_id: row.event_id,
    event_type: row.event_type,
    url: row.url,
    state: row.state,
    next_attempt_at: row.state === 'pending' ? row.next_attempt_at.toISOString() : null,
    created_at: row.created_at.toISOString(),
    attempts: (row.attempts ?? []).map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
  };
}

function toSubscription(row: { id: string; url: string; filter: SubscriptionFilter; created_at: Date; secret: string }): StoredSubscription {
  return { id: row.id, url: row.url, events: row.filter, created_at: row.created_at.toISOString(), secret: row.secret };
}

/** Webhook subscriptions, their deliveries and every attempt, in PostgreSQL. */
export class WebhookStore {
  private readonly s: string;
  /** The subscriptions as last read, and when: see {@link matchingSubscriptions}. */
  private cached: { list: Promise<StoredSubscription[]>; at: number } | null = null;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.s = `"${schema}"`;
  }

  async createSubscription(input: { url: string; events: SubscriptionFilter; secret?: string }): Promise<StoredSubscription> {
    const { rows } = await this.pool.query(
      `INSERT INTO ${this.s}.subscriptions (id, url, filter, secret) VALUES ($1, $2, $3, $4) RETURNING *`,
      [randomUUID(), input.url, JSON.stringify(input.events), input.secret ?? generateSecret()],
    );
    this.cached = null;
    return toSubscription(rows[0]);
  }

  /**
   * The subscriptions events are matched against, read at most once a second: the dispatcher
   * asks for every page of the event stream, which under load was a query per few events.
   * Creating or deleting one here takes effect at once.
   */
  async matchingSubscriptions(): Promise<StoredSubscription[]> {
    if (!this.cached || Date.now() - this.cached.at >= SUBSCRIPTIONS_FRESH_MS) {
      const list = this.listSubscriptions();
      const cached = { list, at: Date.now() };
      list.catch(() => {
        if (this.cached === cached) this.cached = null;
      });
      this.cached = cached;
    }
    return this.cached.list;
  }

  async listSubscriptions(): Promise<StoredSubscription[]> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.s}.subscriptions ORDER BY created_at DESC, id DESC`);
    return rows.map(toSubscription);
  }

  async getSubscription(id: string): Promise<StoredSubscription | null> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.s}.subscriptions WHERE id = $1`, [id]);
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async deleteSubscription(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM ${this.s}.subscriptions WHERE id = $1`, [id]);
    this.cached = null;
    return (rowCount ?? 0) > 0;
  }

  /** Adds deliveries; one already made for the same subscription and event (or batch) is kept. */
  async addDeliveries(deliveries: NewDelivery[]): Promise<number> {
    if (deliveries.length === 0) return 0;
    const rows = deliveries.map((d) => ({ ...d, id: randomUUID(), attempts_left: MAX_DELIVERY_ATTEMPTS }));
    const { rowCount } = await this.pool.query(
      `INSERT INTO ${this.s}.webhook_deliveries (id, subscription_id, batch_id, event_id, event_type, url, secret, body, attempts_left)
       SELECT id, subscription_id, batch_id, event_id, event_type, url, secret, body, attempts_left
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, subscription_id uuid, batch_id uuid, event_id text,
         event_type text, url text, secret text, body text, attempts_left integer)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
    return rowCount ?? 0;
  }

  /** Takes up to `limit` due deliveries and holds them for a lease, so a crash mid-send retries later. */
  async claimDue(limit: number): Promise<DueDelivery[]> {
    const { rows } = await this.pool.query<DueDelivery>(
      `UPDATE ${this.s}.webhook_deliveries SET next_attempt_at = now() + interval '${LEASE_S} seconds'
       WHERE id IN (SELECT id FROM ${this.s}.webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, url, secret, body, attempts_left`,
      [limit],
    );
    return rows;
  }

  /** Records attempts and what follows each: delivered, a retry at `retryAt`, or failed. */
  async recordAttempts(outcomes: { id: string; attempt: DeliveryAttempt; retryAt: Date | null }[]): Promise<void> {
    if (outcomes.length === 0) return;
    const rows = outcomes.map(({ id, attempt, retryAt }) => ({ id, ...attempt, retry_at: retryAt?.toISOString() ?? null }));
    await this.pool.query(
      `WITH r AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, at timestamptz, status_code integer,
           duration_ms integer, error text, retry_at timestamptz)),
         a AS (INSERT INTO ${this.s}.webhook_attempts (delivery_id, at, status_code, duration_ms, error)
           SELECT id, at, status_code, duration_ms, error FROM r)
       UPDATE ${this.s}.webhook_deliveries d SET attempts_left = d.attempts_left - 1,
         state = CASE WHEN r.error IS NULL THEN 'delivered' WHEN r.retry_at IS NULL THEN 'failed' ELSE 'pending' END,
         next_attempt_at = COALESCE(r.retry_at, d.next_attempt_at)
       FROM r WHERE d.id = r.id`,
      [JSON.stringify(rows)],
    );
  }

  private deliveriesSql(where: string): string {
    // The job an event names is in the body it delivers (`data.job_id`); a batch's has none.
    return `SELECT d.*, d.body::jsonb #>> '{data,job_id}' AS job_id, (SELECT jsonb_agg(jsonb_build_object('at', a.at, 'status_code', a.status_code,
        'duration_ms', a.duration_ms, 'error', a.error) ORDER BY a.id)
      FROM ${this.s}.webhook_attempts a WHERE a.delivery_id = d.id) AS attempts
      FROM ${this.s}.webhook_deliveries d WHERE ${where}`;
  }

  /** A subscription's deliveries, newest first, each with its attempts. */
  async listDeliveries(subscriptionId: string, limit: number, cursor?: string): Promise<Page<Delivery>> {
    const params: unknown[] = [subscriptionId];
    let where = 'd.subscription_id = $1';
    if (cursor) {
      const [at, id] = decodePageCursor(cursor);
      where += ` AND (d.created_at, d.id) < ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`;
    }
    const { rows } = await this.pool.query<DeliveryRow>(
      `${this.deliveriesSql(where)} ORDER BY d.created_at DESC, d.id DESC LIMIT $${params.push(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit).map(toDelivery);
    return { items, next_cursor: rows.length > limit ? encodePageCursor(items[items.length - 1]!) : null };
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    const { rows } = await this.pool.query<DeliveryRow>(this.deliveriesSql('d.id = $1'), [id]);
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  /** The fan-in delivery of a batch, if it was made. */
  async batchDelivery(batchId: string): Promise<Delivery | null> {
    const { rows } = await this.pool.query<DeliveryRow>(this.deliveriesSql('d.batch_id = $1'), [batchId]);
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  /** Deletes finished deliveries (and their attempts) older than the retention. */
  async prune(retentionDays: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.s}.webhook_deliveries WHERE state <> 'pending' AND created_at < now() - $1 * interval '1 day'`,
      [retentionDays],
    );
    return rowCount ?? 0;
  }

  /** An operator's redelivery: due now, with a fresh allowance of attempts; its ID (the webhook-id) stays. */
  async redeliver(subscriptionId: string, deliveryId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.s}.webhook_deliveries SET state = 'pending', next_attempt_at = now(), attempts_left = $3
       WHERE id = $1 AND subscription_id = $2`,
      [deliveryId, subscriptionId, MAX_DELIVERY_ATTEMPTS],
    );
    return (rowCount ?? 0) > 0;
  }
}
