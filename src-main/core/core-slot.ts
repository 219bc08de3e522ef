import type { ConsoleConfig } from '../config';
import { openCore, type Core, type CoreEnv, type CoreServices } from './core';
import { liveParts, type LiveParts } from './live-parts';
import type { RequestGate } from './request-gate';
import { connectionSettings } from './runtime-facts';
import { NoCoreError, reason } from './startup-error';

/** Longest a restart waits for the requests already inside before it closes the stores under them. */
const DRAIN_MS = 10_000;
/** What answers while no core serves: the profiles, which need none, and through which another one is activated. */
const PROFILE_ROUTES = '/api/v1/connections';

/**
 * The place of the core behind the API: it opens the first one, swaps it on a restart (one
 * restart at a time) and closes it. The API holds {@link parts}, which follow the swap.
 */
export class CoreSlot {
  readonly parts: LiveParts;
  /** The services the API serves from: the first core's as soon as the API listens; none during a swap. */
  private serving: CoreServices | null = null;
  private core: Core | null = null;
  private restarting: Promise<void> = Promise.resolve();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly env: CoreEnv,
    private readonly gate: RequestGate,
  ) {
    this.parts = liveParts(() => this.serving);
  }

  get services(): CoreServices | null {
    return this.serving;
  }

  /** Opens the first core; `listen` runs once its stores and broker are up (see {@link openCore}). */
  async open(config: ConsoleConfig, listen: () => Promise<void>): Promise<void> {
    this.core = await openCore(config, this.env, async (services) => {
      this.serving = services;
      await listen();
    });
  }

  /** Swaps the core onto `config` after any restart under way; the console closed, refuses. */
  restart(config: ConsoleConfig): Promise<void> {
    if (this.closing) return Promise.reject(new Error('the console is closed'));
    this.restarting = this.restarting.catch(() => undefined).then(() => this.swap(config));
    return this.restarting;
  }

  /** Closes the core, running `closeApi` between its work and its stores; once. */
  close(closeApi: () => Promise<void>): Promise<void> {
    this.closing ??= this.restarting
      .catch(() => undefined)
      .then(() => (this.core ? this.core.close(closeApi) : closeApi()));
    return this.closing;
  }

  /**
   * The old core's work stops while the API still serves it; then the gate shuts (503 with
   * Retry-After), the requests inside finish, the old stores close, the new core opens and the
   * gate opens again. New settings that fail give way to the previous ones, and the failure is thrown.
   */
  private async swap(next: ConsoleConfig): Promise<void> {
    const { facts, log } = this.env;
    const previous = facts.config;
    await this.core?.close(() => this.drain());
    this.core = this.serving = null;
    try {
      this.core = this.serving = await openCore(next, this.env);
    } catch (error) {
      log(`restarting on the new settings failed (${reason(error)}); opening the previous ones again`);
      this.core = this.serving = await openCore(previous, this.env).catch(() => null);
      if (!this.core) throw this.serveNothing(error);
      throw error;
    } finally {
      if (this.core) this.gate.open();
    }
    const settings = connectionSettings(facts);
    log(`restarted on RabbitMQ ${settings.amqp_url}, Redis ${settings.redis_url}, PostgreSQL ${settings.database_url}`);
  }

  /** The previous settings failed too: only the connection profiles answer, so another one can be activated. */
  private serveNothing(error: unknown): NoCoreError {
    const why = `${reason(error)}; the previous settings failed to reopen too, and no connections serve`;
    this.env.log(`${why}: the API answers 503 but for /api/v1/connections until a profile is activated`);
    this.gate.shut(`no connections serve (the last restart failed); activate a profile at /api/v1/connections`, PROFILE_ROUTES);
    return new NoCoreError(why);
  }

  private async drain(): Promise<void> {
    this.gate.shut('the console is restarting on new connection settings; retry in a second');
    const left = await this.gate.drained(DRAIN_MS);
    if (left > 0) this.env.log(`${left} requests still running after ${DRAIN_MS / 1000} s; closing the stores under them`);
  }
}
