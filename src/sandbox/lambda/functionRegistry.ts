/**
 * The functions that exist, per region, persisted in `lambda/functions.json`: create, look up (by
 * name, partial or full ARN), update code or configuration, delete. Environments and invocation
 * live elsewhere; `onGenerationChange` tells them when running code became stale.
 */
import { runInBackground, type SandboxLog } from '../background.js';
import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors.js';
import type { IamDirectory } from '../contracts.js';
import type { SandboxClock } from '../clock.js';
import type { StateStore, PersistedDoc } from '../store.js';
import { SANDBOX_ACCOUNT_ID } from '../credentials.js';
import type { CodeStore } from './codeStore.js';
import { checkRoleAssumable, readConfigMembers, readTags, readZipFile } from './functionInput.js';
import { FunctionTransitions } from './functionTransitions.js';
import { defaultLoggingConfig, readLoggingConfig } from './loggingConfig.js';
import {
  LATEST,
  functionArn,
  functionNotFound,
  loggingOf,
  parseFunctionRef,
  type ConfigurationView,
  type FunctionRecord,
} from './model.js';
import { dictionary } from '../dictionary.js';

interface FunctionsDoc {
  functions: Record<string, FunctionRecord>;
}

export function functionKey(region: string, name: string): string {
  return `${region}/${name}`;
}

export class FunctionRegistry {
  private readonly doc: PersistedDoc<FunctionsDoc>;

  constructor(
    store: StateStore,
    private readonly code: CodeStore,
    private readonly iam: IamDirectory,
    private readonly clock: SandboxClock,
    private readonly onGenerationChange: (fn: FunctionRecord) => void,
    private readonly log: SandboxLog = () => undefined,
    private readonly transitions = new FunctionTransitions(),
  ) {
    this.doc = store.doc<FunctionsDoc>('lambda/functions.json', () => ({ functions: dictionary() }));
    this.doc.data.functions = dictionary(this.doc.data.functions);
    for (const fn of Object.values(this.doc.data.functions)) {
      fn.tags = dictionary(fn.tags);
      fn.environment = dictionary(fn.environment);
    }
    for (const fn of Object.values(this.doc.data.functions)) code.ensureExtracted(fn.codeBlob, fn.codeDir);
  }

  /** Find a function by name/ARN; only `$LATEST` (or no qualifier) exists. */
  get(region: string, nameOrArn: string, qualifier?: string): FunctionRecord {
    const ref = parseFunctionRef(nameOrArn);
    const q = qualifier ?? ref.qualifier;
    const r = ref.region ?? region;
    const fn = this.doc.data.functions[functionKey(r, ref.name)];
    const arn = functionArn({ region: r, accountId: ref.accountId ?? SANDBOX_ACCOUNT_ID, name: ref.name }, q);
    if (!fn || (ref.accountId && ref.accountId !== fn.accountId)) throw functionNotFound(arn);
    if (q !== undefined && q !== LATEST) throw functionNotFound(arn);
    return fn;
  }

  /** Find by the ARN TagResource/ListTags take. */
  getByArn(arn: string): FunctionRecord {
    if (!arn.startsWith('arn:')) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '${arn}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:[a-zA-Z0-9-_]+|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`,
        400,
      );
    }
    const ref = parseFunctionRef(arn, 'resource');
    return this.get(ref.region ?? 'us-east-1', arn);
  }

  list(region: string): FunctionRecord[] {
    return Object.values(this.doc.data.functions)
      .filter((f) => f.region === region)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  all(): FunctionRecord[] {
    return Object.values(this.doc.data.functions);
  }

  create(region: string, input: Record<string, unknown>): FunctionRecord {
    if (typeof input.FunctionName !== 'string') {
      throw new AwsError(
        'ValidationException',
        "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null",
        400,
      );
    }
    const ref = parseFunctionRef(input.FunctionName);
    if (ref.name.length > 64) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '${ref.name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
        400,
      );
    }
    if (input.PackageType === 'Image') {
      throw new AwsError(
        'InvalidParameterValueException',
        'The course sandbox supports PackageType Zip only.',
        400,
      );
    }
    const members = readConfigMembers(input, true);
    const tags = readTags(input.Tags);
    const zip = readZipFile(input.Code);
    const name = ref.name;
    const logging = readLoggingConfig(input.LoggingConfig, defaultLoggingConfig(name));
    const r = ref.region ?? region;
    if (this.doc.data.functions[functionKey(r, name)]) {
      throw new AwsError('ResourceConflictException', `Function already exist: ${name}`, 409);
    }
    checkRoleAssumable(this.iam, members.role!);
    const revisionId = randomUUID();
    const stored = this.code.save(r, name, revisionId, zip);
    const fn: FunctionRecord = {
      name,
      region: r,
      accountId: SANDBOX_ACCOUNT_ID,
      runtime: members.runtime!,
      role: members.role!,
      handler: members.handler!,
      description: members.description ?? '',
      timeout: members.timeout ?? 3,
      memorySize: members.memorySize ?? 128,
      ephemeralStorage: members.ephemeralStorage ?? 512,
      architectures: members.architectures ?? ['x86_64'],
      environment: members.environment ?? dictionary(),
      tags,
      ...stored,
      revisionId,
      generation: 1,
      lastModified: this.clock.now(),
      policy: [],
      logGroup: logging.logGroup,
      loggingConfig: logging,
    };
    this.doc.data.functions[functionKey(r, name)] = fn;
    this.doc.changed();
    this.transitions.created(functionKey(r, name));
    return fn;
  }

  /** State and LastUpdateStatus now (Pending just after creation, InProgress just after an update). */
  view(fn: FunctionRecord): ConfigurationView {
    return this.transitions.view(functionKey(fn.region, fn.name));
  }

  /** What an invocation runs now; ResourceConflictException while the function is Pending. */
  forInvoke(fn: FunctionRecord): FunctionRecord {
    return this.transitions.forInvoke(functionKey(fn.region, fn.name), fn);
  }

  updateConfiguration(region: string, nameOrArn: string, input: Record<string, unknown>): FunctionRecord {
    const fn = this.get(region, nameOrArn);
    this.checkRevision(fn, input.RevisionId);
    const m = readConfigMembers(input, false);
    const logging = readLoggingConfig(input.LoggingConfig, loggingOf(fn));
    this.transitions.assertUpdatable(functionKey(fn.region, fn.name), fn);
    if (m.role !== undefined && m.role !== fn.role) checkRoleAssumable(this.iam, m.role);
    const previous = structuredClone(fn);
    if (m.runtime !== undefined) fn.runtime = m.runtime;
    if (m.role !== undefined) fn.role = m.role;
    if (m.handler !== undefined) fn.handler = m.handler;
    if (m.description !== undefined) fn.description = m.description;
    if (m.timeout !== undefined) fn.timeout = m.timeout;
    if (m.memorySize !== undefined) fn.memorySize = m.memorySize;
    if (m.ephemeralStorage !== undefined) fn.ephemeralStorage = m.ephemeralStorage;
    if (m.environment !== undefined) fn.environment = m.environment;
    fn.loggingConfig = logging;
    fn.logGroup = logging.logGroup;
    this.bump(fn);
    this.transitions.updated(functionKey(fn.region, fn.name), previous);
    return fn;
  }

  updateCode(region: string, nameOrArn: string, input: Record<string, unknown>): FunctionRecord {
    const fn = this.get(region, nameOrArn);
    this.checkRevision(fn, input.RevisionId);
    const zip = readZipFile({ ZipFile: input.ZipFile, S3Bucket: input.S3Bucket, ImageUri: input.ImageUri });
    this.transitions.assertUpdatable(functionKey(fn.region, fn.name), fn);
    if (input.DryRun === true) return fn;
    const previous = structuredClone(fn);
    const old = { blob: fn.codeBlob, dir: fn.codeDir };
    const revisionId = randomUUID();
    Object.assign(fn, this.code.save(fn.region, fn.name, revisionId, zip));
    this.bump(fn, revisionId);
    this.transitions.updated(functionKey(fn.region, fn.name), previous);
    // Busy environments of the old code may still be running (until their timeout at most).
    const removeOld = (): void =>
      runInBackground('lambda: removing old code', () => this.code.remove(old.blob, old.dir), this.log);
    setTimeout(removeOld, (fn.timeout + 5) * 1000).unref();
    return fn;
  }

  delete(region: string, nameOrArn: string): FunctionRecord {
    const fn = this.get(region, nameOrArn);
    delete this.doc.data.functions[functionKey(fn.region, fn.name)];
    this.doc.changed();
    this.transitions.forget(functionKey(fn.region, fn.name));
    return fn;
  }

  /** Record a change that does not affect running code (policy, tags, event invoke config). */
  touch(fn: FunctionRecord, newRevision = true): void {
    if (newRevision) fn.revisionId = randomUUID();
    this.doc.changed();
  }

  checkRevision(fn: FunctionRecord, revisionId: unknown): void {
    if (typeof revisionId === 'string' && revisionId !== fn.revisionId) {
      throw new AwsError(
        'PreconditionFailedException',
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
        412,
      );
    }
  }

  private bump(fn: FunctionRecord, revisionId = randomUUID()): void {
    fn.revisionId = revisionId;
    fn.generation += 1;
    fn.lastModified = this.clock.now();
    this.doc.changed();
    this.onGenerationChange(fn);
  }
}
