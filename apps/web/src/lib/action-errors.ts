import { errorMessage, isUncloudError } from './errors.ts';

/**
 * Why the API refused to start an action, in words. CONFLICT means another action on the same
 * resource is still running (or the resource is in a state that forbids this one): say so plainly,
 * since the fix is to wait rather than to change the input.
 */
export const actionRefusalText = (error: unknown) =>
  isUncloudError(error, 'CONFLICT') ? `Not started: ${errorMessage(error)}` : errorMessage(error);

/**
 * For dialogs that show `error.message`: a CONFLICT about no particular field becomes an error
 * with the refusal text; one about a field (a name in use) stays as it is, to land on that field.
 */
export const asActionRefusal = (error: unknown) =>
  isUncloudError(error, 'CONFLICT') && !error.field
    ? Object.assign(new Error(actionRefusalText(error)), { cause: error })
    : error;
