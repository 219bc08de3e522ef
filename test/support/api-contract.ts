import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The parts of the OpenAPI document an answer is checked against. */
interface MediaType {
  schema?: object;
  /** Server-Sent Events: the schema of each event's `data`, by event name. */
  'x-sse-events'?: Record<string, object>;
}
type Responses = Record<string, { content?: Record<string, MediaType>; 'x-ws-messages'?: object }>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Responses }>>;
  components: { schemas: Record<string, object> };
}

/** One answer, checked: which operation of the document it answered, with which status. */
export interface CheckedAnswer {
  operation: string;
  status: number;
  body: unknown;
}

/**
 * Keywords of JSON Schema after draft-07: the document keeps to draft-07's, so that tools which
 * know only draft-07 read it too (the validator here, Ajv's draft 2020-12 one, knows both).
 */
export const KEYWORDS_AFTER_DRAFT_07 = ['prefixItems', 'unevaluatedProperties', 'unevaluatedItems', 'dependentRequired', 'dependentSchemas', '$dynamicRef'];

const DOCUMENT_ID = 'jobdeck-openapi';

/**
 * Checks real answers against the OpenAPI document: each must be documented for its operation
 * and status (an exact status, else its range such as `4XX`), carry the documented content type,
 * and its body must match the documented schema.
 */
export class ApiContract {
  // Not strict: an OpenAPI document carries keywords of its own (`components`).
  private readonly ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
  private readonly templates: { method: string; path: string; pattern: RegExp }[];
  /** Operation (`GET /api/v1/jobs/{id}`) → statuses seen and checked. */
  readonly answered = new Map<string, Set<number>>();

  constructor(private readonly document: OpenApiDocument) {
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
    this.templates = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method, path, pattern: templatePattern(path) })),
    );
  }

  /** Every documented operation, as `GET /api/v1/jobs/{id}`. */
  operations(): string[] {
    return this.templates.map(({ method, path }) => `${method.toUpperCase()} ${path}`);
  }

  /** Sends a request to `baseUrl` and checks its answer; throws, naming what differs, when it drifts. */
  async call(baseUrl: string, method: string, url: string, init: RequestInit = {}): Promise<CheckedAnswer> {
    const response = await fetch(`${baseUrl}${url}`, { ...init, method });
    const type = response.headers.get('content-type') ?? '';
    const body = type.startsWith('text/event-stream') ? (await response.body?.cancel(), undefined) : await readBody(response);
    return this.check(method, url, response.status, type, body);
  }

  /** Checks one answer already received. */
  check(method: string, url: string, status: number, contentType: string, body: unknown): CheckedAnswer {
    const { operation, responses } = this.documented(method, url);
    const documented = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
    if (!documented) throw new Error(`${operation} answered ${status}, which the document does not list (${Object.keys(responses).join(', ')})`);
    const content = documented.content ?? {};
    const mediaType = Object.keys(content).find((type) => contentType.startsWith(type));
    if (Object.keys(content).length === 0 && body !== undefined) throw new Error(`${operation} ${status}: documented without a body, answered ${JSON.stringify(body)}`);
    if (Object.keys(content).length > 0 && !mediaType) throw new Error(`${operation} ${status}: answered ${contentType}, documented ${Object.keys(content).join(', ')}`);
    const schema = mediaType ? content[mediaType]!.schema : undefined;
    if (schema && mediaType === 'application/x-ndjson') for (const line of (body as unknown[] | undefined) ?? []) this.validate(`${operation} ${status}`, schema, line);
    else if (schema && mediaType !== 'text/event-stream') this.validate(`${operation} ${status}`, schema, body);
    this.answered.set(operation, (this.answered.get(operation) ?? new Set()).add(status));
    return { operation, status, body };
  }

  /** Checks one message of a stream: a Server-Sent Event's `data` by the event's name, or (no name) a WebSocket message. */
  checkMessage(method: string, url: string, data: unknown, sseEvent?: string): void {
    const { operation, responses } = this.documented(method, url);
    const schema =
      sseEvent === undefined ? responses['101']?.['x-ws-messages'] : responses['200']?.content?.['text/event-stream']?.['x-sse-events']?.[sseEvent];
    if (!schema) throw new Error(`${operation}: the document gives no schema for ${sseEvent === undefined ? 'its messages' : `the event ${sseEvent}`}`);
    this.validate(`${operation} ${sseEvent ?? 'message'}`, schema, data);
  }

  private documented(method: string, url: string): { operation: string; responses: Responses } {
    const path = url.split('?')[0]!;
    const template = this.templates.find((t) => t.method === method.toLowerCase() && t.pattern.test(path));
    if (!template) throw new Error(`${method} ${path} is not in the document`);
    return { operation: `${method.toUpperCase()} ${template.path}`, responses: this.document.paths[template.path]![template.method]!.responses };
  }

  private validate(what: string, schema: object, body: unknown): void {
    // The document's refs are `#/components/schemas/<name>`: resolved inside the added document.
    const ref = (schema as { $ref?: string }).$ref;
    const valid = this.ajv.validate(ref ? { $ref: `${DOCUMENT_ID}${ref}` } : schema, body);
    if (!valid) {
      const errors = (this.ajv.errors ?? []).map((e) => `body${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('; ');
      throw new Error(`${what} drifted from its schema: ${errors}\n${JSON.stringify(body).slice(0, 2000)}`);
    }
  }
}

/** `/api/v1/jobs/{id}` matches one segment per parameter; the inbox's trailing `{path}` matches the rest. */
function templatePattern(path: string): RegExp {
  const source = path
    .replace(/[.+?^$()|[\]\\]/g, '\\$&')
    .replace(/\{path\}$/, '.+')
    .replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${source}$`);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  const type = response.headers.get('content-type') ?? '';
  // JSON lines: checked line by line against the schema of one.
  if (type.startsWith('application/x-ndjson')) return text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
  return /json/.test(type) ? JSON.parse(text) : text;
}
