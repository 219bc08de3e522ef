import { useRef, type ComponentType } from 'react';
import { BUILTIN_KINDS } from '../../../src-shared/builtin-kinds';
import { kindInfo, type KindInfo } from '../../../src-shared/kind-records';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { useConsole } from '../../store/context';
import { CallbackJobForm } from './CallbackJobForm';
import { EmailJobForm } from './EmailJobForm';
import type { KindFormProps } from './JobForm';
import { LogJobForm } from './LogJobForm';
import { ReplayBanner } from './ReplayBanner';
import { SchemaJobForm } from './SchemaJobForm';

/** The built-in kinds keep their hand-made forms (their hints, "Now" button and defaults). */
const BUILTIN_FORMS: Readonly<Record<string, ComponentType<KindFormProps>>> = {
  log: LogJobForm,
  callback: CallbackJobForm,
  email: EmailJobForm,
};

/** Shown until the registry has been read: the built-in kinds are in every console's. */
const BUILTIN_INFO: readonly KindInfo[] = BUILTIN_KINDS.map(({ definition }) => kindInfo(definition));

function KindForm({ kind, initial }: { kind: KindInfo } & KindFormProps) {
  const Builtin = kind.handler === 'builtin' ? BUILTIN_FORMS[kind.name] : undefined;
  return Builtin ? <Builtin initial={initial} /> : <SchemaJobForm kind={kind} initial={initial} />;
}

/** The replay a kind's form last started from: its `seq` keys the form. */
interface ReplayStart {
  seq: number;
  payload?: Record<string, unknown>;
}
const NO_START: ReplayStart = { seq: 0 };

/**
 * Each kind's last replay: its form is keyed by it, so a new replay starts the form afresh with
 * the job's payload, and dropping the replay keeps the form (and what was typed) as it is.
 */
function useReplayStarts() {
  const replay = useConsole((state) => state.replay);
  const starts = useRef<Record<string, ReplayStart>>({});
  if (replay && starts.current[replay.kind]?.seq !== replay.seq) starts.current[replay.kind] = { seq: replay.seq, payload: replay.payload };
  return { replay, startOf: (kind: string): ReplayStart => starts.current[kind] ?? NO_START };
}

/** One form per kind of the console's registry, in its order: the built-in kinds, then the kinds file's. */
export function SubmitPanel() {
  const kinds = useConsole((state) => state.kinds);
  const { replay, startOf } = useReplayStarts();
  const all = kinds.data?.kinds ?? BUILTIN_INFO;
  // While replaying, only the replayed job's kind: its form is the one that sends replay_of.
  const shown = replay ? all.filter((kind) => kind.name === replay.kind) : all;
  return (
    <section className="panel submit-panel" aria-labelledby="submit-heading">
      <ViewHeader
        id="submit-heading"
        title="Submit a job"
        description="Each form is checked with the kind's schema, the built-in kinds' in the page and your own kinds' by the API; the new job opens on the right."
      />
      <ReadFailed title="The kinds could not be read" error={kinds.error} next="Only the built-in kinds are shown; the list is read again when the live feed reopens." />
      {replay && <ReplayBanner replay={replay} kind={all.find((kind) => kind.name === replay.kind)} />}
      <div className="submit-forms">
        {shown.map((kind) => (
          // A kinds file changed under a restarted console starts its form afresh, as a new replay does.
          <KindForm key={`${kind.name} ${JSON.stringify(kind.payload_schema)} ${startOf(kind.name).seq}`} kind={kind} initial={startOf(kind.name).payload} />
        ))}
      </div>
    </section>
  );
}
