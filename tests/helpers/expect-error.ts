/** Assertions that a call fails with a specific BulwarkError code (and message). */
import { expect } from 'vitest';
import { BulwarkError, type ErrorCode } from '../../shared/errors';

function check(caught: unknown, code: ErrorCode, message?: RegExp): BulwarkError {
  expect(caught, `expected ${code}`).toBeInstanceOf(BulwarkError);
  const err = caught as BulwarkError;
  expect(err.code, err.message).toBe(code);
  if (message) expect(err.message).toMatch(message);
  return err;
}

export function expectCode(fn: () => unknown, code: ErrorCode, message?: RegExp): BulwarkError {
  try {
    fn();
  } catch (e) {
    return check(e, code, message);
  }
  return check(undefined, code, message);
}

/** For a promise, or a function returning one. */
export async function expectRejects(p: Promise<unknown> | (() => Promise<unknown>), code: ErrorCode, message?: RegExp): Promise<BulwarkError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return check(e, code, message);
  }
  return check(undefined, code, message);
}
