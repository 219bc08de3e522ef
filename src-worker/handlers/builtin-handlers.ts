import type pg from 'pg';
import type { BuiltinHandlerSpec } from '../../src-shared/kind-definition';
import type { Names } from '../../src-shared/topology';
import type { OutboundClient } from '../../src-shared/node/outbound-fetch';
import { CALLBACK_TIMEOUT_MS, CallbackHandler } from './callback-handler';
import { EmailHandler } from './email-handler';
import type { JobHandler } from './handler';
import { LogHandler } from './log-handler';

/** What the built-in handlers need of their worker. */
export interface BuiltinHandlerDeps {
  /** The worker's database pool, opened on first use (kind A writes its records there). */
  pool: () => pg.Pool;
  names: Names;
  smtpUrl: string;
  /** Kind A's prefetch (`JOBDECK_LOG_PREFETCH`): short jobs whose records are committed in groups need a wide window. */
  logPrefetch: number;
  /** The outbound URL policy kind B's callbacks go through. */
  outbound: OutboundClient;
}

type BuiltinName = BuiltinHandlerSpec['builtin'];

const FACTORIES: Record<BuiltinName, (deps: BuiltinHandlerDeps) => JobHandler> = {
  log: (deps) => new LogHandler(deps.pool(), deps.names.schema),
  callback: (deps) => new CallbackHandler(CALLBACK_TIMEOUT_MS, deps.outbound),
  email: (deps) => new EmailHandler(deps.smtpUrl),
};

/** The handler of a built-in kind. */
export function builtinHandler(spec: BuiltinHandlerSpec, deps: BuiltinHandlerDeps): JobHandler {
  return FACTORIES[spec.builtin](deps);
}

/** A built-in kind's own prefetch, where it differs from the worker's. */
export function builtinPrefetch(spec: BuiltinHandlerSpec, deps: Pick<BuiltinHandlerDeps, 'logPrefetch'>): number | undefined {
  return spec.builtin === 'log' ? deps.logPrefetch : undefined;
}
