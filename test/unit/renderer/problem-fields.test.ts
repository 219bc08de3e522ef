import { describe, expect, it } from 'vitest';
import { errorsFor, placeErrors } from '../../../src-renderer/views/submit/problem-fields';

describe('problem fields', () => {
  const problem = {
    type: 'about:blank',
    title: 'Invalid',
    status: 400,
    detail: '',
    errors: [
      { field: 'payload.client_time', rule: 'format', message: 'payload.client_time is bad' },
      { field: 'client_time', rule: 'min', message: 'client_time is small' },
      { field: 'kind', rule: 'enum', message: 'kind is unknown' },
    ],
  };

  it('finds the errors of a field with or without the payload prefix', () => {
    expect(errorsFor(problem, 'client_time')).toEqual(['client_time is bad', 'client_time is small']);
    expect(errorsFor(null, 'client_time')).toEqual([]);
  });

  it('names a field in the form without the payload. prefix, while the API field keeps it', () => {
    const raw = { ...problem, errors: [{ field: 'payload.to', rule: 'format', message: 'payload.to must be an email address' }] };
    expect(placeErrors(raw, ['client_time']).others).toEqual([{ field: 'payload.to', rule: 'format', message: 'to must be an email address' }]);
    expect(errorsFor(raw, 'to')).toEqual(['to must be an email address']);
  });

  it('places an error at its input or the closest parent input, and leaves the rest to the summary', () => {
    const nested = {
      ...problem,
      errors: [
        { field: 'payload.size.width', rule: 'minimum', message: 'payload.size.width must be >= 1' },
        { field: 'payload.size.depth', rule: 'additionalProperties', message: 'payload.size.depth is not a known field' },
        { field: 'payload.tags.1', rule: 'maxLength', message: 'payload.tags.1 must NOT have more than 8 characters' },
        { field: 'payload', rule: 'type', message: 'payload must be object' },
        { field: 'copies', rule: 'range', message: 'copies must be a whole number' },
      ],
    };
    const placed = placeErrors(nested, ['size', 'size.width', 'tags']);
    expect(placed.errorsOf('size.width')).toEqual(['size.width must be >= 1']);
    expect(placed.errorsOf('size')).toEqual(['size.depth is not a known field']);
    expect(placed.errorsOf('tags')).toEqual(['tags.1 must NOT have more than 8 characters']);
    expect(placed.others.map((error) => error.field)).toEqual(['payload', 'copies']);
    // The raw editor ('' is the payload itself) shows the payload's own errors only.
    expect(placeErrors(nested, ['']).errorsOf('')).toEqual(['payload must be object']);
  });
});
