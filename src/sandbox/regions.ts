/**
 * Which region names a request may be signed for. The region in a SigV4 credential scope becomes
 * a key in the services' tables and part of file paths, so it is checked against AWS's own rules
 * before anything uses it: the general syntax (letters, hyphen-separated words, a number) and the
 * naming pattern of one of AWS's partitions (the `regionRegex` of each partition in the SDK's
 * partitions table, with `\w+` narrowed to lower-case letters as every real region is).
 */

/** The partitions' region-name patterns: aws, aws-cn, aws-us-gov, aws-iso(-b/-e/-f), aws-eusc. */
const PARTITION_PATTERNS: readonly RegExp[] = [
  /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/,
  /^cn-[a-z]+-\d+$/,
  /^us-gov-[a-z]+-\d+$/,
  /^us-iso-[a-z]+-\d+$/,
  /^us-isob-[a-z]+-\d+$/,
  /^eu-isoe-[a-z]+-\d+$/,
  /^us-isof-[a-z]+-\d+$/,
  /^eusc-de-[a-z]+-\d+$/,
];

/** AWS's region syntax; `eusc` is the one partition whose prefix has four letters. */
const REGION_SYNTAX = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/** Whether `name` is a region name AWS could have (not whether the region exists today). */
export function isAwsRegionName(name: string): boolean {
  return name.length <= 32 && REGION_SYNTAX.test(name) && PARTITION_PATTERNS.some((p) => p.test(name));
}
