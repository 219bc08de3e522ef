import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { InlineCode } from '../../../src-renderer/components/InlineCode';
import type { ApiEntry } from '../../../src-renderer/store/api-doc-slice';
import { missingParameters, requestPath, sendTry } from '../../../src-renderer/views/api/try-request';

const entry: ApiEntry = {
  method: 'POST',
  path: '/api/v1/inbox/{path}',
  summary: '',
  parameters: [
    { name: 'path', in: 'path', required: true },
    { name: 'limit', in: 'query', required: false },
    { name: 'Idempotency-Key', in: 'header', required: false },
  ],
  hasBody: true,
  example: '',
  success: null,
  streams: false,
};

describe('inline code of the API document', () => {
  it('renders backticked spans as code, escapes the rest, and keeps an unpaired backtick as text', () => {
    expect(renderToStaticMarkup(<InlineCode text="answers `202` with <b>the job</b>" />)).toBe('answers <code>202</code> with &lt;b&gt;the job&lt;/b&gt;');
    expect(renderToStaticMarkup(<InlineCode text="a `b` c ` d" />)).toBe('a <code>b</code> c ` d');
  });
});

describe('a tried request', () => {
  it('fills the path and query, keeps slashes of a wildcard, and names what is missing', () => {
    expect(missingParameters(entry, {})).toEqual(['path (path)']);
    expect(requestPath(entry, { 'path:path': 'a b/c', 'query:limit': ' 5 ' })).toBe('/api/v1/inbox/a%20b/c?limit=5');
  });

  it('sends headers and a JSON body, and shows the answer pretty with the headers that matter', async () => {
    const fetcher = vi.fn(async () => new Response('{"id":"x"}', { status: 201, headers: { 'content-type': 'application/json', 'x-other': '1' } }));
    const answer = await sendTry(entry, { 'path:path': 'hooks', 'header:Idempotency-Key': 'k1' }, '{"a":1}', fetcher);
    expect(fetcher).toHaveBeenCalledWith('/api/v1/inbox/hooks', expect.objectContaining({ method: 'POST', body: '{"a":1}', headers: expect.objectContaining({ 'Idempotency-Key': 'k1', 'content-type': 'application/json' }) }));
    expect(answer).toMatchObject({ status: 201, headers: { 'content-type': 'application/json' }, body: '{\n  "id": "x"\n}' });
  });
});
