import { useEffect, useMemo, useState } from 'react';
import type { ApiDocument } from '../../../src-shared/bridge';
import { InlineCode } from '../../components/InlineCode';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { operationsByTag, type ApiEntry } from '../../store/api-doc-slice';
import { useConsole } from '../../store/context';
import { ApiTry } from './ApiTry';

/** Every status the document gives an operation an answer for (`200`, `503`, `4XX`, `5XX`). */
function answerStatuses(document: ApiDocument, entry: ApiEntry): string[] {
  return Object.keys(document.paths[entry.path]?.[entry.method.toLowerCase()]?.responses ?? {});
}

function Operation({ entry, statuses, open, onToggle }: { entry: ApiEntry; statuses: string[]; open: boolean; onToggle: () => void }) {
  const name = `${entry.method} ${entry.path}`;
  return (
    <li className="api-operation">
      <span className={`http-method method-${entry.method.toLowerCase()}`}>{entry.method}</span>
      <code className="api-path">{entry.path}</code>
      <span className="api-summary">
        <InlineCode text={entry.summary} />
      </span>
      <span className="api-details muted small">
        {entry.parameters.length > 0 && (
          <>
            {entry.parameters.map((p) => `${p.name}${p.required ? '' : '?'} (${p.in})`).join(', ')}
            {' · '}
          </>
        )}
        {entry.hasBody && 'JSON body · '}
        {entry.success && (
          <>
            {entry.success.status}: <InlineCode text={entry.success.description} />
          </>
        )}
        {statuses.length > 0 && ` · answers ${statuses.join(', ')}`}
      </span>
      <span className="api-try-toggle">
        {entry.streams ? (
          <span className="muted small" title="A stream or a WebSocket: use curl or an EventSource">
            stream
          </span>
        ) : (
          <button type="button" className="secondary" aria-expanded={open} aria-label={`Try ${name}`} onClick={onToggle}>
            {open ? 'Close' : 'Try'}
          </button>
        )}
      </span>
      {open && <ApiTry entry={entry} />}
    </li>
  );
}

/**
 * Saves the document the view shows (read through the bridge, with the page's token) as
 * `openapi.json`: a link to the route would open without the token, a 401 beyond loopback.
 */
function saveDocument(document: ApiDocument): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(document, null, 2)}\n`], { type: 'application/json' }));
  const link = Object.assign(window.document.createElement('a'), { href: url, download: 'openapi.json' });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The HTTP API, read from its OpenAPI document: every operation, grouped by tag. */
export function ApiView() {
  const { data: document, error } = useConsole((state) => state.apiDocument);
  const load = useConsole((state) => state.loadApiDocument);
  useEffect(() => {
    void load();
  }, [load]);
  const groups = useMemo(() => (document ? operationsByTag(document) : []), [document]);
  const [tried, setTried] = useState<string | null>(null);
  return (
    <section className="view api-view" aria-labelledby="api-heading">
      <ViewHeader id="api-heading" title="API" description={<InlineCode text={document?.info.description ?? 'Every route of the HTTP API, from `GET /api/v1/openapi.json`.'} />}>
        <button type="button" className="secondary" disabled={!document} title="Save GET /api/v1/openapi.json as openapi.json" onClick={() => document && saveDocument(document)}>
          OpenAPI document
        </button>
      </ViewHeader>
      <ReadFailed title="Could not read the API document." error={error} />
      {document && (
        <p className="muted small">
          {document.info.title} · version {document.info.version} · OpenAPI {document.openapi}. Errors are application/problem+json.
        </p>
      )}
      {groups.map(([tag, entries]) => (
        <section key={tag} className="card api-group" aria-labelledby={`api-tag-${tag}`}>
          <h3 id={`api-tag-${tag}`}>{tag}</h3>
          <ul className="api-operations">
            {entries.map((entry) => (
              <Operation
                key={`${entry.method} ${entry.path}`}
                entry={entry}
                statuses={document ? answerStatuses(document, entry) : []}
                open={tried === `${entry.method} ${entry.path}`}
                onToggle={() => setTried(tried === `${entry.method} ${entry.path}` ? null : `${entry.method} ${entry.path}`)}
              />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
