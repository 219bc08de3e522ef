import type { WebhookRecord } from '../../../src-shared/console-records';
import { HeadersTable, RecordList } from '../../components/RecordList';
import { Time } from '../../components/Time';
import { usePolling } from '../../components/use-polling';
import { Notice, ViewHeader } from '../../components/ViewHeader';
import { useConsole } from '../../store/context';

const REFRESH_MS = 5_000;

/** The body as readable text: JSON pretty-printed, base64 bodies said to be bytes. */
function bodyText(record: WebhookRecord): string {
  if (record.body.startsWith('base64:')) return `(binary body, base64)\n${record.body.slice('base64:'.length)}`;
  try {
    return JSON.stringify(JSON.parse(record.body), null, 2);
  } catch {
    return record.body;
  }
}

function Request({ record }: { record: WebhookRecord }) {
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
      </dl>
      <h4>Body</h4>
      <pre className="json" role="region" aria-label="Webhook body" tabIndex={0}>
        {bodyText(record) || '(empty)'}
      </pre>
      <h4>Headers</h4>
      <HeadersTable label="Webhook headers" headers={record.headers} />
    </article>
  );
}

/** What the webhook inbox received (kind B's callbacks and anything POSTed to it), newest first. */
export function WebhooksView() {
  const webhooks = useConsole((state) => state.webhooks);
  const loadWebhooks = useConsole((state) => state.loadWebhooks);
  const selectWebhook = useConsole((state) => state.selectWebhook);
  usePolling(loadWebhooks, REFRESH_MS);
  const selected = webhooks.items.find((item) => item.id === webhooks.selectedId) ?? webhooks.items[0];
  return (
    <section className="view records-view" aria-labelledby="webhooks-heading">
      <ViewHeader id="webhooks-heading" title="Webhooks" description="Requests the webhook inbox received (POST /api/v1/inbox/…), newest first.">
        <button type="button" className="secondary" onClick={() => void loadWebhooks()}>
          Refresh webhooks
        </button>
      </ViewHeader>
      {webhooks.error && (
        <Notice title="Could not read the webhook inbox.">
          <p>{webhooks.error} It is retried every 5 seconds.</p>
        </Notice>
      )}
      <div className="records-layout">
        <RecordList
          label="Received webhooks"
          items={webhooks.items}
          selectedId={selected?.id ?? null}
          onSelect={selectWebhook}
          empty={webhooks.status === 'loaded' ? 'No webhook yet. Submit a callback job (kind B); its POST appears here.' : 'Loading webhooks…'}
          render={(item) => (
            <>
              <span className="record-title">
                <code>
                  {item.method} {item.path}
                </code>
              </span>
              <span className="record-meta">
                {item.content_type ?? 'no content type'} · <Time iso={item.received_at} />
              </span>
            </>
          )}
        />
        {selected && <Request record={selected} />}
      </div>
    </section>
  );
}
