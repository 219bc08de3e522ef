import type { FieldError } from '../problem';
import { ConfigError } from '../settings';
import { inRange, parseAddress, parseRange, refusedClassOf, type IpRange } from './address-classes';
import { isLoopbackBind } from './bind-address';

/** `strict` refuses the classes of address-classes.ts; `off` lets every URL through. */
export type OutboundMode = 'strict' | 'off';

/** The policy as the settings name it (`JOBDECK_OUTBOUND_POLICY`, `JOBDECK_OUTBOUND_ALLOW`). */
export interface OutboundSettings {
  mode: OutboundMode;
  /** Host names, addresses and CIDRs let through under `strict`, as given. */
  allow: readonly string[];
}

/** The console's webhook inbox: the one path of the console's own address a URL may name under `strict`. */
export const INBOX_PATH = '/api/v1/inbox/';
/** The rule a refused URL's field error names. */
export const OUTBOUND_RULE = 'outbound-policy';

const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** A host as the policy compares it: lowercase, without IPv6 brackets or a trailing dot. */
function bareHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** `localhost` and the names under it (RFC 6761): loopback without asking DNS. */
function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

function portOf(url: URL): number {
  return Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
}

function allowEntries(text: string): string[] {
  const entries = text.split(',').map((entry) => bareHost(entry.trim())).filter(Boolean);
  for (const entry of entries) {
    if (!parseRange(entry) && !HOST_NAME.test(entry)) {
      throw new ConfigError(`JOBDECK_OUTBOUND_ALLOW: "${entry}" must be a host name, an IP address or a CIDR (e.g. 10.0.0.0/8, fd00::/8)`);
    }
  }
  return entries;
}

/**
 * The settings from the environment's values: the mode `JOBDECK_OUTBOUND_POLICY` names, else
 * strict when the API listens beyond loopback (`JOBDECK_HOST`) and off on loopback. A bad allow
 * entry throws a ConfigError naming the variable.
 */
export function outboundSettings(env: { JOBDECK_OUTBOUND_POLICY?: OutboundMode; JOBDECK_OUTBOUND_ALLOW: string; JOBDECK_HOST: string }): OutboundSettings {
  const mode = env.JOBDECK_OUTBOUND_POLICY ?? (isLoopbackBind(env.JOBDECK_HOST) ? 'off' : 'strict');
  return { mode, allow: allowEntries(env.JOBDECK_OUTBOUND_ALLOW) };
}

/**
 * The variables that give a spawned worker this policy: the console's effective mode (a worker
 * does not know the console's bind address), its allow list, its own address, whose inbox
 * stays allowed, and the token that inbox takes.
 */
export function outboundWorkerEnv(settings: OutboundSettings, consoleUrl: string, inboxToken: string): Record<string, string> {
  return {
    JOBDECK_OUTBOUND_POLICY: settings.mode,
    JOBDECK_OUTBOUND_ALLOW: settings.allow.join(','),
    JOBDECK_CONSOLE_URL: consoleUrl,
    JOBDECK_INBOX_TOKEN: inboxToken,
  };
}

/**
 * Which URLs callbacks, webhook deliveries and http kinds may reach. Under `strict` a URL is
 * refused when its host is, or resolves to, an address of a refused class (see
 * address-classes.ts), unless the allow list names the host or a network holding the address.
 * The console's own address stays allowed for its webhook inbox. IP literals and localhost names
 * are known before any lookup ({@link refusalOfUrl}); every other name is judged by what it
 * resolves to, when the connection is made ({@link refusalOfAddress}).
 */
export class OutboundPolicy {
  static readonly OFF = new OutboundPolicy({ mode: 'off', allow: [] });

  private readonly hosts: ReadonlySet<string>;
  private readonly ranges: readonly IpRange[];

  /** `consoleUrl`: the console's API address (read when needed: it listens after the policy is made); null when unknown. */
  constructor(
    readonly settings: OutboundSettings,
    private readonly consoleUrl: () => string | null = () => null,
  ) {
    this.hosts = new Set(settings.allow.filter((entry) => !parseRange(entry)).map(bareHost));
    this.ranges = settings.allow.map(parseRange).filter((range): range is IpRange => range !== null);
  }

  get strict(): boolean {
    return this.settings.mode === 'strict';
  }

  /**
   * Whether a connection to `host`:`port` skips the address checks: the allow list names the
   * host, or it is the console's own address.
   */
  allowsHost(host: string, port: number): boolean {
    if (!this.strict || this.hosts.has(bareHost(host))) return true;
    const own = this.ownUrl();
    return own !== null && bareHost(own.hostname) === bareHost(host) && portOf(own) === port;
  }

  /** Why `address` (`host` itself, or what it resolved to) is refused; null when it may be reached. */
  refusalOfAddress(host: string, address: string): string | null {
    const parsed = parseAddress(address);
    if (!this.strict || !parsed || this.ranges.some((range) => inRange(parsed, range))) return null;
    const refused = refusedClassOf(parsed);
    if (!refused) return null;
    const article = /^[aeiou]/.test(refused) ? 'an' : 'a';
    const name = bareHost(host);
    // Never the address a name resolved to: a job's error must not reveal internal DNS answers.
    return `${name} ${parseAddress(name) ? 'is' : 'resolves to'} ${article} ${refused} address`;
  }

  /**
   * Why a URL is refused before any lookup: its host is an IP literal or a localhost name of a
   * refused class, or it names the console's own address beyond the inbox. Null when it is
   * allowed, or when only what its host resolves to can tell.
   */
  refusalOfUrl(url: string): string | null {
    if (!this.strict) return null;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    const host = bareHost(parsed.hostname);
    if (this.hosts.has(host)) return null;
    if (this.allowsHost(host, portOf(parsed))) {
      return parsed.pathname.startsWith(INBOX_PATH) ? null : `${parsed.host} is the console's own address, where only its webhook inbox (${INBOX_PATH}) may be called`;
    }
    if (isLocalhostName(host)) return this.refusalOfAddress('127.0.0.1', '127.0.0.1') && `${host} names a loopback address`;
    return parseAddress(host) ? this.refusalOfAddress(host, host) : null;
  }

  /** Whether `url` is the console's own webhook inbox: the console's origin, a path under {@link INBOX_PATH}. Whatever the mode. */
  isOwnInbox(url: string): boolean {
    const own = this.ownUrl();
    try {
      const target = new URL(url);
      return own !== null && target.origin === own.origin && target.pathname.startsWith(INBOX_PATH);
    } catch {
      return false;
    }
  }

  /** The field errors (rule `outbound-policy`) of the URLs refused before any lookup; `urls` maps field to URL. */
  fieldErrors(urls: Record<string, unknown>): FieldError[] {
    return Object.entries(urls).flatMap(([field, url]) => {
      const refusal = typeof url === 'string' ? this.refusalOfUrl(url) : null;
      return refusal ? [{ field, rule: OUTBOUND_RULE, message: `${field} is refused by the outbound policy: ${refusal}` }] : [];
    });
  }

  private ownUrl(): URL | null {
    const url = this.consoleUrl();
    return url ? new URL(url) : null;
  }
}
