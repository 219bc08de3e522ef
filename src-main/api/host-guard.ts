import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './problems';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export interface HostGuardOptions {
  /** The address the API listens on. */
  host: string;
  /** The port it listens on, known once it listens. */
  port: () => number;
  /** Further host names an operator allowed (with or without a port; IPv6 in brackets). */
  allowedHosts: string[];
}

/** A host as it appears in a `Host` header: an IPv6 address goes in brackets. */
function hostName(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * The `Host` values an allowed entry stands for: itself when it names a port (`name:8000`,
 * `[::1]:8000`), else the name with the console's port, and the bare name on port 80 (where
 * clients leave the port out). A bare IPv6 address (`fe80::1`) is taken as a name, not `name:port`.
 */
function hostValues(entry: string, port: number): string[] {
  const name = entry.toLowerCase();
  const hasPort = /^\[[^\]]*\]:\d+$/.test(name) || /^[^:[\]]+:\d+$/.test(name);
  if (hasPort) return [name];
  const bracketed = hostName(name);
  return [`${bracketed}:${port}`, ...(port === 80 ? [bracketed] : [])];
}

/**
 * Refuses requests that are not addressed to this console (DNS rebinding) or that a browser
 * marks as sent by another site, so a page the operator visits cannot create jobs. Clients that
 * send neither `Origin` nor `Sec-Fetch-Site`, such as curl, are unaffected.
 *
 * Residual risks, by design:
 * - The book's GET routes create jobs. A cross-site `<img>` or no-cors `fetch` sends no `Origin`
 *   on a GET, so only `Sec-Fetch-Site` stops it; every current browser sends it, an old one may not.
 * - This guard stops browsers, not callers. Callers are stopped by tokens (access/access-hook.ts)
 *   and the outbound URL policy once the API is bound beyond loopback; a write token may still
 *   send mail to any address.
 */
export function hostGuard(options: HostGuardOptions) {
  const isOwnHost = (host: string): boolean => {
    const port = options.port();
    const entries = [...LOOPBACK_NAMES, options.host, ...options.allowedHosts];
    return entries.some((entry) => hostValues(entry, port).includes(host.toLowerCase()));
  };
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const host = request.headers.host ?? '';
    if (!isOwnHost(host)) {
      await sendProblem(reply, problem(403, `Host "${host}" is not this console's address`, 'foreign-host'));
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !(URL.canParse(origin) && isOwnHost(new URL(origin).host))) {
      await sendProblem(reply, problem(403, `requests from origin "${origin}" are not accepted`, 'cross-origin'));
      return;
    }
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') {
      await sendProblem(reply, problem(403, 'requests from other sites are not accepted', 'cross-site'));
    }
  };
}
