import { ViewHeader } from '../../components/ViewHeader';
import { CallbackJobForm } from './CallbackJobForm';
import { EmailJobForm } from './EmailJobForm';
import { LogJobForm } from './LogJobForm';

export function SubmitPanel() {
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
      </div>
    </section>
  );
}
