/**
 * The sandbox's EventBridge (awsJson 1.1, `AWSEvents.*`): buses, rules with event patterns or
 * schedules, targets (Lambda, Step Functions, CloudWatch Logs log groups, other buses), PutEvents, and the in-process publisher
 * S3 and Lambda use to put AWS-originated events on a bus.
 */
import type {
  EventPublisher,
  ExecutionStarter,
  IamDirectory,
  LambdaInvoker,
  LogResourcePolicies,
  LogWriter,
  MetricRecorder,
} from '../contracts.js';
import { enforceAccess, JSON_ACCESS_DENIED } from '../accessControl.js';
import { awsJsonService } from '../protocols/awsJson.js';
import { eventsAccessRequests } from './authorization.js';
import type { SandboxService, ServiceDeps, SettlingChanges } from '../service.js';
import { busOperations } from './busOperations.js';
import { EventRouter } from './delivery.js';
import { EventsModel, ruleKey, type RuleStats } from './model.js';
import { ruleOperations } from './ruleOperations.js';
import { RuleScheduler } from './scheduler.js';

export interface EventBridgeDeps extends ServiceDeps {
  iam: IamDirectory;
  metrics: MetricRecorder;
  lambda: LambdaInvoker;
  stepFunctions: ExecutionStarter;
  /** New rules and targets take a while to take effect (absent: at once). */
  settle?: SettlingChanges;
  /** For log-group targets: where events are written, and the resource policies that allow it. */
  logs: LogWriter;
  logPolicies: LogResourcePolicies;
}

export interface EventBridgeService extends SandboxService {
  publisher: EventPublisher;
  /** Per-rule delivery counters (what `FailedInvocations` etc. add up to), for the CLI to show. */
  ruleStats(region: string, ruleName: string, eventBusName?: string): RuleStats | undefined;
}

export function createEventBridgeService(deps: EventBridgeDeps): EventBridgeService {
  const now = (): number => deps.clock.now();
  const model = new EventsModel(deps.store, now);
  const router = new EventRouter(deps, model);
  const scheduler = new RuleScheduler(deps.clock, model, router, deps.log);
  scheduler.armAll();

  const endpoint = awsJsonService({
    // PutEvents entries total at most 256 KB; JSON escaping can grow them several times.
    maxBodyBytes: 2 * 1024 * 1024,
    signingName: 'events',
    targetPrefix: 'AWSEvents',
    version: '1.1',
    operations: {
      ...ruleOperations({ model, scheduler, router, now, settle: deps.settle }),
      ...busOperations({ model, router, now }),
    },
    authorize: (operation, input, ctx) =>
      enforceAccess(
        deps.iam,
        ctx.wire.principal,
        eventsAccessRequests(operation, input, ctx),
        JSON_ACCESS_DENIED,
      ),
  });

  const publisher: EventPublisher = {
    publish(e) {
      try {
        const bus = model.busName(e.eventBusName);
        if (!model.region(e.region).buses[bus]) {
          deps.log(`events: dropped ${e.source} event for missing bus ${bus}`);
          return;
        }
        const event = router.envelope({
          region: e.region,
          source: e.source,
          detailType: e.detailType,
          detail: e.detail,
          resources: e.resources,
          time: e.time,
        });
        router.route(e.region, bus, event);
      } catch (err) {
        deps.log(`events: publishing ${e.source} event failed: ${(err as Error).message}`);
      }
    },
  };

  return {
    endpoint,
    publisher,
    ruleStats(region, ruleName, eventBusName) {
      return model.region(region).rules[ruleKey(model.busName(eventBusName), ruleName)]?.stats;
    },
    stop() {
      scheduler.stop();
      router.stop();
    },
  };
}
