import type pg from 'pg';
import { inTransaction } from './database';

/** The schema of one namespace: job history and logs, kind A's records, the mailbox, the inbox, bulk operations, schedules and the audit trail. */
// Long only as SQL text: one idempotent script read top to bottom, not logic to split.
function schemaSql(schema: string): string {
  const s = `"${schema}"`;
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.jobs (
  id uuid PRIMARY KEY,
  kind text NOT NULL,
  status text NOT NULL,
  payload jsonb NOT NULL,
  progress integer NOT NULL DEFAULT 0,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  transitions jsonb NOT NULL DEFAULT '[]',
  result jsonb,
  error text,
  version bigint NOT NULL
);
ALTER TABLE ${s}.jobs ALTER COLUMN version TYPE bigint;
ALTER TABLE ${s}.jobs ADD COLUMN IF NOT EXISTS max_attempts integer;
ALTER TABLE ${s}.jobs ADD COLUMN IF NOT EXISTS next_attempt_at timestamptz;
ALTER TABLE ${s}.jobs ADD COLUMN IF NOT EXISTS attempt_errors jsonb NOT NULL DEFAULT '[]';
ALTER TABLE ${s}.jobs ADD COLUMN IF NOT EXISTS replay_of uuid;
ALTER TABLE ${s}.jobs ADD COLUMN IF NOT EXISTS schedule_id uuid;
ALTER TABLE ${s}.jobs ADD COLUMN IF NOT EXISTS run_at timestamptz;
CREATE INDEX IF NOT EXISTS jobs_replay_of ON ${s}.jobs (replay_of) WHERE replay_of IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_schedule_newest ON ${s}.jobs (schedule_id, created_at DESC, id DESC) WHERE schedule_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_newest ON ${s}.jobs (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS jobs_status_newest ON ${s}.jobs (status, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS jobs_kind_newest ON ${s}.jobs (kind, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS jobs_updated ON ${s}.jobs (updated_at);
CREATE INDEX IF NOT EXISTS jobs_payload_paths ON ${s}.jobs USING gin (payload jsonb_path_ops);
CREATE TABLE IF NOT EXISTS ${s}.scheduled_jobs (
  job_id uuid PRIMARY KEY,
  due_at timestamptz NOT NULL,
  message jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS scheduled_jobs_due ON ${s}.scheduled_jobs (due_at);
CREATE TABLE IF NOT EXISTS ${s}.log_records (
  job_id uuid PRIMARY KEY,
  client_time timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS ${s}.mailbox (
  id bigserial PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  envelope_from text,
  envelope_to text[] NOT NULL,
  message_id text,
  subject text,
  headers jsonb NOT NULL,
  text_body text,
  html_body text,
  size integer NOT NULL
);
CREATE INDEX IF NOT EXISTS mailbox_received ON ${s}.mailbox (received_at);
CREATE TABLE IF NOT EXISTS ${s}.inbox (
  id bigserial PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  method text NOT NULL,
  path text NOT NULL,
  headers jsonb NOT NULL,
  content_type text,
  body text NOT NULL
);
CREATE INDEX IF NOT EXISTS inbox_received ON ${s}.inbox (received_at);
CREATE TABLE IF NOT EXISTS ${s}.subscriptions (
  id uuid PRIMARY KEY,
  url text NOT NULL,
  filter jsonb NOT NULL,
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS ${s}.batches (
  id uuid PRIMARY KEY,
  job_ids uuid[] NOT NULL,
  callback_url text,
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  counts jsonb,
  event_id text
);
CREATE TABLE IF NOT EXISTS ${s}.webhook_deliveries (
  id uuid PRIMARY KEY,
  subscription_id uuid REFERENCES ${s}.subscriptions (id) ON DELETE CASCADE,
  batch_id uuid REFERENCES ${s}.batches (id) ON DELETE CASCADE,
  event_id text NOT NULL,
  event_type text NOT NULL,
  url text NOT NULL,
  secret text NOT NULL,
  body text NOT NULL,
  state text NOT NULL DEFAULT 'pending',
  attempts_left integer NOT NULL,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, event_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS webhook_deliveries_one_fan_in ON ${s}.webhook_deliveries (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON ${s}.webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS webhook_deliveries_newest ON ${s}.webhook_deliveries (subscription_id, created_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS ${s}.webhook_attempts (
  id bigserial PRIMARY KEY,
  delivery_id uuid NOT NULL REFERENCES ${s}.webhook_deliveries (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  status_code integer,
  duration_ms integer NOT NULL,
  error text
);
CREATE INDEX IF NOT EXISTS webhook_attempts_of ON ${s}.webhook_attempts (delivery_id, id);
-- A job's timing reads the deliveries of its events (the expression CausedDeliveries queries) and
-- the batches it is a child of.
CREATE INDEX IF NOT EXISTS webhook_deliveries_of_job ON ${s}.webhook_deliveries ((body::jsonb #>> '{data,job_id}')) WHERE batch_id IS NULL;
CREATE INDEX IF NOT EXISTS batches_children ON ${s}.batches USING gin (job_ids);
ALTER TABLE ${s}.inbox ADD COLUMN IF NOT EXISTS size integer;
CREATE TABLE IF NOT EXISTS ${s}.job_logs (
  job_id uuid NOT NULL REFERENCES ${s}.jobs (id) ON DELETE CASCADE,
  entry_id text NOT NULL,
  attempt integer NOT NULL,
  at timestamptz NOT NULL,
  line text NOT NULL,
  PRIMARY KEY (job_id, entry_id)
);
CREATE TABLE IF NOT EXISTS ${s}.saved_views (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  query text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS ${s}.schedules (
  id uuid PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  cron text NOT NULL,
  time_zone text NOT NULL,
  missed text NOT NULL,
  paused boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  fired_through timestamptz NOT NULL,
  last_run_at timestamptz,
  last_job_id uuid
);
CREATE INDEX IF NOT EXISTS schedules_newest ON ${s}.schedules (created_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS ${s}.schedule_runs (
  schedule_id uuid NOT NULL REFERENCES ${s}.schedules (id) ON DELETE CASCADE,
  due_at timestamptz NOT NULL,
  job_id uuid NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz,
  triggered boolean NOT NULL DEFAULT false,
  error text,
  PRIMARY KEY (schedule_id, due_at, triggered)
);
ALTER TABLE ${s}.schedule_runs ADD COLUMN IF NOT EXISTS attempts integer NOT NULL DEFAULT 0;
ALTER TABLE ${s}.schedule_runs ADD COLUMN IF NOT EXISTS retry_at timestamptz;
DO $$
DECLARE pk text;
BEGIN
  -- A trigger's claim has its own key space: an older namespace's key (schedule_id, due_at) gains triggered.
  SELECT c.conname INTO pk FROM pg_constraint c WHERE c.conrelid = '${s}.schedule_runs'::regclass AND c.contype = 'p'
    AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) AND a.attname = 'triggered');
  IF pk IS NOT NULL THEN
    EXECUTE format('ALTER TABLE %s.schedule_runs DROP CONSTRAINT %I, ADD PRIMARY KEY (schedule_id, due_at, triggered)', '${s}', pk);
  END IF;
END $$;
CREATE INDEX IF NOT EXISTS schedule_runs_unsubmitted ON ${s}.schedule_runs (claimed_at) WHERE submitted_at IS NULL;
CREATE TABLE IF NOT EXISTS ${s}.operations (
  id uuid PRIMARY KEY,
  action text NOT NULL,
  query text,
  status text NOT NULL,
  matched integer NOT NULL,
  cancel_requested boolean NOT NULL DEFAULT false,
  paused_reason text,
  resume_at timestamptz,
  lease_owner text,
  lease_until timestamptz,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX IF NOT EXISTS operations_newest ON ${s}.operations (started_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS operations_running ON ${s}.operations (lease_until) WHERE status = 'running';
CREATE TABLE IF NOT EXISTS ${s}.operation_items (
  operation_id uuid NOT NULL REFERENCES ${s}.operations (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  job_id uuid NOT NULL,
  state text NOT NULL DEFAULT 'pending',
  reason text,
  PRIMARY KEY (operation_id, seq)
);
CREATE INDEX IF NOT EXISTS operation_items_pending ON ${s}.operation_items (operation_id, seq) WHERE state = 'pending';
CREATE TABLE IF NOT EXISTS ${s}.dead_letters (
  id uuid PRIMARY KEY,
  dedup_key text NOT NULL UNIQUE,
  job_id uuid,
  kind text NOT NULL,
  body bytea NOT NULL,
  payload jsonb,
  headers jsonb NOT NULL,
  properties jsonb NOT NULL,
  error text,
  attempts integer,
  created_at timestamptz,
  dead_at timestamptz NOT NULL,
  drained_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS dead_letters_newest ON ${s}.dead_letters (dead_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS dead_letters_kind_newest ON ${s}.dead_letters (kind, dead_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS dead_letters_job ON ${s}.dead_letters (job_id) WHERE job_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS ${s}.alert_rules (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  type text NOT NULL,
  kind text,
  threshold double precision NOT NULL,
  window_s integer NOT NULL,
  webhook_url text,
  webhook_secret text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  value double precision,
  evaluated_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS ${s}.alert_events (
  id uuid PRIMARY KEY,
  rule_id uuid NOT NULL REFERENCES ${s}.alert_rules (id) ON DELETE CASCADE,
  fired_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  value double precision,
  message text NOT NULL,
  resolved_message text
);
CREATE UNIQUE INDEX IF NOT EXISTS alert_events_one_open ON ${s}.alert_events (rule_id) WHERE resolved_at IS NULL;
CREATE INDEX IF NOT EXISTS alert_events_newest ON ${s}.alert_events (rule_id, fired_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS ${s}.audit (
  id uuid PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  role text NOT NULL,
  verb text NOT NULL,
  target text,
  route text NOT NULL,
  params jsonb,
  status integer NOT NULL,
  title text,
  detail text
);
CREATE INDEX IF NOT EXISTS audit_newest ON ${s}.audit (at DESC, id DESC);
CREATE INDEX IF NOT EXISTS audit_actor_newest ON ${s}.audit (actor, at DESC, id DESC);
CREATE INDEX IF NOT EXISTS audit_verb ON ${s}.audit (verb text_pattern_ops);
CREATE INDEX IF NOT EXISTS audit_target ON ${s}.audit (target text_pattern_ops) WHERE target IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_refused ON ${s}.audit (at DESC, id DESC) WHERE status >= 400;
`;
}

/**
 * Trigram indexes for the search's substrings (`error:`, free words, payload wildcards): the
 * expressions are the ones src-main/search/job-query-sql.ts writes, or the planner cannot use them.
 */
function trigramSql(schema: string): string {
  const s = `"${schema}"`;
  return `
CREATE INDEX IF NOT EXISTS jobs_error_trgm ON ${s}.jobs USING gin (error gin_trgm_ops);
CREATE INDEX IF NOT EXISTS jobs_payload_trgm ON ${s}.jobs USING gin ((payload::text) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS jobs_result_trgm ON ${s}.jobs USING gin ((result::text) gin_trgm_ops);
`;
}

/**
 * Creates pg_trgm once per database (trusted since PostgreSQL 13: a database owner may). Where
 * it cannot be had the console still starts, and substring searches scan the table.
 */
async function ensureTrigrams(client: pg.PoolClient, onLog: (line: string) => void): Promise<boolean> {
  if (await trigramsVisible(client)) return true;
  try {
    await client.query('BEGIN');
    // Consoles of other namespaces may start at the same moment: IF NOT EXISTS alone races.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('jobdeck-extension:pg_trgm'))");
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    onLog(`database: pg_trgm is not available (${(error as Error).message}); text searches will scan the history without an index`);
    return false;
  }
  if (await trigramsVisible(client)) return true;
  onLog('database: pg_trgm is installed in a schema outside the search path; text searches will scan the history without an index');
  return false;
}

async function trigramsVisible(client: pg.PoolClient): Promise<boolean> {
  const { rows } = await client.query<{ found: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_opclass WHERE opcname = 'gin_trgm_ops' AND pg_opclass_is_visible(oid)) AS found",
  );
  return rows[0]!.found;
}

/** Brings the namespace's schema up to date; safe to run from several processes at once. */
export async function migrate(pool: pg.Pool, schema: string, onLog: (line: string) => void = () => undefined): Promise<void> {
  let trigrams = false;
  await inTransaction(
    pool,
    async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`jobdeck-migrate:${schema}`]);
      await client.query(schemaSql(schema));
      if (trigrams) await client.query(trigramSql(schema));
    },
    async (client) => {
      trigrams = await ensureTrigrams(client, onLog);
    },
  );
}
