// Bucket policies as the embedded S3 server reads them: statements whose principals are access key
// ids (what the Rook provisioner sets, see controllers/object-bucket.ts), with `Effect`, `Action`
// and `Resource` matched by S3's wildcards. An explicit Deny wins over any Allow, as in IAM.

interface Statement {
  Effect?: string;
  Principal?: { AWS?: string | string[] } | string;
  Action?: string | string[];
  Resource?: string | string[];
}

export interface BucketPolicy {
  Statement?: Statement[];
}

/** `*` matches any run of characters, `?` one, as in IAM's action and resource patterns. */
const matches = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  ).test(value);

const list = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());

const names = (statement: Statement, accessKeyId: string) => {
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (typeof principal !== 'object') return false;
  return list(principal.AWS).some((p) => p === '*' || p === accessKeyId);
};

/** Whether the policy lets this key do `action` (e.g. `s3:GetObject`) on `resource` (an ARN). */
export function policyAllows(
  policy: BucketPolicy | null,
  accessKeyId: string,
  action: string,
  resource: string,
): boolean {
  let allowed = false;
  for (const statement of policy?.Statement ?? []) {
    if (!names(statement, accessKeyId)) continue;
    if (!list(statement.Action).some((a) => matches(a, action))) continue;
    if (!list(statement.Resource).some((r) => matches(r, resource))) continue;
    if (statement.Effect === 'Deny') return false;
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed;
}
