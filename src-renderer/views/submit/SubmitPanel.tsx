import { ViewHeader } from '../../components/ViewHeader';
import { CallbackJobForm } from './CallbackJobForm';
import { EmailJobForm } from './EmailJobForm';
import { LogJobForm } from './LogJobForm';
import { UserKindJobForm } from './UserKindJobForm';
import { useConsole } from '../../store/context';

/** The built-in kinds' forms, then one per kind of the kinds file. */
export function SubmitPanel() {
  const kinds = useConsole((state) => state.kinds.data?.kinds);
  return (
    <section className="panel submit-panel" aria-labelledby="submit-heading">
      <ViewHeader
        id="submit-heading"
        title="Submit a job"
        description="Each form is checked with the API's own schema before it is sent; the new job opens on the right."
      />
      <div className="submit-forms">
        <LogJobForm />
        <CallbackJobForm />
        <EmailJobForm />
        {kinds
          ?.filter((kind) => kind.handler !== 'builtin')
          .map((kind) => <UserKindJobForm key={kind.name} kind={kind} />)}
      </div>
    </section>
  );
}
