import type { ComponentType } from 'react';
import { BUILTIN_KINDS } from '../../../src-shared/builtin-kinds';
import { kindInfo, type KindInfo } from '../../../src-shared/kind-records';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { useConsole } from '../../store/context';
import { CallbackJobForm } from './CallbackJobForm';
import { EmailJobForm } from './EmailJobForm';
import { LogJobForm } from './LogJobForm';
import { SchemaJobForm } from './SchemaJobForm';

/** The built-in kinds keep their hand-made forms (their hints, "Now" button and defaults). */
const BUILTIN_FORMS: Readonly<Record<string, ComponentType>> = {
  log: LogJobForm,
  callback: CallbackJobForm,
  email: EmailJobForm,
};

/** Shown until the registry has been read: the built-in kinds are in every console's. */
const BUILTIN_INFO: readonly KindInfo[] = BUILTIN_KINDS.map(({ definition }) => kindInfo(definition));

function KindForm({ kind }: { kind: KindInfo }) {
  const Builtin = kind.handler === 'builtin' ? BUILTIN_FORMS[kind.name] : undefined;
  return Builtin ? <Builtin /> : <SchemaJobForm kind={kind} />;
}

/** One form per kind of the console's registry, in its order: the built-in kinds, then the kinds file's. */
export function SubmitPanel() {
  const kinds = useConsole((state) => state.kinds);
  return (
    <section className="panel submit-panel" aria-labelledby="submit-heading">
      <ViewHeader
        id="submit-heading"
        title="Submit a job"
        description="Each form is checked with the kind's schema, the built-in kinds' in the page and your own kinds' by the API; the new job opens on the right."
      />
      <ReadFailed title="The kinds could not be read" error={kinds.error} next="Only the built-in kinds are shown; the list is read again when the live feed reopens." />
      <div className="submit-forms">
        {(kinds.data?.kinds ?? BUILTIN_INFO).map((kind) => (
          // A kinds file changed under a restarted console starts its form afresh.
          <KindForm key={`${kind.name} ${JSON.stringify(kind.payload_schema)}`} kind={kind} />
        ))}
      </div>
    </section>
  );
}
