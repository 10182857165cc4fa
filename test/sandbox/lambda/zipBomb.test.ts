/**
 * Zip bombs: a package whose declared unzipped size passes Lambda's 250 MB limit is refused before
 * anything is inflated, and one that lies about its sizes is stopped while inflating.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { errorOf } from '../../helpers/awsErrors.js';
import { createRole } from './fixtures.js';

/** Rewrite the uncompressed size of every entry, in local headers and the central directory. */
function declareSize(zip: Uint8Array, size: number): Uint8Array {
  const out = Uint8Array.from(zip);
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, size, true);
    else if (sig === 0x02014b50) view.setUint32(i + 24, size, true);
  }
  return out;
}

describe('zip bombs', () => {
  let t: TestSandbox;
  let role: string;
  beforeAll(async () => {
    t = await startTestSandbox();
    role = await createRole(t, 'bomb-role');
  });
  afterAll(() => t.stop());

  const create = (name: string, zip: Uint8Array) =>
    new LambdaClient(t.clientConfig).send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Role: role,
        Handler: 'index.handler',
        Code: { ZipFile: zip },
      }),
    );

  it('refuses a package declaring more than 250 MB unzipped, with Lambda’s error', async () => {
    const small = zipSync({
      'index.mjs': strToU8('export const handler = async () => 1;'),
      'pad.bin': new Uint8Array(1000),
    });
    expect(await errorOf(create('declared-bomb', declareSize(small, 200_000_000)))).toEqual({
      name: 'InvalidParameterValueException',
      message: 'Unzipped size must be smaller than 262144000 bytes',
      status: 400,
    });
  });

  it('stops inflating an entry that grows past the size it declared', async () => {
    // 8 MB of zeros compress to a few kilobytes; the package claims 100 bytes per entry.
    const liar = declareSize(zipSync({ 'index.mjs': new Uint8Array(8 * 1024 * 1024) }, { level: 9 }), 100);
    expect(liar.length).toBeLessThan(64 * 1024);
    expect(await errorOf(create('lying-bomb', liar))).toEqual({
      name: 'InvalidParameterValueException',
      message: 'Could not unzip uploaded file. Please check your file, then try to upload again.',
      status: 400,
    });
  });
});
