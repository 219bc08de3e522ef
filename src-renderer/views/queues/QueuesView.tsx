import { ViewHeader } from '../../components/ViewHeader';

/** Per-queue figures are not served yet (GET /api/v1/queues): the view says so and where to look. */
export function QueuesView() {
  return (
    <section className="view" aria-labelledby="queues-heading">
      <ViewHeader id="queues-heading" title="Queues" description="Messages ready and unacked, consumers and rates per queue." />
      <div className="card empty-card">
        <p>Queue figures are not available in this version of the console.</p>
        <p className="muted">
          Meanwhile: the Overview shows jobs per second and the Jobs view filtered by QUEUED shows what waits.
          `rabbitmqctl list_queues name messages_ready messages_unacknowledged consumers` gives the broker's own count.
        </p>
      </div>
    </section>
  );
}
