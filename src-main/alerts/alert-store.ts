import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { AlertDefinition, AlertEvent, AlertRule, AlertType } from '../../src-shared/alert-schemas';
import type { Page } from '../../src-shared/job';
import { decodePageCursor, encodePageCursor } from '../database/page-cursor';
import { generateSecret } from '../webhooks/webhook-store';

/** A rule as stored: with its webhook secret. */
export interface StoredAlertRule extends AlertRule {
  webhook_secret: string;
}

interface RuleRow {
  id: string;
  name: string;
  type: AlertType;
  kind: string | null;
  threshold: number;
  window_s: number;
  webhook_url: string | null;
  webhook_secret: string;
  enabled: boolean;
  value: number | null;
  evaluated_at: Date | null;
  created_at: Date;
  updated_at: Date;
  firing_since: Date | null;
}

interface EventRow {
  id: string;
  rule_id: string;
  fired_at: Date;
  resolved_at: Date | null;
  value: number | null;
  message: string;
  resolved_message: string | null;
}

const iso = (at: Date | null): string | null => at?.toISOString() ?? null;

function toRule(row: RuleRow): StoredAlertRule {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    kind: row.kind,
    threshold: row.threshold,
    window_s: row.window_s,
    webhook_url: row.webhook_url,
    enabled: row.enabled,
    state: row.firing_since ? 'firing' : 'ok',
    firing_since: iso(row.firing_since),
    value: row.value,
    evaluated_at: iso(row.evaluated_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    webhook_secret: row.webhook_secret,
  };
}

function toEvent(row: EventRow): AlertEvent {
  return { ...row, fired_at: row.fired_at.toISOString(), resolved_at: iso(row.resolved_at) };
}

/**
 * Alert rules and their episodes in the namespace's schema, shared by every console on it. At
 * most one episode per rule is open (a unique index), so two evaluators can never open two.
 */
export class AlertStore {
  private readonly s: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.s = `"${schema}"`;
  }

  private rulesSql(where: string): string {
    return `SELECT r.*, e.fired_at AS firing_since FROM ${this.s}.alert_rules r
      LEFT JOIN ${this.s}.alert_events e ON e.rule_id = r.id AND e.resolved_at IS NULL WHERE ${where}`;
  }

  async create(rule: AlertDefinition): Promise<StoredAlertRule> {
    const id = randomUUID();
    await this.pool.query(
      `INSERT INTO ${this.s}.alert_rules (id, name, type, kind, threshold, window_s, webhook_url, webhook_secret, enabled)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, rule.name, rule.type, rule.kind, rule.threshold, rule.window_s, rule.webhook_url, generateSecret(), rule.enabled],
    );
    return (await this.get(id))!;
  }

  /** Every rule, oldest first. */
  async list(): Promise<StoredAlertRule[]> {
    const { rows } = await this.pool.query<RuleRow>(`${this.rulesSql('true')} ORDER BY r.created_at, r.id`);
    return rows.map(toRule);
  }

  async get(id: string): Promise<StoredAlertRule | null> {
    const { rows } = await this.pool.query<RuleRow>(this.rulesSql('r.id = $1'), [id]);
    return rows[0] ? toRule(rows[0]) : null;
  }

  /** Writes the whole definition; null when there is no such rule. */
  async update(id: string, rule: AlertDefinition): Promise<StoredAlertRule | null> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.s}.alert_rules SET name = $2, type = $3, kind = $4, threshold = $5, window_s = $6, webhook_url = $7,
         enabled = $8, updated_at = now() WHERE id = $1`,
      [id, rule.name, rule.type, rule.kind, rule.threshold, rule.window_s, rule.webhook_url, rule.enabled],
    );
    return rowCount ? this.get(id) : null;
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM ${this.s}.alert_rules WHERE id = $1`, [id]);
    return (rowCount ?? 0) > 0;
  }

  /** A rule's episodes, newest first. */
  async events(ruleId: string, limit: number, cursor?: string): Promise<Page<AlertEvent>> {
    const params: unknown[] = [ruleId];
    let where = 'rule_id = $1';
    if (cursor) {
      const [at, id] = decodePageCursor(cursor);
      where += ` AND (fired_at, id) < ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`;
    }
    const { rows } = await this.pool.query<EventRow>(
      `SELECT * FROM ${this.s}.alert_events WHERE ${where} ORDER BY fired_at DESC, id DESC LIMIT $${params.push(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit).map(toEvent);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodePageCursor({ created_at: last.fired_at, id: last.id }) : null };
  }

  /** Notes the value of an evaluation (null: not measured). */
  async noteValue(id: string, value: number | null): Promise<void> {
    await this.pool.query(`UPDATE ${this.s}.alert_rules SET value = $2, evaluated_at = now() WHERE id = $1`, [id, value]);
  }

  /** Opens an episode; null when one is open already (the rule is firing) or the rule is gone. */
  async fire(ruleId: string, value: number | null, message: string): Promise<AlertEvent | null> {
    const { rows } = await this.pool.query<EventRow>(
      `INSERT INTO ${this.s}.alert_events (id, rule_id, value, message)
       SELECT $1, id, $3, $4 FROM ${this.s}.alert_rules WHERE id = $2
       ON CONFLICT (rule_id) WHERE resolved_at IS NULL DO NOTHING RETURNING *`,
      [randomUUID(), ruleId, value, message],
    );
    return rows[0] ? toEvent(rows[0]) : null;
  }

  /** Closes the open episode; null when none is open. */
  async resolve(ruleId: string, message: string): Promise<AlertEvent | null> {
    const { rows } = await this.pool.query<EventRow>(
      `UPDATE ${this.s}.alert_events SET resolved_at = now(), resolved_message = $2
       WHERE rule_id = $1 AND resolved_at IS NULL RETURNING *`,
      [ruleId, message],
    );
    return rows[0] ? toEvent(rows[0]) : null;
  }
}
