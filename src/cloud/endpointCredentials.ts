/**
 * Which credentials an `--endpoint URL` target signs with, and whether it may be sent any.
 *
 * A signed request carries the access key id and a signature anyone can replay within minutes, so
 * the learner's real credentials go only where the learner said they may:
 * - a loopback endpoint (localhost, 127.0.0.0/8, ::1) is an emulator on this machine, such as
 *   LocalStack: it gets LocalStack's conventional test credentials (test/test), unless --profile
 *   names credentials to use;
 * - any other endpoint is somewhere else: nothing is sent until the learner confirms
 *   (`TargetSpec.remoteConfirmed`); it then gets the --profile or default-chain credentials (or the
 *   test credentials when none are configured).
 * Names that merely resolve to 127.0.0.1 through DNS (localhost.localstack.cloud) count as remote:
 * DNS answers can change, a literal address cannot.
 */
import type { StaticCredentials } from './clients.js';
import type { TargetSpec } from './types.js';

/** LocalStack's documented default credentials; emulators accept any key. */
export const EMULATOR_TEST_CREDENTIALS: StaticCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export function isLoopbackEndpoint(url: URL): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((n) => Number(n) <= 255);
}

export type EndpointCredentials =
  | { source: 'test'; credentials: StaticCredentials; reason: 'loopback' | 'none configured' }
  | { source: 'profile'; profile: string }
  | { source: 'chain'; accessKeyId: string };

/** The credentials an endpoint target signs with (looks at the local chain; contacts nothing). */
export async function chooseEndpointCredentials(
  spec: TargetSpec,
  url: URL,
  region: string,
): Promise<EndpointCredentials> {
  if (spec.profile) return { source: 'profile', profile: spec.profile };
  if (isLoopbackEndpoint(url)) {
    return { source: 'test', credentials: EMULATOR_TEST_CREDENTIALS, reason: 'loopback' };
  }
  const { chainCredentials } = await import('./clients.js');
  const found = await chainCredentials(undefined, region);
  return found
    ? { source: 'chain', accessKeyId: found.accessKeyId }
    : { source: 'test', credentials: EMULATOR_TEST_CREDENTIALS, reason: 'none configured' };
}

/** An access key id as shown to the learner: enough to recognise it, not the whole of it. */
function maskedKeyId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id;
}

/** The chosen credentials in a few words, for the question before a remote endpoint is used. */
export function describeEndpointCredentials(c: EndpointCredentials): string {
  switch (c.source) {
    case 'profile':
      return `your AWS credentials from profile "${c.profile}"`;
    case 'chain':
      return `your AWS credentials (access key ${maskedKeyId(c.accessKeyId)})`;
    case 'test':
      return c.reason === 'loopback'
        ? 'the test credentials local emulators accept (test/test)'
        : 'the test credentials local emulators accept (test/test; no AWS credentials are configured here)';
  }
}
