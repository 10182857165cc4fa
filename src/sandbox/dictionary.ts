/**
 * Lookup tables keyed by names a client chooses (regions, bucket and object keys, role, function,
 * group and tag names). A plain object would answer `constructor` or `toString` from its prototype
 * and treat `__proto__` as its prototype; a dictionary has no prototype, so every name is an
 * ordinary key. They serialise to JSON like plain objects, so state files keep their shape.
 */
export type Dictionary<T> = Record<string, T>;

/** A new dictionary, optionally filled from an object's own entries (e.g. a table read from disk). */
export function dictionary<T>(from?: Readonly<Record<string, T>> | null): Dictionary<T> {
  const d = Object.create(null) as Dictionary<T>;
  if (from) for (const key of Object.keys(from)) d[key] = from[key]!;
  return d;
}

/** `from` as a dictionary of dictionaries (per-region tables), each level copied. */
export function dictionaryOfDictionaries<T>(
  from?: Readonly<Record<string, Record<string, T>>> | null,
): Dictionary<Dictionary<T>> {
  const d = dictionary<Dictionary<T>>();
  if (from) for (const key of Object.keys(from)) d[key] = dictionary(from[key]);
  return d;
}
