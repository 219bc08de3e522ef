import type { MailRecord, MailSummary } from '../../../src-shared/console-records';
import { EntityFacts } from '../../components/EntityLink';
import { HeadersTable, RecordBody, RecordList } from '../../components/RecordList';
import { Time } from '../../components/Time';
import { usePolling } from '../../components/use-polling';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { formatBytes } from '../../format';
import { useConsole } from '../../store/context';
import { jobIdOfMail } from '../../store/record-links';
import { shownId, type RecordDetail } from '../../store/records-slice';
import type { Entity } from '../../store/route';
import { mailFrameDocument } from './mail-frame';

const REFRESH_MS = 5_000;
const GONE = 'the mailbox keeps the newest messages within its quota and its retention.';

/** The bodies and headers, read through the bridge one message at a time. */
function MessageBody({ mail }: { mail: MailRecord }) {
  return (
    <>
      {mail.html_body !== null && (
        <>
          <h4>HTML (no scripts, no remote content)</h4>
          <iframe className="mail-frame" title="HTML body of the message" sandbox="" srcDoc={mailFrameDocument(mail.html_body)} />
        </>
      )}
      {mail.text_body !== null && (
        <>
          <h4>Text</h4>
          <pre className="json" role="region" aria-label="Text body of the message" tabIndex={0}>
            {mail.text_body}
          </pre>
        </>
      )}
      {mail.html_body === null && mail.text_body === null && <p className="muted">(no body)</p>}
      <details>
        <summary>Headers</summary>
        <HeadersTable label="Mail headers" headers={mail.headers} />
      </details>
    </>
  );
}

/** The job that sent the message, as the facts list links it. */
function jobOfMail(mail: MailSummary, whole: MailRecord | null): Entity[] {
  const id = jobIdOfMail(whole ?? mail);
  return id ? [{ kind: 'job', id }] : [];
}

function Message({ mail, detail }: { mail: MailSummary; detail: RecordDetail<MailRecord> | null }) {
  return (
    <article className="card record-detail" aria-labelledby="mail-subject">
      <h3 id="mail-subject">{mail.subject ?? '(no subject)'}</h3>
      <dl className="facts">
        <dt>From</dt>
        <dd>{mail.envelope_from ?? '—'}</dd>
        <dt>To</dt>
        <dd>{mail.envelope_to.join(', ')}</dd>
        <dt>Received</dt>
        <dd>
          <Time iso={mail.received_at} milliseconds />
        </dd>
        <dt>Size</dt>
        <dd>{formatBytes(mail.size)}</dd>
        <EntityFacts entities={jobOfMail(mail, detail?.id === mail.id ? detail.data : null)} />
      </dl>
      <RecordBody detail={detail?.id === mail.id ? detail : null} what="message" gone={GONE}>
        {(record) => <MessageBody mail={record} />}
      </RecordBody>
    </article>
  );
}

/** What the embedded mail sink received (kind C's effect), newest first. */
export function MailView() {
  const mail = useConsole((state) => state.mail);
  const loadMail = useConsole((state) => state.loadMail);
  const selectMail = useConsole((state) => state.selectMail);
  usePolling(loadMail, REFRESH_MS);
  const items = mail.data ?? [];
  const selected = items.find((item) => item.id === shownId(mail));
  return (
    <section className="view records-view" aria-labelledby="mail-heading">
      <ViewHeader id="mail-heading" title="Mail" description="Messages the embedded mail sink received from email jobs, newest first.">
        <button type="button" className="secondary" onClick={() => void loadMail()}>
          Refresh mail
        </button>
      </ViewHeader>
      <ReadFailed title="Could not read the mailbox." error={mail.error} next="It is retried every 5 seconds." />
      <div className="records-layout">
        <RecordList
          label="Received mail"
          items={items}
          selectedId={selected?.id ?? null}
          onSelect={(id) => void selectMail(id)}
          empty={mail.status === 'loaded' ? 'No mail yet. Submit an email job (kind C); its message appears here.' : 'Loading mail…'}
          render={(item) => (
            <>
              <span className="record-title" title={item.subject ?? undefined}>
                {item.subject ?? '(no subject)'}
              </span>
              <span className="record-meta">
                {item.envelope_to.join(', ')} · {formatBytes(item.size)} · <Time iso={item.received_at} />
              </span>
              {item.preview && (
                <span className="record-preview" title={item.preview}>
                  {item.preview}
                </span>
              )}
            </>
          )}
        />
        {selected && <Message mail={selected} detail={mail.detail} />}
      </div>
    </section>
  );
}
