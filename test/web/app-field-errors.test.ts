import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../web/app/src/api/field-errors.js';

/** What the web app's forms show of a refusal: each field's issue beside its control. */
describe('the web app’s refusals', () => {
  const refusal = {
    error: {
      code: 'VALIDATION_ERROR',
      message: 'The request is invalid',
      request_id: 'req_1',
      fields: [
        { field: 'holidays.0.date', issue: 'must be a date YYYY-MM-DD' },
        { field: 'configuration.notifications.owner_email', issue: 'must be an e-mail address' },
      ],
    },
  };

  it('keys each refused field by its path, without the configuration prefix', () => {
    expect(fieldErrors(refusal)).toEqual({
      'holidays.0.date': 'must be a date YYYY-MM-DD',
      'notifications.owner_email': 'must be an e-mail address',
    });
  });

  it('has no field errors for an answer that is not the envelope or names no field', () => {
    expect(fieldErrors(new Error('offline'))).toEqual({});
    expect(fieldErrors({ error: { code: 'FORBIDDEN', message: 'No', request_id: 'req_2' } })).toEqual({});
  });
});
