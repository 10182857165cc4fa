import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyCredentialFailure, connectTarget } from '../../src/cloud/target.js';
import {
  CredentialsError,
  InvalidTargetError,
  NoCredentialsError,
  TargetUnreachableError,
} from '../../src/cloud/errors.js';
import { followingClock } from '../../src/cloud/clock.js';
import { consoleUrl } from '../../src/cloud/deployment.js';
import { readLiveLock, startSandbox } from '../../src/sandbox/index.js';

const err = (name: string, message: string, extra: object = {}) =>
  Object.assign(new Error(message), { name, ...extra });

describe('credential failures become one actionable line', () => {
  it.each([
    [
      err('CredentialsProviderError', 'Could not load credentials from any providers'),
      undefined,
      NoCredentialsError,
      /aws configure/,
    ],
    [
      err('CredentialsProviderError', 'Could not load credentials from any providers'),
      'dev',
      NoCredentialsError,
      /--profile dev/,
    ],
    [
      err(
        'CredentialsProviderError',
        'The SSO session associated with this profile has expired or is otherwise invalid.',
      ),
      'dev',
      CredentialsError,
      /aws sso login --profile dev/,
    ],
    [
      err('ExpiredToken', 'The security token included in the request is expired'),
      undefined,
      CredentialsError,
      /expired/,
    ],
    [
      err('InvalidClientTokenId', 'The security token included in the request is invalid.'),
      'p',
      CredentialsError,
      /aws sts get-caller-identity --profile p/,
    ],
    [
      err('Error', 'connect ECONNREFUSED 127.0.0.1:4566', { code: 'ECONNREFUSED' }),
      undefined,
      TargetUnreachableError,
      /ECONNREFUSED/,
    ],
  ])('%o (profile %s)', (e, profile, cls, re) => {
    const out = classifyCredentialFailure(e, profile, 'http://localhost:4566');
    expect(out).toBeInstanceOf(cls);
    expect(out.message).toMatch(re);
    expect(out.message).not.toContain('\n');
  });
});

describe('connectTarget argument checks', () => {
  it('rejects a bad endpoint URL and a bad time-scale with named errors', async () => {
    await expect(
      connectTarget({ kind: 'endpoint', endpoint: 'localhost' }, { home: '/nonexistent' }),
    ).rejects.toThrow(InvalidTargetError);
    await expect(connectTarget({ kind: 'sandbox', timeScale: 0 }, { home: '/nonexistent' })).rejects.toThrow(
      /time-scale/,
    );
  });

  it('reports an endpoint with nothing listening as unreachable', async () => {
    const e = await connectTarget(
      { kind: 'endpoint', endpoint: 'http://127.0.0.1:9' },
      { home: '/nonexistent' },
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TargetUnreachableError);
  });
});

describe('clocks', () => {
  it('follows a sandbox clock from its anchor at its time-scale', async () => {
    const realNow = Date.now();
    const clock = followingClock({ sandboxMs: realNow + 3_600_000, realMs: realNow }, 60);
    expect(clock.now()).toBeGreaterThanOrEqual(realNow + 3_600_000);
    expect(clock.now()).toBeLessThan(realNow + 3_600_000 + 60 * 5_000);
    expect(clock.toRealMs(60_000)).toBe(1000);
    const ac = new AbortController();
    const sleeping = clock.sleep(3_600_000, ac.signal); // one real minute
    ac.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });
});

describe('console links (AWS only)', () => {
  it('builds a link per kind, none off AWS', () => {
    const aws = { region: 'us-east-1', consoleBase: 'https://us-east-1.console.aws.amazon.com' };
    expect(consoleUrl(aws, 'log-group', '/aws/lambda/f')).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Ff',
    );
    expect(consoleUrl(aws, 'lambda-function', 'f')).toBe(
      'https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/f',
    );
    expect(consoleUrl(aws, 's3-bucket', 'b')).toBe(
      'https://s3.console.aws.amazon.com/s3/buckets/b?region=us-east-1',
    );
    expect(consoleUrl({ region: 'us-east-1' }, 'lambda-function', 'f')).toBeUndefined();
  });
});

describe('lazy loading', () => {
  it('the public module reaches no AWS SDK or sandbox code through static imports', () => {
    const root = path.resolve(__dirname, '../../src/cloud');
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = fs.readFileSync(file, 'utf8');
      // static, value-level imports and re-exports (type-only ones vanish at build time)
      const re = /^(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
      for (const m of text.matchAll(re)) {
        const spec = m[1];
        if (spec.startsWith('@aws-sdk/') || spec.includes('sandbox'))
          offenders.push(`${path.basename(file)} → ${spec}`);
        if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    };
    visit(path.join(root, 'index.ts'));
    expect(seen.size).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });
});

describe('aws target without usable credentials (real SDK credential chain, no network)', () => {
  const saved = { ...process.env };
  const isolate = () => {
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env.AWS_CONFIG_FILE = '/nonexistent/config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  };
  const restore = () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  };

  it('says to run aws configure when the chain finds nothing', async () => {
    isolate();
    try {
      const e = await connectTarget({ kind: 'aws' }, { home: '/nonexistent' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(NoCredentialsError);
      expect((e as Error).message).toMatch(/aws configure/);
    } finally {
      restore();
    }
  });

  it('names a profile that does not exist', async () => {
    isolate();
    try {
      const e = await connectTarget({ kind: 'aws', profile: 'nope' }, { home: '/nonexistent' }).catch(
        (x: unknown) => x,
      );
      // Either "no credentials for profile" or "profile not found": both name it and say what to do.
      expect(e instanceof NoCredentialsError || e instanceof CredentialsError).toBe(true);
      expect((e as Error).message).toMatch(/profile "nope".*aws configure --profile nope/);
    } finally {
      restore();
    }
  });
});

describe('sandbox target with a server already running for the home', () => {
  it('uses its endpoint and follows its clock (time-scale and anchor from its lock)', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-lock-'));
    const stateDir = path.join(home, 'sandbox');
    // A sandbox whose clock runs a day ahead (as after earlier runs at a fast time-scale).
    fs.mkdirSync(stateDir);
    fs.writeFileSync(path.join(stateDir, 'clock.json'), JSON.stringify({ lastNow: Date.now() + 86_400_000 }));
    const sb = await startSandbox({ stateDir, timeScale: 60 });
    try {
      const t = await connectTarget({ kind: 'sandbox', timeScale: 10 }, { home });
      try {
        expect(t.info).toMatchObject({ id: 'sandbox', endpoint: sb.endpoint, accountId: '000000000000' });
        expect(t.clock.timeScale).toBe(60);
        expect(Math.abs(t.clock.now() - sb.clock.now())).toBeLessThan(60 * 50);
        expect(t.warnings.join(' ')).toMatch(/uses time-scale 60; --time-scale 10 applies only/);
      } finally {
        await t.close();
      }
      // close() did not stop (or unlock) a sandbox it did not start
      expect(readLiveLock(stateDir)?.endpoint).toBe(sb.endpoint);
    } finally {
      await sb.stop();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
