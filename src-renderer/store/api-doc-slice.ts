import type { ApiDocument, ApiOperation } from '../../src-shared/bridge';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, NOT_LOADED, type Loaded } from './loaded';

export interface ApiDocSlice {
  apiDocument: Loaded<ApiDocument>;
  loadApiDocument(): Promise<void>;
}

/** One operation of the API as the API page lists it. */
export interface ApiEntry {
  method: string;
  path: string;
  summary: string;
  /** `in` and name of each parameter, required ones marked. */
  parameters: ApiParameter[];
  hasBody: boolean;
  /** The document's example body as JSON text, or empty when it offers none. */
  example: string;
  /** The success answer: status and what it carries. */
  success: { status: string; description: string } | null;
  /** Answers with a stream or a protocol switch (SSE, WebSocket): a page request cannot show it. */
  streams: boolean;
}

export interface ApiParameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
}

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

function exampleText(operation: ApiOperation): string {
  const example = operation.requestBody?.content?.['application/json']?.example;
  return example === undefined ? '' : JSON.stringify(example, null, 2);
}

function entryOf(path: string, method: string, operation: ApiOperation): ApiEntry {
  const success = Object.entries(operation.responses ?? {}).find(([status]) => /^[123]\d\d$/.test(status));
  return {
    method: method.toUpperCase(),
    path,
    summary: operation.summary ?? '',
    parameters: (operation.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required === true, description: p.description })),
    hasBody: operation.requestBody !== undefined,
    example: exampleText(operation),
    success: success ? { status: success[0], description: success[1].description ?? '' } : null,
    streams: success !== undefined && (success[0] === '101' || 'text/event-stream' in (success[1].content ?? {})),
  };
}

/** The document's operations grouped by their first tag, in the document's order. */
export function operationsByTag(document: ApiDocument): [string, ApiEntry[]][] {
  const groups = new Map<string, ApiEntry[]>();
  for (const [path, methods] of Object.entries(document.paths)) {
    const sorted = Object.entries(methods).sort(([a], [b]) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
    for (const [method, operation] of sorted) {
      const tag = operation.tags?.[0] ?? 'other';
      groups.set(tag, [...(groups.get(tag) ?? []), entryOf(path, method, operation)]);
    }
  }
  return [...groups];
}

export function createApiDocSlice({ bridge, now }: ConsoleDeps): SliceCreator<ApiDocSlice> {
  return (set, get) => ({
    apiDocument: NOT_LOADED,
    loadApiDocument: async () => void (await load(field(get, set, 'apiDocument'), () => bridge.getApiDocument(), now)),
  });
}
