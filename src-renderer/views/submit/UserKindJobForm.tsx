import type { KindInfo } from '../../../src-shared/kind-records';
import { JobForm } from './JobForm';

const NO_FIELDS: readonly string[] = [];

/**
 * A kind of the kinds file: its payload as JSON, checked by the console (the kind's JSON Schema
 * is compiled there, not in the page), whose refusal names `payload.<field>` and the rule.
 */
export function UserKindJobForm({ kind }: { kind: KindInfo }) {
  return <JobForm kind={kind.name} description={kind.description} fields={NO_FIELDS} buildPayload={() => ({})} />;
}
