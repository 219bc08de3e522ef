import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './problems';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export interface HostGuardOptions {
  /** The address the API listens on. */
  host: string;
  /** The port it listens on, known once it listens. */
  port: () => number;
  /** Further host names an operator allowed (with or without a port). */
  allowedHosts: string[];
}

/**
 * Refuses requests that are not addressed to this console (DNS rebinding) or that a browser
 * marks as sent by another site, so a page the operator visits cannot create jobs. Clients that
 * send neither `Origin` nor `Sec-Fetch-Site`, such as curl, are unaffected.
 */
export function hostGuard(options: HostGuardOptions) {
  const isOwnHost = (host: string): boolean => {
    const port = options.port();
    const names = [...LOOPBACK_NAMES, options.host.includes(':') ? `[${options.host}]` : options.host];
    const own = new Set([...names.map((name) => `${name}:${port}`), ...(port === 80 ? names : [])]);
    for (const extra of options.allowedHosts) own.add(extra.includes(':') ? extra : `${extra}:${port}`);
    return own.has(host.toLowerCase());
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
