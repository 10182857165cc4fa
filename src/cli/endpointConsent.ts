/**
 * `--endpoint URL` pointing somewhere other than this machine: requests to it would be signed with
 * the learner's AWS credentials (their key id travels with every signature). So the CLI says so and
 * asks; without a terminal it refuses unless --yes was given. Loopback endpoints (LocalStack on
 * localhost) need no question: they get the emulator test credentials (see endpointCredentials.ts).
 */
import type { TargetSpec } from '../cloud/types.js';
import type { CourseIO } from '../course/io/types.js';
import { UsageError } from './errors.js';
import { isInteractiveTerminal } from './terminal.js';

/**
 * The spec to connect with (marked confirmed for a remote endpoint), or undefined when the learner
 * said no. Throws UsageError when nobody can be asked and --yes is missing.
 */
export async function confirmRemoteEndpoint(
  spec: TargetSpec,
  yes: boolean | undefined,
  io?: CourseIO,
): Promise<TargetSpec | undefined> {
  if (spec.kind !== 'endpoint' || spec.remoteConfirmed || !spec.endpoint) return spec;
  const { chooseEndpointCredentials, describeEndpointCredentials, isLoopbackEndpoint } =
    await import('../cloud/endpointCredentials.js');
  const url = new URL(spec.endpoint);
  if (isLoopbackEndpoint(url)) return spec;
  const credentials = describeEndpointCredentials(
    await chooseEndpointCredentials(spec, url, spec.region ?? 'us-east-1'),
  );
  const saying = `${url.origin} is not on this machine: course-cli will send it requests signed with ${credentials}.`;
  if (yes) {
    if (io) io.note(saying);
    else process.stderr.write(`! ${saying}\n`);
    return { ...spec, remoteConfirmed: true };
  }
  if (!isInteractiveTerminal()) {
    throw new UsageError(`${saying.replace(/\.$/, '')}; add --yes to confirm (there is no terminal to ask).`);
  }
  let ok: boolean;
  if (io) {
    io.note(saying);
    ok = await io.confirm(`Send requests to ${url.origin}?`, false);
  } else {
    process.stderr.write(`! ${saying}\n`);
    const { confirm } = await import('@inquirer/prompts');
    ok = await confirm({ message: `Send requests to ${url.origin}?`, default: false });
  }
  return ok ? { ...spec, remoteConfirmed: true } : undefined;
}
