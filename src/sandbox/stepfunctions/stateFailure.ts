/** A state's failure as the States Language sees it: an error name and a cause. */
export class StateFailure extends Error {
  override readonly name = 'StateFailure';
  constructor(
    readonly error: string,
    readonly causeText: string,
  ) {
    super(`${error}: ${causeText}`);
  }
}
