/**
 * Errors a sandbox service raises. Services throw `AwsError`; the protocol layer turns it into the
 * wire shape of its protocol (JSON `__type`, XML `<Error>`, …). Services never build error bodies.
 */
export class AwsError extends Error {
  override readonly name = 'AwsError';
  constructor(
    /** AWS error code, e.g. `NoSuchBucket`, `ResourceNotFoundException`. */
    readonly code: string,
    message: string,
    /** HTTP status AWS uses for this error. */
    readonly statusCode = 400,
    /** Extra members some errors carry (e.g. S3's `BucketName`, `Key`). */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }

  /** Sender (client) fault for 4xx, Receiver (server) for 5xx, as awsQuery reports it. */
  get fault(): 'Sender' | 'Receiver' {
    return this.statusCode >= 500 ? 'Receiver' : 'Sender';
  }
}

/** Convenience constructors for the errors every protocol needs. */
export const CommonErrors = {
  validation: (message: string) => new AwsError('ValidationException', message, 400),
  serialization: (message: string) => new AwsError('SerializationException', message, 400),
  unknownOperation: (message: string) => new AwsError('UnknownOperationException', message, 400),
  internal: (message = 'We encountered an internal error. Please try again.') =>
    new AwsError('InternalFailure', message, 500),
};

/** Raised when a persisted state file cannot be read; names the file so a person can inspect it. */
export class CorruptStateError extends Error {
  override readonly name = 'CorruptStateError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `Sandbox state file ${file} is corrupt (${reason}). Move it aside or run "course-cli sandbox reset".`,
    );
  }
}

/**
 * Raised when a name would place a file outside the state directory. Names are validated by AWS's
 * rules before they reach a path, so this is a last line of defence (an internal error, logged).
 */
export class StatePathEscapeError extends Error {
  override readonly name = 'StatePathEscapeError';
  constructor(
    readonly stateDir: string,
    readonly relativePath: string,
  ) {
    super(`Refused a path outside the sandbox state directory ${stateDir}: ${JSON.stringify(relativePath)}`);
  }
}

/** Raised when a second sandbox is started on a state directory that already has a running one. */
export class SandboxAlreadyRunningError extends Error {
  override readonly name = 'SandboxAlreadyRunningError';
  constructor(
    readonly stateDir: string,
    readonly pid: number,
    readonly endpoint: string,
  ) {
    super(`A sandbox is already running for ${stateDir} (pid ${pid}) at ${endpoint}.`);
  }
}

/** Raised when the requested port cannot be bound. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly port: number) {
    super(
      `Port ${port} on 127.0.0.1 is already in use; choose another with --port or stop what is using it.`,
    );
  }
}
