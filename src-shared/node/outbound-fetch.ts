import { lookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch, type RequestInit, type Response } from 'undici';
import { OutboundPolicy } from './outbound-policy';

/** A URL the outbound policy refused; thrown before any connection to it was tried. */
export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
}

/**
 * A lookup that resolves every address of the name and refuses the connection when any of them
 * is refused: the address checked is the address connected to, so a name that changes its
 * answer between two lookups (DNS rebinding) is judged by the one used.
 */
function checkedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true } as LookupAllOptions, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refusal = addresses.map((a) => policy.refusalOfAddress(hostname, a.address)).find((reason) => reason !== null);
      if (refusal) return callback(new OutboundRefusedError(refusal) as NodeJS.ErrnoException, '', 0);
      if ((options as LookupAllOptions).all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * Connects as undici does, through the policy in force: an IP literal is judged before connecting,
 * a name by what it resolves to; a host the allow list names (or the console's own address) is not
 * judged.
 */
function guardedConnector(current: () => OutboundPolicy): buildConnector.connector {
  const open = buildConnector({});
  return (options, callback) => {
    const policy = current();
    const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
    if (policy.allowsHost(options.hostname, port)) return open(options, callback);
    const refusal = isIP(options.hostname) ? policy.refusalOfAddress(options.hostname, options.hostname) : null;
    if (refusal) return queueMicrotask(() => callback(new OutboundRefusedError(refusal), null));
    return buildConnector({ lookup: checkedLookup(policy) })(options, callback);
  };
}

/** What an {@link OutboundClient} goes by: the policy in force, and the token the console's inbox takes. */
export interface OutboundSource {
  policy(): OutboundPolicy;
  /** The `read` token a POST to the console's own inbox carries; null when none. */
  inboxToken(): string | null;
}

/**
 * The one way Jobdeck POSTs to a URL a user gave (callbacks, http kinds, webhook deliveries):
 * fetch through the outbound policy in force (a worker's may turn strict while it runs). A refused
 * URL rejects with {@link OutboundRefusedError} before any connection is tried, whatever state its
 * port is in. Redirects are the caller's `redirect` option; every caller passes `manual`, so none
 * is ever followed. A POST to the console's own inbox carries the inbox token, and no other does.
 */
export class OutboundClient {
  private readonly agent: Agent;
  private readonly source: OutboundSource;

  constructor(source: OutboundPolicy | OutboundSource) {
    this.source = source instanceof OutboundPolicy ? { policy: () => source, inboxToken: () => null } : source;
    this.agent = new Agent({ connect: guardedConnector(() => this.source.policy()) });
  }

  get policy(): OutboundPolicy {
    return this.source.policy();
  }

  async fetch(url: string, init: RequestInit): Promise<Response> {
    const refusal = this.policy.refusalOfUrl(url);
    if (refusal) throw new OutboundRefusedError(refusal);
    try {
      return await fetch(url, { ...init, headers: this.headersFor(url, init), dispatcher: this.agent });
    } catch (error) {
      // fetch says only "fetch failed"; a refusal of the connection is its cause.
      const cause = (error as Error).cause;
      throw cause instanceof OutboundRefusedError ? cause : error;
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** The request's headers, with the inbox token when it POSTs to the console's own inbox. */
  private headersFor(url: string, init: RequestInit): RequestInit['headers'] {
    const token = this.source.inboxToken();
    if (token === null || init.method !== 'POST' || !this.policy.isOwnInbox(url)) return init.headers;
    return { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` };
  }
}

/** The client of the `off` policy: every URL goes through. */
export const OPEN_OUTBOUND = new OutboundClient(OutboundPolicy.OFF);
