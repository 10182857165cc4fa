/** Test helpers for calls that must fail: the error the SDK raised, or a summary of what AWS sent. */

/**
 * The error `p` rejected with (typed as the caller expects). With `ofType`, any other error is
 * rethrown, so a network or programming error is not mistaken for the service's answer.
 */
export async function thrownBy<E = unknown>(
  p: Promise<unknown>,
  ofType?: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await p;
  } catch (err) {
    if (ofType && !(err instanceof ofType)) throw err;
    return err as E;
  }
  throw new Error('expected the call to fail');
}

export interface AwsErrorSummary {
  name: string;
  message: string;
  status?: number;
}

/** The error code, message and HTTP status of a failed SDK call. */
export async function errorOf(p: Promise<unknown>): Promise<AwsErrorSummary> {
  const e = await thrownBy<{ name: string; message: string; $metadata?: { httpStatusCode?: number } }>(p);
  return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
}
