import type { AlertEvent, AlertNotice } from '../../src-shared/alert-schemas';
import type { QueueInfo } from '../../src-shared/console-records';
import {
  DepthHistory,
  backlogReading,
  crashLoopReading,
  deadLettersReading,
  dependencyReading,
  drainTimeReading,
  failureRateReading,
  nextStep,
  noConsumersReading,
  webhookFailingReading,
  type Reading,
} from './alert-readings';
import type { RedisLease } from './alert-lease';
import type { AlertSources } from './alert-sources';
import type { AlertStore, StoredAlertRule } from './alert-store';

export interface AlertEvaluatorOptions {
  store: AlertStore;
  sources: AlertSources;
  /** Held while this console evaluates; another console's evaluator waits for it. */
  lease: RedisLease;
  everyMs: number;
  /** Tells the consoles' pages (pub/sub) of a fire or a resolve. */
  publish: (notice: AlertNotice) => Promise<void>;
  /** Queues the rule's signed webhook POST of a fire or a resolve (its URL set). */
  deliver: (rule: StoredAlertRule, notice: AlertNotice) => Promise<void>;
  onLog: (line: string) => void;
}

/** How long the dead-letter depths are remembered: the longest window a rule may take. */
const DEPTHS_KEPT_MS = 7 * 86_400_000;

/**
 * Evaluates every enabled rule every `everyMs` while it holds the namespace's lease, so several
 * consoles evaluate each rule once. A rule crossing its threshold opens an episode (at most one
 * open per rule, PostgreSQL says), one no longer crossing closes it; each step is published and
 * sent to the rule's webhook. A rule that cannot be measured (a dependency down) keeps its state.
 */
export class AlertEvaluator {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly depths = new DepthHistory(DEPTHS_KEPT_MS);

  constructor(private readonly options: AlertEvaluatorOptions) {}

  start(): void {
    this.schedule(0);
  }

  /** Stops after the evaluation under way and gives up the lease; calling it again does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.options.lease.release().catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: Error) => this.options.onLog(`alert evaluation failed: ${error.message}`))
        .finally(() => this.schedule(this.options.everyMs));
    }, delayMs);
  }

  /** One evaluation of every rule, if this console holds the lease. */
  async tick(): Promise<void> {
    if (!(await this.options.lease.hold())) return;
    const rules = await this.options.store.list();
    const read = this.memo();
    for (const rule of rules) {
      if (this.closed) return;
      if (!rule.enabled) {
        if (rule.state === 'firing') await this.step(rule, 'resolve', { value: null, crossed: false, message: 'the rule was disabled' });
        continue;
      }
      const reading = await this.read(rule, read).catch((error: Error) => {
        this.options.onLog(`alert rule ${rule.name}: measuring failed (${error.message}); its state stays`);
        return null;
      });
      await this.options.store.noteValue(rule.id, reading?.value ?? null);
      if (reading) await this.step(rule, nextStep(rule.state === 'firing', reading.crossed), reading);
    }
  }

  /** Each source read at most once per evaluation, whatever number of rules ask. */
  private memo() {
    const cache = new Map<string, Promise<unknown>>();
    const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
      if (!cache.has(key)) cache.set(key, load());
      return cache.get(key) as Promise<T>;
    };
    const { sources } = this.options;
    return {
      queues: () =>
        once('queues', async () => {
          const queues = await sources.queues();
          this.noteDepths(queues);
          return queues;
        }),
      finished: (windowS: number) => once(`finished:${windowS}`, () => sources.finished(windowS)),
      restarts: (windowS: number) => once(`restarts:${windowS}`, () => sources.restarts(windowS)),
      webhookFailures: (windowS: number) => once(`webhooks:${windowS}`, () => sources.webhookFailures(windowS)),
      dependencies: () => once('dependencies', () => sources.dependencies()),
    };
  }

  private noteDepths(queues: readonly QueueInfo[]): void {
    const now = Date.now();
    for (const queue of queues) this.depths.record(queue.kind, queue.dead, now);
  }

  private async read(rule: StoredAlertRule, read: ReturnType<AlertEvaluator['memo']>): Promise<Reading> {
    switch (rule.type) {
      case 'failure_rate':
        return failureRateReading(rule, (await read.finished(rule.window_s)).get(rule.kind ?? '') ?? { failed: 0, finished: 0 });
      case 'backlog':
        return backlogReading(rule, await read.queues());
      case 'drain_time': {
        const finished = new Map([...(await read.finished(rule.window_s))].map(([kind, counts]) => [kind, counts.finished]));
        return drainTimeReading(rule, await read.queues(), finished);
      }
      case 'no_consumers':
        return noConsumersReading(rule, await read.queues());
      case 'crash_loop':
        return crashLoopReading(rule, await read.restarts(rule.window_s));
      case 'dead_letters_growing':
        await read.queues();
        return deadLettersReading(rule, this.depths.growth(rule.window_s * 1000, Date.now()));
      case 'webhook_failing':
        return webhookFailingReading(rule, await read.webhookFailures(rule.window_s));
      case 'dependency_down':
        return dependencyReading(rule, await read.dependencies());
    }
  }

  private async step(rule: StoredAlertRule, step: 'fire' | 'resolve' | 'stay', reading: Reading): Promise<void> {
    if (step === 'stay') return;
    const { store } = this.options;
    const event = step === 'fire' ? await store.fire(rule.id, reading.value, reading.message) : await store.resolve(rule.id, reading.message);
    // Null: another evaluator (a lease handed over mid-evaluation) made this step already.
    if (event) await this.tell(rule, step, event);
  }

  private async tell(rule: StoredAlertRule, step: 'fire' | 'resolve', event: AlertEvent): Promise<void> {
    const notice: AlertNotice = {
      type: step === 'fire' ? 'alert.fired' : 'alert.resolved',
      rule: { id: rule.id, name: rule.name, type: rule.type, kind: rule.kind, threshold: rule.threshold },
      event,
    };
    this.options.onLog(`alert ${rule.name} ${step === 'fire' ? 'fired' : 'resolved'}: ${step === 'fire' ? event.message : event.resolved_message}`);
    await this.options.publish(notice).catch((error: Error) => this.options.onLog(`alert ${rule.name}: publishing failed: ${error.message}`));
    if (rule.webhook_url) await this.options.deliver(rule, notice).catch((error: Error) => this.options.onLog(`alert ${rule.name}: queueing its webhook failed: ${error.message}`));
  }
}
