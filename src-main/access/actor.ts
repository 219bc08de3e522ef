/**
 * Who made a request: the name of the token it carried (`window` for the Electron window's launch
 * token) and that token's role, or `local` for a call without a token while the API is bound to
 * loopback only (where no token is required). The access hook sets it on every request before
 * routing; the audit trail reads it.
 */
export type Role = 'read' | 'write';

export interface Actor {
  name: string;
  role: Role;
}

/** A call without a token to an API bound to loopback only: allowed everything, as before tokens. */
export const LOCAL_ACTOR: Actor = Object.freeze({ name: 'local', role: 'write' });

/** A request refused for want of a valid token: the audit trail records its attempt under this name. */
export const ANONYMOUS_ACTOR: Actor = Object.freeze({ name: 'anonymous', role: 'read' });

/** The Electron window's token for one launch of the console (never stored) is named this. */
export const WINDOW_ACTOR_NAME = 'window';

/** The token the console gives its namespace's workers for one launch (role read, never stored), for its webhook inbox. */
export const WORKERS_ACTOR_NAME = 'workers';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access hook (onRequest); until then {@link LOCAL_ACTOR}, or {@link ANONYMOUS_ACTOR} where tokens are required. */
    actor: Actor;
  }
}
