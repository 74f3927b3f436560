/**
 * Errors thrown by descent: {@link DescentError}, its stable codes and the one function that
 * builds value errors. Defined in bindings/errors.ts, below both layers (bindings/ throws them
 * too); src/ imports them from here, and the public API exports them from here unchanged.
 */
export { DescentError, describe, invalid, sizedBy } from '../bindings/errors.ts';
export type { DescentErrorCode, DescentErrorDetails } from '../bindings/errors.ts';
