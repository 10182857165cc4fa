/**
 * Keys under which EventBridge notes rule and target changes that are still settling (see
 * `SettlingChanges`): a new rule matches nothing, and a new or changed target receives nothing,
 * until the change is in force.
 */
export function ruleSettleKey(ruleArn: string): string {
  return `rule ${ruleArn}`;
}

export function targetSettleKey(ruleArn: string, targetId: string): string {
  return `target ${ruleArn} ${targetId}`;
}
