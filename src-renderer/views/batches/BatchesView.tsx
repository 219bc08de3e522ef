import { usePolling } from '../../components/use-polling';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { useConsole } from '../../store/context';
import { BatchForm } from './BatchForm';
import { BatchTree } from './BatchTree';

const REFRESH_MS = 2_000;

/** Batches (fan-out, fan-in): submit one, watch each tree move live, see its callback. */
export function BatchesView() {
  const { status, data, error } = useConsole((state) => state.batches);
  const jobsById = useConsole((state) => state.jobsById);
  const selectedId = useConsole((state) => state.selectedBatchId);
  const loadBatches = useConsole((state) => state.loadBatches);
  // Children move from job events; only batches still settling (their callback) are read again.
  const refreshUnsettled = useConsole((state) => state.refreshUnsettledBatches);
  usePolling(loadBatches, 60_000);
  usePolling(refreshUnsettled, REFRESH_MS);

  return (
    <section className="view batches-view" aria-labelledby="batches-heading">
      <ViewHeader id="batches-heading" title="Batches" description="Several jobs as one request (fan-out); a signed callback once the last one ends (fan-in).">
        <button type="button" className="secondary" onClick={() => void loadBatches()}>
          Refresh batches
        </button>
      </ViewHeader>
      <div className="batches-layout">
        <BatchForm />
        <div className="batches-list">
          <ReadFailed title="Could not read the batches." error={error} />
          {status === 'loaded' && !data?.ids.length && <p className="empty card">No batches yet. Submit one with a preset.</p>}
          {data?.ids.map((id) => data.byId[id] && <BatchTree key={id} batch={data.byId[id]} jobsById={jobsById} selected={id === selectedId} />)}
        </div>
      </div>
    </section>
  );
}
