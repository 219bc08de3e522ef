import { CallbackJobForm } from './CallbackJobForm';
import { EmailJobForm } from './EmailJobForm';
import { LogJobForm } from './LogJobForm';

export function SubmitPanel() {
  return (
    <section className="panel submit-panel" aria-labelledby="submit-heading">
      <h2 id="submit-heading">Submit a job</h2>
      <LogJobForm />
      <CallbackJobForm />
      <EmailJobForm />
    </section>
  );
}
