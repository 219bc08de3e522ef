import { describe, expect, it } from 'vitest';
import { errorsFor, otherErrors } from '../../../src-renderer/views/submit/problem-fields';

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

  it('finds the errors of a field with or without the payload prefix, and the others', () => {
    expect(errorsFor(problem, 'client_time')).toEqual(['client_time is bad', 'client_time is small']);
    expect(otherErrors(problem, ['client_time'])).toEqual([problem.errors[2]]);
    expect(errorsFor(null, 'client_time')).toEqual([]);
  });

  it('names a field in the form without the payload. prefix, while the API field keeps it', () => {
    const raw = { ...problem, errors: [{ field: 'payload.to', rule: 'format', message: 'payload.to must be an email address' }] };
    expect(otherErrors(raw, ['client_time'])).toEqual([{ field: 'payload.to', rule: 'format', message: 'to must be an email address' }]);
    expect(errorsFor(raw, 'to')).toEqual(['to must be an email address']);
  });
});
