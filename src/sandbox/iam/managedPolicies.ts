/**
 * The AWS-managed policies the sandbox knows the contents of. A role may have any AWS-managed ARN
 * attached (teardown code detaches them as on AWS), but only these grant anything here: an unknown
 * managed policy counts as granting no permissions, so code relying on it fails loudly rather than
 * passing in the sandbox and failing on AWS.
 */
const doc = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

const MANAGED: Record<string, string> = {
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': doc([
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: '*',
    },
  ]),
  'arn:aws:iam::aws:policy/service-role/AWSLambdaRole': doc([
    { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: ['*'] },
  ]),
  'arn:aws:iam::aws:policy/AdministratorAccess': doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
};

/** The policy text of a known AWS-managed policy, or undefined (treated as no permissions). */
export function managedPolicyDocument(arn: string): string | undefined {
  return MANAGED[arn];
}
