/**
 * Issue 12's proof tables, one row per demo (keyed by demo id). The tests in this folder read them
 * and know nothing else of any demo: a demo is proven by adding its row here.
 *
 * Least privilege: for each IAM policy the demo's roles carry, the one permission the demo's
 * narration names for it. The run is made with that permission removed
 * (`COURSE_TEST_DROP_ACTIONS=<role part>:<action>`, src/cloud/testHooks.ts) and must fail at the
 * step that needs it, with AccessDenied in what the CLI shows, then leave nothing after teardown.
 * The rows must cover every inline policy of every role the demo's setup creates (the crash-safety
 * test checks it against the sandbox after its unkilled setup), so a new policy without a row fails.
 *
 * Crash safety needs nothing per demo: its boundaries are counted from the demo's own ledger.
 *
 * How to add a demo (say demo2): for each of its roles (the `part` it passes to `resources.role`)
 * and each inline policy, one `leastPrivilege` entry — the action the narration names (quote the
 * words in `narration`, they are checked against the demo's narration), the id of the step that
 * needs it (`failsAt`), and the label of the read-back check that sees the narrowed policy, if a
 * setup step has one — then add the demo id to `PROVEN_DEMOS`.
 */

export interface LeastPrivilegeRow {
  /** The role's name part, as the demo passes it to `resources.role` (`hourly-aggregate-role`). */
  role: string;
  /** The inline policy of that role this row proves. */
  policy: string;
  /** The permission removed: the one the narration names for this policy. */
  action: string;
  /** Where the demo's narration names it: step id and words its WHY/WHAT/HOW contain. */
  narration: Array<{ step: string; says: string }>;
  /** The id of the step that needs the permission: the first step that fails, with AccessDenied. */
  failsAt: string;
  /** The step itself fails there (its action, not only a check), so the run ends at it. */
  stopsThere?: boolean;
  /** What the CLI must show at that step besides the refusal (e.g. the action and the resource). */
  shows: string[];
  /**
   * How the refusal shows, when the target reports no AccessDenied to any caller (default
   * `AccessDenied`): EventBridge's refused StartExecution shows only as the rule's FailedInvocations.
   */
  refusalShowsAs?: string;
  /**
   * The setup checks that read the policy back and see it narrowed (each label, or how it starts).
   * Several when the removed action was the policy's only one: the policy goes (an empty one is
   * no policy IAM accepts), so "exactly one inline policy" fails too.
   */
  readBackCheck?: string | string[];
}

export interface DemoProofRow {
  demo: string;
  leastPrivilege: LeastPrivilegeRow[];
}

export const PROOF_TABLE: Record<string, DemoProofRow> = {
  demo1: {
    demo: 'demo1',
    leastPrivilege: [
      {
        role: 'hourly-aggregate-role',
        policy: 'hourly-aggregate-least-privilege',
        action: 's3:PutObject',
        narration: [
          { step: 'create-role', says: 'read and write curated/' },
          { step: 'wait-for-schedule', says: 'the function writes the summary' },
        ],
        failsAt: 'wait-for-schedule',
        stopsThere: true,
        shows: ['not authorized to perform: s3:PutObject', '/curated/orders_hourly/'],
        readBackCheck: 'the policy holds exactly the four scoped statements',
      },
    ],
  },
  demo2: {
    demo: 'demo2',
    leastPrivilege: [
      {
        role: 'pipeline-functions-role',
        policy: 'pipeline-functions-least-privilege',
        action: 's3:PutObject',
        narration: [{ step: 'create-function-role', says: 'write and read raw/, write curated/' }],
        failsAt: 'drop-and-watch',
        shows: ['Transform: attempt 1 failed — AccessDenied'],
        readBackCheck: 'the policy holds exactly the scoped statements',
      },
      {
        role: 'pipeline-states-role',
        policy: 'invoke-pipeline-and-deliver-logs',
        action: 'lambda:InvokeFunction',
        narration: [
          { step: 'create-state-machine-role', says: 'lambda:InvokeFunction on these three functions only' },
        ],
        failsAt: 'drop-and-watch',
        shows: [
          'Validate: attempt 1 failed',
          'not authorized to perform: lambda:InvokeFunction',
          'AccessDeniedException',
        ],
        readBackCheck: 'the policy holds exactly the scoped statements',
      },
      {
        role: 'on-arrival-events-role',
        policy: 'start-this-pipeline-only',
        action: 'states:StartExecution',
        narration: [
          { step: 'create-events-role', says: "states:StartExecution on this state machine's ARN only" },
        ],
        failsAt: 'drop-and-watch',
        stopsThere: true,
        refusalShowsAs: 'FailedInvocations',
        shows: [
          'no execution started for incoming/',
          'AWS/Events FailedInvocations for rule',
          'refused or failed the StartExecution call',
        ],
        readBackCheck: ['exactly one inline policy', 'the policy holds exactly the scoped statements'],
      },
    ],
  },
  demo3: {
    demo: 'demo3',
    leastPrivilege: [
      {
        role: 'process-partition-role',
        policy: 'process-partition-least-privilege',
        action: 's3:PutObject',
        narration: [{ step: 'create-function-roles', says: 'may read raw/ and write curated/' }],
        failsAt: 'event-runs',
        shows: [
          'ProcessArrival: attempt 1 failed — AccessDenied',
          'not authorized to perform: s3:PutObject',
          '/curated/orders_hourly/',
        ],
        readBackCheck: 'process-partition-role: the policy holds exactly the scoped statements',
      },
      {
        role: 'check-completeness-role',
        policy: 'check-completeness-least-privilege',
        action: 's3:ListBucket',
        narration: [{ step: 'create-function-roles', says: 'may only list and read summaries' }],
        failsAt: 'first-reconciliation',
        shows: [
          'CheckCompleteness: attempt 1 failed — AccessDenied',
          'not authorized to perform: s3:ListBucket',
        ],
        readBackCheck: 'check-completeness-role: the policy holds exactly the scoped statements',
      },
      {
        role: 'write-report-role',
        policy: 'write-report-least-privilege',
        action: 's3:PutObject',
        narration: [{ step: 'create-function-roles', says: 'may write reports/' }],
        failsAt: 'first-reconciliation',
        shows: [
          'WriteReport: attempt 1 failed — AccessDenied',
          'not authorized to perform: s3:PutObject',
          '/reports/',
        ],
        readBackCheck: 'write-report-role: the policy holds exactly the scoped statements',
      },
      {
        role: 'reconcile-machine-role',
        policy: 'reconcile-machine-least-privilege',
        action: 'lambda:InvokeFunction',
        narration: [
          { step: 'create-machine-role', says: 'lambda:InvokeFunction on the three function ARNs' },
        ],
        failsAt: 'event-runs',
        shows: [
          'ProcessArrival: attempt 1 failed — Lambda.AWSLambdaException',
          'not authorized to perform: lambda:InvokeFunction',
          'AccessDeniedException',
        ],
        readBackCheck: 'reconcile-machine-role: the policy holds exactly the scoped statements',
      },
      {
        role: 'start-reconcile-role',
        policy: 'start-reconcile-least-privilege',
        action: 'states:StartExecution',
        narration: [{ step: 'create-events-role', says: 'states:StartExecution on this state machine' }],
        failsAt: 'event-runs',
        stopsThere: true,
        refusalShowsAs: 'FailedInvocations',
        shows: ['not every upload started a finished execution', 'refused or failed the StartExecution call'],
        readBackCheck: [
          'start-reconcile-role: exactly one inline policy',
          'start-reconcile-role: the policy holds exactly the scoped statements',
        ],
      },
    ],
  },
};

/** The demos with rows; the tests run one set per id. */
export const PROVEN_DEMOS = Object.keys(PROOF_TABLE);
