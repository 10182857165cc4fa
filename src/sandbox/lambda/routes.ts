/**
 * Lambda's REST API: each operation's method and path, and the mapping between wire members
 * (labels, query, headers, JSON) and the registry / invoke service. No wire format knowledge beyond
 * what restJson1 binds lives here; no function logic either.
 */
import { AwsError } from '../errors.js';
import type { RestRequest, RestRoute } from '../protocols/restJson.js';
import type { FunctionRegistry } from './functionRegistry.js';
import type { InvokeService } from './invoke.js';
import { eventInvokeConfigOutput, noEventInvokeConfig, readEventInvokeConfig } from './eventInvokeConfig.js';
import { readTags } from './functionInput.js';
import {
  functionArn,
  toConfiguration,
  toListedConfiguration,
  type ConfigurationView,
  type FunctionRecord,
} from './model.js';
import { addStatement, buildStatement, policyDocument, removeStatement } from './resourcePolicy.js';
import { Validator } from '../validate.js';
import { dictionary } from '../dictionary.js';

export interface RouteDeps {
  registry: FunctionRegistry;
  invoker: InvokeService;
  now(): number;
  /** DeleteFunction: stop environments and remove code. */
  onDelete(fn: FunctionRecord): Promise<void>;
}

const F = '/2015-03-31/functions';

function getFunctionOutput(
  fn: FunctionRecord,
  view: ConfigurationView,
  endpoint: string,
): Record<string, unknown> {
  return {
    Configuration: toConfiguration(fn, view),
    Code: {
      RepositoryType: 'S3',
      // The sandbox keeps the zip in its state directory; this address names it but is not served.
      Location: `${endpoint}/2015-03-31/functions/${encodeURIComponent(fn.name)}/code-package?revision=${fn.revisionId}`,
    },
    Tags: Object.keys(fn.tags).length > 0 ? { ...fn.tags } : undefined,
  };
}

function qualifierOf(req: RestRequest): string | undefined {
  return req.query.get('Qualifier') ?? undefined;
}

function header(req: RestRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function listFunctions(deps: RouteDeps, req: RestRequest): Record<string, unknown> {
  const rawMax = req.query.get('MaxItems');
  const v = new Validator({ MaxItems: rawMax === null ? undefined : Number(rawMax) });
  const max = v.number('MaxItems', { min: 1, max: 10000 }) ?? 50;
  v.check();
  const all = deps.registry.list(req.ctx.region);
  const marker = req.query.get('Marker');
  let start = 0;
  if (marker) {
    const after = Buffer.from(marker, 'base64url').toString('utf8');
    start = all.findIndex((f) => f.name > after);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + max);
  const more = start + max < all.length;
  return {
    Functions: page.map((f) => toListedConfiguration(f)),
    NextMarker: more ? Buffer.from(page[page.length - 1]!.name).toString('base64url') : undefined,
  };
}

export function lambdaRoutes(deps: RouteDeps): RestRoute[] {
  const { registry } = deps;
  const fnOf = (req: RestRequest): FunctionRecord =>
    registry.get(req.ctx.region, req.labels.FunctionName!, qualifierOf(req));

  return [
    {
      operation: 'CreateFunction',
      method: 'POST',
      path: F,
      status: 201,
      handle: (req) => ({
        json: toConfiguration(registry.create(req.ctx.region, req.json()), { state: 'Pending' }),
      }),
    },
    {
      operation: 'ListFunctions',
      method: 'GET',
      path: F,
      handle: (req) => ({ json: listFunctions(deps, req) }),
    },
    {
      operation: 'GetFunction',
      method: 'GET',
      path: `${F}/{FunctionName}`,
      handle: (req) => {
        const fn = fnOf(req);
        return { json: getFunctionOutput(fn, registry.view(fn), req.ctx.endpoint) };
      },
    },
    {
      operation: 'DeleteFunction',
      method: 'DELETE',
      path: `${F}/{FunctionName}`,
      status: 204,
      handle: async (req) => {
        const fn = registry.delete(req.ctx.region, req.labels.FunctionName!);
        await deps.onDelete(fn);
        return {};
      },
    },
    {
      operation: 'GetFunctionConfiguration',
      method: 'GET',
      path: `${F}/{FunctionName}/configuration`,
      handle: (req) => {
        const fn = fnOf(req);
        return { json: toConfiguration(fn, registry.view(fn)) };
      },
    },
    {
      operation: 'UpdateFunctionConfiguration',
      method: 'PUT',
      path: `${F}/{FunctionName}/configuration`,
      handle: (req) => ({
        json: toConfiguration(
          registry.updateConfiguration(req.ctx.region, req.labels.FunctionName!, req.json()),
          {
            lastUpdateStatus: 'InProgress',
          },
        ),
      }),
    },
    {
      operation: 'UpdateFunctionCode',
      method: 'PUT',
      path: `${F}/{FunctionName}/code`,
      handle: (req) => ({
        json: toConfiguration(registry.updateCode(req.ctx.region, req.labels.FunctionName!, req.json()), {
          lastUpdateStatus: 'InProgress',
        }),
      }),
    },
    {
      operation: 'Invoke',
      method: 'POST',
      path: `${F}/{FunctionName}/invocations`,
      handle: async (req) => {
        const type = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
        const logType = header(req, 'x-amz-log-type') ?? 'None';
        const v = new Validator({ InvocationType: type, LogType: logType });
        v.string('InvocationType', { enum: ['Event', 'RequestResponse', 'DryRun'] });
        v.string('LogType', { enum: ['None', 'Tail'] });
        v.check();
        const rawContext = header(req, 'x-amz-client-context');
        let clientContext: unknown;
        if (rawContext) {
          try {
            clientContext = JSON.parse(Buffer.from(rawContext, 'base64').toString('utf8'));
          } catch {
            throw new AwsError(
              'InvalidRequestContentException',
              'Client context must be a valid Base64-encoded JSON object.',
              400,
            );
          }
        }
        const r = await deps.invoker.invoke({
          region: req.ctx.region,
          functionName: req.labels.FunctionName!,
          qualifier: qualifierOf(req),
          payload: req.body,
          invocationType: type as 'Event' | 'RequestResponse' | 'DryRun',
          logType: logType as 'None' | 'Tail',
          requestId: req.ctx.requestId,
          clientContext,
        });
        const headers: Record<string, string> = { 'x-amz-executed-version': r.executedVersion };
        if (r.functionError) headers['x-amz-function-error'] = r.functionError;
        if (r.logResult) headers['x-amz-log-result'] = r.logResult;
        return { status: r.statusCode, headers, raw: r.payload };
      },
    },
    {
      operation: 'AddPermission',
      method: 'POST',
      path: `${F}/{FunctionName}/policy`,
      status: 201,
      handle: (req) => {
        const fn = fnOf(req);
        const input = req.json();
        registry.checkRevision(fn, input.RevisionId);
        const statement = buildStatement(input, functionArn(fn));
        addStatement(fn.policy, statement);
        registry.touch(fn);
        return { json: { Statement: JSON.stringify(statement) } };
      },
    },
    {
      operation: 'GetPolicy',
      method: 'GET',
      path: `${F}/{FunctionName}/policy`,
      handle: (req) => {
        const fn = fnOf(req);
        if (fn.policy.length === 0) {
          throw new AwsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
        }
        return { json: { Policy: policyDocument(fn.policy), RevisionId: fn.revisionId } };
      },
    },
    {
      operation: 'RemovePermission',
      method: 'DELETE',
      path: `${F}/{FunctionName}/policy/{StatementId}`,
      status: 204,
      handle: (req) => {
        const fn = fnOf(req);
        registry.checkRevision(fn, req.query.get('RevisionId') ?? undefined);
        if (fn.policy.length === 0) {
          throw new AwsError(
            'ResourceNotFoundException',
            'No policy is associated with the given resource.',
            404,
          );
        }
        removeStatement(fn.policy, req.labels.StatementId!);
        registry.touch(fn);
        return {};
      },
    },
    {
      operation: 'ListTags',
      method: 'GET',
      path: '/2017-03-31/tags/{Resource}',
      handle: (req) => ({ json: { Tags: { ...registry.getByArn(req.labels.Resource!).tags } } }),
    },
    {
      operation: 'TagResource',
      method: 'POST',
      path: '/2017-03-31/tags/{Resource}',
      status: 204,
      handle: (req) => {
        const fn = registry.getByArn(req.labels.Resource!);
        const tags = readTags(req.json().Tags);
        const merged = dictionary({ ...fn.tags, ...tags });
        readTags(merged);
        fn.tags = merged;
        registry.touch(fn, false);
        return {};
      },
    },
    {
      operation: 'UntagResource',
      method: 'DELETE',
      path: '/2017-03-31/tags/{Resource}',
      status: 204,
      handle: (req) => {
        const fn = registry.getByArn(req.labels.Resource!);
        for (const k of req.query.getAll('tagKeys')) delete fn.tags[k];
        registry.touch(fn, false);
        return {};
      },
    },
    ...eventInvokeConfigRoutes(deps, fnOf),
    {
      operation: 'GetAccountSettings',
      method: 'GET',
      path: '/2016-08-19/account-settings',
      handle: (req) => {
        const fns = registry.list(req.ctx.region);
        return {
          json: {
            AccountLimit: {
              TotalCodeSize: 80_530_636_800,
              CodeSizeUnzipped: 262_144_000,
              CodeSizeZipped: 52_428_800,
              ConcurrentExecutions: 1000,
              UnreservedConcurrentExecutions: 1000,
            },
            AccountUsage: {
              TotalCodeSize: fns.reduce((n, f) => n + f.codeSize, 0),
              FunctionCount: fns.length,
            },
          },
        };
      },
    },
  ];
}

function eventInvokeConfigRoutes(deps: RouteDeps, fnOf: (req: RestRequest) => FunctionRecord): RestRoute[] {
  const path = '/2019-09-25/functions/{FunctionName}/event-invoke-config';
  const save = (req: RestRequest, merge: boolean) => {
    const fn = fnOf(req);
    fn.eventInvokeConfig = readEventInvokeConfig(
      req.json(),
      deps.now(),
      merge ? fn.eventInvokeConfig : undefined,
    );
    deps.registry.touch(fn, false);
    return { json: eventInvokeConfigOutput(fn, fn.eventInvokeConfig) };
  };
  return [
    { operation: 'PutFunctionEventInvokeConfig', method: 'PUT', path, handle: (req) => save(req, false) },
    {
      operation: 'UpdateFunctionEventInvokeConfig',
      method: 'POST',
      path,
      handle: (req) => {
        if (!fnOf(req).eventInvokeConfig) throw noEventInvokeConfig(fnOf(req));
        return save(req, true);
      },
    },
    {
      operation: 'GetFunctionEventInvokeConfig',
      method: 'GET',
      path,
      handle: (req) => {
        const fn = fnOf(req);
        if (!fn.eventInvokeConfig) throw noEventInvokeConfig(fn);
        return { json: eventInvokeConfigOutput(fn, fn.eventInvokeConfig) };
      },
    },
    {
      operation: 'DeleteFunctionEventInvokeConfig',
      method: 'DELETE',
      path,
      status: 204,
      handle: (req) => {
        const fn = fnOf(req);
        if (!fn.eventInvokeConfig) throw noEventInvokeConfig(fn);
        fn.eventInvokeConfig = undefined;
        deps.registry.touch(fn, false);
        return {};
      },
    },
  ];
}
