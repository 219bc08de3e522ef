import type { HandlerSpec, KindDefinition } from '../../src-shared/kind-definition';
import type { JobHandler } from './handler';

/** Placeholder until the handler runtimes land (branch `handlers`): the handler of a user kind. */
export function createHandler(_spec: HandlerSpec, _definition: KindDefinition): JobHandler {
  throw new Error('handler runtime not built yet');
}
