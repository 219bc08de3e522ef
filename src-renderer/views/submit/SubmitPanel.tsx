import { CallbackJobForm } from './CallbackJobForm';
import { EmailJobForm } from './EmailJobForm';
import { LogJobForm } from './LogJobForm';

export function SubmitPanel() {
  return (
    <section className="panel submit-panel" aria-labelledby="submit-heading">
      <header className="view-header">
        <h2 id="submit-heading">Submit a job</h2>
        <p className="muted">Each form is checked with the API's own schema before it is sent.</p>
      </header>
      <div className="submit-forms">
        <LogJobForm />
        <CallbackJobForm />
        <EmailJobForm />
      </div>
    </section>
  );
}
