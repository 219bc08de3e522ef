import { redactText } from '../src-shared/redact';
import type { KindRegistry } from '../src-shared/kind-registry';
import type { JobKind } from '../src-shared/kinds';
import type { JobStatusClient } from '../src-shared/node/status-store';
import type { JobLogStore } from '../src-shared/node/job-log-store';
import type { RunningAttempts } from './running-attempts';
import type { Names } from '../src-shared/topology';
import type { WorkerToMainMessage } from '../src-shared/worker-protocol';
import type { HeartbeatState } from '../src-shared/worker-heartbeat';
import { retryLadder, type RetryPolicy } from '../src-shared/retry-policy';
import type { JobHandler } from './handlers/handler';
import { cancelConsumers, closeSession, isIncurableAmqpError, openSession, type Session } from './broker-session';
import type { DeliveryContext } from './delivery-context';
import { handleDelivery } from './delivery';
import { KindGate } from './kind-gate';
import { OutageWatch } from './outage-watch';
import type { FlowControl } from './flow-control';
import { sleep, within } from './waits';

export interface WorkerProcessOptions {
  /** The worker's one name (`workerName`), written as `worker` in every status it writes. */
  name: string;
  amqpUrl: string;
  names: Names;
  kinds: readonly JobKind[];
  /** Every kind: what a consumed message's kind and payload are checked against. */
  registry: KindRegistry;
  prefetch: number;
  /** A kind's own prefetch, where it differs (kind A: a wide window its records are grouped from). */
  prefetchByKind?: Partial<Record<JobKind, number>>;
  status: JobStatusClient;
  /** Where handlers' log lines are kept. */
  logs: JobLogStore;
  /** The attempts running here, which an operator's cancel reaches (see `listenForCancels`). */
  cancels: RunningAttempts;
  handlers: Partial<Record<JobKind, JobHandler>>;
  /** Which kinds to take messages of now (see KindGate); every kind when left out. */
  gate?: KindGate;
  /** Seconds a job may wait out outages of its kind's own dependency (`JOBDECK_UNAVAILABLE_MAX_WAIT_S`). */
  unavailableMaxWaitS: number;
  /** The kinds' pause and limits, asked before each start (see FlowControl); every start goes at once without it. */
  flow?: Pick<FlowControl, 'admit'>;
  /** Must match the console's: it names the retry queues both declare. */
  retry: RetryPolicy;
  /** Tells the supervising console what happens (a no-op when run by hand). */
  report: (message: WorkerToMainMessage) => void;
  /**
   * Called when the broker connection is lost and the worker does not reconnect by itself
   * (`reconnect` unset): the process should exit and be restarted.
   */
  onConnectionLost: (reason: string, curable: boolean) => void;
  /** Reconnects with backoff after a lost connection instead of calling `onConnectionLost`. */
  reconnect?: boolean;
  log: (line: string) => void;
}

/** Backoff between two reconnects: doubling from the first to the last. */
export const RECONNECT_FIRST_MS = 500;
export const RECONNECT_MAX_MS = 15_000;

/**
 * One worker process's consume loop: takes jobs of its kinds with manual ack and a bounded
 * prefetch (several in flight), moves each STARTED → IN PROGRESS → DONE, RETRYING or FAILED in
 * Redis and on the event stream, and acks only after the final status is written. A failed
 * attempt's message is first put, confirmed, in a retry queue of the ladder (or, after the last
 * attempt, in the kind's dead-letter queue); then the status; then the ack. A crash in between
 * leaves a copy too many, never one too few: the status store tells a stale copy (see
 * `WriteJob.startAttempt`) and the worker acks it unrun. This class keeps the broker session
 * (reconnecting when asked to), the jobs in hand and the drain; `handleDelivery` runs each job.
 */
export class WorkerProcess {
  private session: Session | null = null;
  private readonly context: DeliveryContext;
  private readonly inFlight = new Set<Promise<void>>();
  /** Aborted when the worker stops at once: every session's jobs and the reconnect waits. */
  private readonly abort = new AbortController();
  private stopping = false;
  private connectedOnce = false;
  private readonly gate: KindGate;

  constructor(private readonly options: WorkerProcessOptions) {
    this.gate = options.gate ?? new KindGate();
    const outages = new OutageWatch(this.gate, options.handlers, options.log, this.abort.signal);
    this.context = { ...options, outages, ladder: retryLadder(options.retry), workerId: options.name };
  }

  /** Where the consume loop is, for the heartbeat. */
  get state(): HeartbeatState {
    if (this.stopping) return 'stopping';
    if (this.session) return 'ready';
    return this.connectedOnce ? 'reconnecting' : 'starting';
  }

  /**
   * Connects and consumes. Throws when the first connection fails, unless the worker reconnects
   * by itself: then it retries with backoff (and throws only for what retrying cannot cure).
   */
  async start(): Promise<void> {
    try {
      this.session = await this.connect();
    } catch (error) {
      if (!this.options.reconnect || isIncurableAmqpError(error as Error)) throw error;
      const reason = redactText((error as Error).message);
      this.options.log(`RabbitMQ unreachable (${reason}); retrying with backoff up to ${RECONNECT_MAX_MS / 1000} s`);
      // Returns once connected, or told to stop (then with no session: nothing to consume).
      await this.reconnect(true);
    }
  }

  private async connect(): Promise<Session> {
    const session = await openSession(
      { ...this.options, gate: this.gate, ladder: this.context.ladder },
      (session, message) => this.track(handleDelivery(this.context, session, message)),
      (reason) => {
        if (!this.stopping) this.onSessionLost(reason);
      },
    );
    this.connectedOnce = true;
    return session;
  }

  private onSessionLost(reason: string): void {
    this.session = null;
    if (!this.options.reconnect) {
      this.options.onConnectionLost(reason, true);
      return;
    }
    this.options.log(`${reason}; jobs in hand stopped (the broker gives them back); reconnecting`);
    void this.reconnect(false);
  }

  /** Connects again with backoff until it works or the worker stops; one line per state change. */
  private async reconnect(alreadySaid: boolean): Promise<void> {
    let unreachable = alreadySaid;
    let waitMs = RECONNECT_FIRST_MS;
    while (!this.stopping) {
      await sleep(waitMs, this.abort.signal);
      if (this.stopping) return;
      try {
        const session = await this.connect();
        if (this.stopping) {
          await session.connection.close().catch(() => undefined);
          return;
        }
        this.session = session;
        this.options.log(`RabbitMQ connected again; consuming ${this.options.kinds.map(this.options.names.queue).join(', ')}`);
        return;
      } catch (error) {
        const message = redactText((error as Error).message);
        if (isIncurableAmqpError(error as Error)) {
          this.options.onConnectionLost(`RabbitMQ refused the connection for good: ${message}`, false);
          return;
        }
        // One line per outage, whatever each try answers.
        if (!unreachable) this.options.log(`RabbitMQ unreachable (${message}); retrying with backoff up to ${RECONNECT_MAX_MS / 1000} s`);
        unreachable = true;
        waitMs = Math.min(waitMs * 2, RECONNECT_MAX_MS);
      }
    }
  }

  /**
   * Stops taking messages and lets the jobs in hand finish for up to `graceMs`; then aborts the
   * rest (they go back to the queue) and disconnects, within `graceMs` more at the most.
   */
  async close(graceMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const session = this.session;
    await cancelConsumers(session);
    await within(Promise.all(this.inFlight), graceMs);
    this.abort.abort();
    session?.abort.abort();
    await within(Promise.all(this.inFlight), graceMs);
    await closeSession(session);
  }

  /** How many jobs this worker holds now. */
  get jobsInHand(): number {
    return this.inFlight.size;
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: Error) => this.options.log(`unexpected: ${redactText(error.message)}`));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }
}
