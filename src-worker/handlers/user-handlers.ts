import type { CommandHandlerSpec, HttpHandlerSpec, KindDefinition, ModuleHandlerSpec } from '../../src-shared/kind-definition';
import { OPEN_OUTBOUND, type OutboundClient } from '../../src-shared/node/outbound-fetch';
import { USER_ATTEMPT_TIMEOUT_MS } from './attempt-bounds';
import { CommandHandler } from './command-handler';
import type { JobHandler } from './handler';
import { HttpHandler } from './http-handler';
import { ModuleHandler } from './module-handler';


/**
 * The handler of a user kind (an entry of the kinds file), by its spec: a module, a command or
 * an http endpoint. Paths in the spec are absolute. Each attempt is bounded by the kind's
 * `timeout_ms` (USER_ATTEMPT_TIMEOUT_MS when it names none). An http handler POSTs through `outbound`.
 */
export function createHandler(
  spec: ModuleHandlerSpec | CommandHandlerSpec | HttpHandlerSpec,
  definition: KindDefinition,
  outbound: OutboundClient = OPEN_OUTBOUND,
): JobHandler {
  const timeoutMs = definition.timeout_ms ?? USER_ATTEMPT_TIMEOUT_MS;
  if ('module' in spec) return new ModuleHandler(spec.module, timeoutMs);
  if ('command' in spec) return new CommandHandler(spec, timeoutMs);
  return new HttpHandler(spec.http, timeoutMs, outbound);
}
