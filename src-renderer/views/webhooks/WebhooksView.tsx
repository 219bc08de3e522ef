import type { WebhookRecord, WebhookSummary } from '../../../src-shared/console-records';
import { EntityFacts } from '../../components/EntityLink';
import { HeadersTable, RecordBody, RecordList } from '../../components/RecordList';
import { Time } from '../../components/Time';
import { usePolling } from '../../components/use-polling';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { formatBytes } from '../../format';
import { useConsole } from '../../store/context';
import { entitiesOfWebhook } from '../../store/record-links';
import { shownId, type RecordDetail } from '../../store/records-slice';

const REFRESH_MS = 5_000;
const GONE = 'the inbox keeps the newest requests within its quota and its retention.';

/** The body as readable text: JSON pretty-printed, base64 bodies said to be bytes. */
export function bodyText(record: WebhookRecord): string {
  if (record.body.startsWith('base64:')) return `(binary body, base64)\n${record.body.slice('base64:'.length)}`;
  try {
    return JSON.stringify(JSON.parse(record.body), null, 2);
  } catch {
    return record.body;
  }
}

/** The body and headers, read through the bridge one request at a time. */
function RequestBody({ record }: { record: WebhookRecord }) {
  return (
    <>
      <h4>Body</h4>
      <pre className="json" role="region" aria-label="Webhook body" tabIndex={0}>
        {bodyText(record) || '(empty)'}
      </pre>
      <h4>Headers</h4>
      <HeadersTable label="Webhook headers" headers={record.headers} />
    </>
  );
}

function Request({ record, detail }: { record: WebhookSummary; detail: RecordDetail<WebhookRecord> | null }) {
  const shown = detail?.id === record.id ? detail : null;
  return (
    <article className="card record-detail" aria-labelledby="webhook-title">
      <h3 id="webhook-title">
        <code>
          {record.method} {record.path}
        </code>
      </h3>
      <dl className="facts">
        <dt>Received</dt>
        <dd>
          <Time iso={record.received_at} milliseconds />
        </dd>
        <dt>Content type</dt>
        <dd>{record.content_type ?? '—'}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(record.size)}</dd>
        {shown?.data && <EntityFacts entities={entitiesOfWebhook(shown.data)} />}
      </dl>
      <RecordBody detail={shown} what="request" gone={GONE}>
        {(whole) => <RequestBody record={whole} />}
      </RecordBody>
    </article>
  );
}

/** What the webhook inbox received (kind B's callbacks and anything POSTed to it), newest first. */
export function WebhooksView() {
  const webhooks = useConsole((state) => state.webhooks);
  const loadWebhooks = useConsole((state) => state.loadWebhooks);
  const selectWebhook = useConsole((state) => state.selectWebhook);
  usePolling(loadWebhooks, REFRESH_MS);
  const items = webhooks.data ?? [];
  const selected = items.find((item) => item.id === shownId(webhooks));
  return (
    <section className="view records-view" aria-labelledby="webhooks-heading">
      <ViewHeader id="webhooks-heading" title="Webhooks" description="Requests the webhook inbox received (POST /api/v1/inbox/…), newest first.">
        <button type="button" className="secondary" onClick={() => void loadWebhooks()}>
          Refresh webhooks
        </button>
      </ViewHeader>
      <ReadFailed title="Could not read the webhook inbox." error={webhooks.error} next="It is retried every 5 seconds." />
      <div className="records-layout">
        <RecordList
          label="Received webhooks"
          items={items}
          selectedId={selected?.id ?? null}
          onSelect={(id) => void selectWebhook(id)}
          empty={webhooks.status === 'loaded' ? 'No webhook yet. Submit a callback job (kind B); its POST appears here.' : 'Loading webhooks…'}
          render={(item) => (
            <>
              <span className="record-title" title={`${item.method} ${item.path}`}>
                <code>
                  {item.method} {item.path}
                </code>
              </span>
              <span className="record-meta">
                {item.content_type ?? 'no content type'} · {formatBytes(item.size)} · <Time iso={item.received_at} />
              </span>
              {item.preview && (
                <span className="record-preview" title={item.preview}>
                  {item.preview}
                </span>
              )}
            </>
          )}
        />
        {selected && <Request record={selected} detail={webhooks.detail} />}
      </div>
    </section>
  );
}
