/**
 * Independent work run side by side (several roles, functions or log groups one step creates).
 * Every task is started at once and every one is waited for, even after one failed: no create is
 * left in flight when the step reports its failure, so the ledger (each create writes its intent
 * before its call is sent, ledger.ts) names exactly what may exist by the time the learner reads
 * the error or runs teardown. The first failure, in the order the tasks were given, is thrown.
 */
export async function sideBySide<T>(tasks: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(tasks.map((task) => task()));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
