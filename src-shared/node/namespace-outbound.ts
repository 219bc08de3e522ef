import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { OutboundSource } from './outbound-fetch';
import { OutboundPolicy, type OutboundSettings } from './outbound-policy';

/**
 * What a console publishes at `<ns>:console:outbound` for the workers of its namespace: its
 * effective policy, its address (whose inbox stays allowed) and the `read` token its inbox takes.
 */
export const publishedOutboundSchema = z.object({
  mode: z.enum(['strict', 'off']),
  allow: z.array(z.string()),
  console_url: z.string().nullable(),
  inbox_token: z.string().nullable(),
});
export type PublishedOutbound = z.infer<typeof publishedOutboundSchema>;

/** Writes the console's outbound settings for its namespace's workers (at start, and on every core restart). */
export async function publishOutbound(redis: Redis, key: string, published: PublishedOutbound): Promise<void> {
  await redis.set(key, JSON.stringify(published));
}

/** The stricter of two settings: strict if either is, every allow entry of both. */
export function stricterOf(own: OutboundSettings, published: OutboundSettings): OutboundSettings {
  const mode = own.mode === 'strict' || published.mode === 'strict' ? 'strict' : 'off';
  return { mode, allow: [...new Set([...published.allow, ...own.allow])] };
}

/** What a worker knows of its console by itself: its own settings, and what its spawning console gave it. */
export interface WorkerOutboundOwn {
  settings: OutboundSettings;
  consoleUrl: string | null;
  inboxToken: string | null;
}

/** How often a worker reads its namespace's published settings again. */
export const OUTBOUND_REFRESH_MS = 5_000;

/**
 * A worker's outbound policy: the stricter of its own settings and those its namespace's console
 * published, read again every few seconds (never per job). A worker whose environment names no
 * console address or inbox token takes the published ones; until a first read, or when none was
 * ever published, its own settings alone.
 */
export class NamespaceOutbound implements OutboundSource {
  private current: OutboundPolicy;
  private token: string | null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly own: WorkerOutboundOwn,
    private readonly log: (line: string) => void,
  ) {
    this.current = new OutboundPolicy(own.settings, () => own.consoleUrl);
    this.token = own.inboxToken;
  }

  policy(): OutboundPolicy {
    return this.current;
  }

  inboxToken(): string | null {
    return this.token;
  }

  /** Reads the published settings now, then every {@link OUTBOUND_REFRESH_MS}; a failed read keeps the last ones. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), OUTBOUND_REFRESH_MS);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    const text = await this.redis.get(this.key).catch(() => undefined);
    if (text === undefined || text === null) return;
    const parsed = publishedOutboundSchema.safeParse(safeJson(text));
    if (!parsed.success) return this.log(`${this.key} holds no outbound settings a worker can read; keeping the previous ones`);
    this.apply(parsed.data);
  }

  private apply(published: PublishedOutbound): void {
    const settings = stricterOf(this.own.settings, { mode: published.mode, allow: published.allow });
    const consoleUrl = this.own.consoleUrl ?? published.console_url;
    const before = this.current.settings.mode;
    this.current = new OutboundPolicy(settings, () => consoleUrl);
    this.token = this.own.inboxToken ?? published.inbox_token;
    if (before !== settings.mode) this.log(`outbound policy ${settings.mode}, as the namespace's console runs it`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
