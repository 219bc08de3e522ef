import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SchemaForm, inputNames } from '../../../src-renderer/views/submit/SchemaForm';
import { draftAt, initialDraft, valueOf, withDraftAt, type Draft } from '../../../src-renderer/views/submit/schema-draft';
import { formOf, type FormField } from '../../../src-renderer/views/submit/schema-fields';

/** A user kind's payload schema with every input the form generates, and three it cannot. */
const SCHEMA = {
  type: 'object',
  required: ['url', 'width', 'format', 'crop'],
  properties: {
    url: { type: 'string', title: 'Image URL', description: 'Where the image is.', format: 'uri' },
    width: { type: 'integer', minimum: 1, default: 640 },
    quality: { type: 'number' },
    sharpen: { type: 'boolean', default: false },
    progressive: { type: 'boolean' },
    format: { enum: ['png', 'jpeg', 'webp'], default: 'png' },
    level: { type: 'integer', enum: [1, 2, 3] },
    tags: { type: 'array', items: { type: 'string' }, default: ['thumb'] },
    sizes: { type: 'array', items: { type: 'integer' } },
    crop: {
      type: 'object',
      required: ['x'],
      properties: { x: { type: 'integer' }, y: { type: ['integer', 'null'] }, anchor: { enum: ['top', 'center'] } },
    },
    meta: { type: 'object', additionalProperties: true },
    choice: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    matrix: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
  },
};

const byName = (form: FormField): Map<string, FormField> =>
  new Map(form.type === 'object' ? form.fields.flatMap((field) => [[field.path.join('.'), field] as const, ...byName(field)]) : []);

const edit = (draft: Draft, edits: Record<string, Draft>): Draft =>
  Object.entries(edits).reduce((next, [name, value]) => withDraftAt(next, name.split('.'), value), draft);

describe('schema fields', () => {
  const form = formOf(SCHEMA);
  const fields = byName(form);

  it('gives each listed type its input, and raw JSON to the rest', () => {
    const types = Object.fromEntries([...fields].map(([name, field]) => [name, field.type]));
    expect(types).toEqual({
      url: 'string',
      width: 'integer',
      quality: 'number',
      sharpen: 'boolean',
      progressive: 'boolean',
      format: 'enum',
      level: 'enum',
      tags: 'array',
      sizes: 'array',
      crop: 'object',
      'crop.x': 'integer',
      'crop.y': 'integer',
      'crop.anchor': 'enum',
      meta: 'json',
      choice: 'json',
      matrix: 'json',
    });
    expect(fields.get('sizes')).toMatchObject({ type: 'array', item: { type: 'integer' } });
    expect(fields.get('level')).toMatchObject({ options: [1, 2, 3] });
  });

  it('takes labels, descriptions, required and defaults from the schema', () => {
    expect(fields.get('url')).toMatchObject({ label: 'Image URL', description: 'Where the image is.', required: true, format: 'uri' });
    expect(fields.get('quality')).toMatchObject({ label: 'quality', required: false });
    expect(fields.get('crop.x')).toMatchObject({ required: true, path: ['crop', 'x'] });
    expect(fields.get('crop.y')?.required).toBe(false);
    expect(fields.get('width')?.default).toBe(640);
    expect(inputNames(form)).toContain('crop.anchor');
  });

  it('is raw JSON as a whole when the payload is not an object of properties', () => {
    expect(formOf({ type: 'array', items: { type: 'string' } }).type).toBe('json');
    expect(formOf({}).type).toBe('json');
    expect(formOf({ type: 'object', properties: { a: { type: 'string' } }, oneOf: [] }).type).toBe('json');
  });
});

describe('schema draft', () => {
  const form = formOf(SCHEMA);

  it('starts from the defaults and sends only them and the required objects', () => {
    const draft = initialDraft(form);
    expect(draftAt(draft, ['width'])).toBe('640');
    expect(draftAt(draft, ['format'])).toBe('0');
    expect(draftAt(draft, ['tags'])).toEqual(['thumb']);
    // crop is required: sent even when empty, so the API names its missing x.
    expect(valueOf(form, draft)).toEqual({ width: 640, sharpen: false, format: 'png', tags: ['thumb'], crop: {} });
  });

  it('makes the payload of every input as typed', () => {
    const draft = edit(initialDraft(form), {
      url: 'https://example.com/a.png',
      quality: '0.8',
      progressive: true,
      level: '2',
      tags: ['thumb', '', 'wide'],
      sizes: ['100', '200'],
      'crop.x': '10',
      'crop.anchor': '1',
      meta: '{"owner": "ops"}',
      choice: '7',
      matrix: '[[1, 2], [3, 4]]',
    });
    expect(valueOf(form, draft)).toEqual({
      url: 'https://example.com/a.png',
      width: 640,
      quality: 0.8,
      sharpen: false,
      progressive: true,
      format: 'png',
      level: 3,
      tags: ['thumb', 'wide'],
      sizes: [100, 200],
      crop: { x: 10, anchor: 'center' },
      meta: { owner: 'ops' },
      choice: 7,
      matrix: [
        [1, 2],
        [3, 4],
      ],
    });
  });

  it('sends what does not read as a number or as JSON as the text typed, for the API to name', () => {
    const draft = edit(initialDraft(form), { width: 'wide', meta: '{not json' });
    expect(valueOf(form, draft)).toMatchObject({ width: 'wide', meta: '{not json' });
  });

  it('leaves out empty optional values and clears an enum back to unset', () => {
    const draft = edit(initialDraft(form), { format: '', url: '', tags: [] });
    expect(valueOf(form, draft)).toEqual({ width: 640, sharpen: false, crop: {} });
  });

  it('starts from a default object, item by item, and from a default of any JSON', () => {
    const withDefaults = formOf({
      type: 'object',
      properties: {
        crop: { type: 'object', default: { x: 3 }, properties: { x: { type: 'integer' }, y: { type: 'integer', default: 4 } } },
        meta: { default: { a: [1] } },
      },
    });
    const draft = initialDraft(withDefaults);
    expect(valueOf(withDefaults, draft)).toEqual({ crop: { x: 3, y: 4 }, meta: { a: [1] } });
  });
});

describe('SchemaForm', () => {
  const form = formOf(SCHEMA);
  const render = (errors: Record<string, string[]> = {}, draft: Draft = initialDraft(form)) =>
    renderToStaticMarkup(<SchemaForm form={form} draft={draft} onChange={() => undefined} errorsOf={(name) => errors[name] ?? []} />);

  it('renders a labelled input per field: text, checkbox, select, lists, fieldsets and JSON', () => {
    const html = render({}, edit(initialDraft(form), { sizes: ['100'] }));
    expect(html).toMatch(/<label for="[^"]+">Image URL<abbr class="required-mark" title="required">\*<\/abbr> <code class="field-name">url<\/code><\/label>/);
    expect(html).toMatch(/aria-required="true"[^>]*inputMode="numeric"[^>]*name="width" value="640"/);
    expect(html).toMatch(/<input id="[^"]+" type="checkbox" name="sharpen"/);
    expect(html).toMatch(/<select [^>]*name="format"[^>]*><option value="">Choose…<\/option><option value="0" selected="">png<\/option>/);
    expect(html).toMatch(/<select [^>]*name="level"[^>]*><option value="" selected="">\(not set\)<\/option><option value="0">1<\/option>/);
    expect(html).toMatch(/<fieldset class="schema-group"[^>]*><legend>crop<abbr[^>]*>\*<\/abbr> <code class="field-name">crop<\/code><\/legend>/);
    expect(html).toContain('name="crop.x"');
    expect(html).toMatch(/Item 1 <code class="field-name">sizes.0<\/code>/);
    expect(html).toContain('aria-label="Remove item 1 of sizes"');
    expect(html).toContain('>Add sizes item</button>');
    expect(html).toMatch(/<textarea [^>]*name="matrix"/);
    expect(html).toContain('A whole number.');
    expect(html).toMatch(/inputMode="url"[^>]*name="url"/);
    expect(html).toContain('Where the image is. Format: uri.');
  });

  it("shows the API's message next to its input, tied to it, and an object's under its legend", () => {
    const html = render({ width: ['width must be >= 1'], crop: ['crop must have required property x'] });
    expect(html).toMatch(/aria-invalid="true" aria-describedby="[^" ]+-error [^" ]+-hint"[^>]*name="width"/);
    expect(html).toMatch(/<p id="[^"]+-error" class="field-error">width must be &gt;= 1<\/p>/);
    expect(html).toMatch(/<\/legend><p id="[^"]+-error" class="field-error">crop must have required property x<\/p>/);
  });
});
