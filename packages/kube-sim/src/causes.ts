// Builders of the causes a 422 Invalid lists, in the API server's wording.
import type { StatusCause } from './errors.ts';

export function invalidValue(field: string, value: unknown, msg: string): StatusCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${msg}` };
}

export function required(field: string): StatusCause {
  return { reason: 'FieldValueRequired', field, message: 'Required value' };
}

export function forbiddenField(field: string, msg: string): StatusCause {
  return { reason: 'FieldValueForbidden', field, message: `Forbidden: ${msg}` };
}
