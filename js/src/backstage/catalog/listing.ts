// One target's ECR listing with the AWS SDK for JavaScript: the target's credentials (the default
// chain, or STS AssumeRole with the target's role and external id), the account they belong to
// checked when the target names one, every DescribeRepositories page and each repository's tags.
// The result is the DescribeRepositories JSON the core reads, as `aws ecr describe-repositories`
// prints it; nothing is decided here.
import { ECRClient, ListTagsForResourceCommand, paginateDescribeRepositories, type Repository } from '@aws-sdk/client-ecr';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { SyncTarget } from '../../core.js';

/** How to reach AWS for a target. */
export interface ListOptions {
  /** An AWS endpoint URL for every call (an emulator); default: AWS's own per region. */
  endpoint?: string | undefined;
  /** ListTagsForResource calls in flight at once per target (default 8). */
  concurrency?: number | undefined;
  /** Attempts per AWS request, the first included (the SDK's standard retries; default 8, as the CLI). */
  maxAttempts?: number | undefined;
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };

/** The account a target lists: `account`, else the one in `roleArn` (as the core's `expectedAccount`). */
export function expectedAccount(target: SyncTarget): string | undefined {
  return target.account ?? target.roleArn?.split(':')[4];
}

/** The target's credentials: the assumed role's, or `undefined` for the SDK's default chain. */
async function credentialsFor(target: SyncTarget, options: ListOptions): Promise<Credentials | undefined> {
  if (!target.roleArn) return undefined;
  const sts = new STSClient({ region: target.region, endpoint: options.endpoint, maxAttempts: options.maxAttempts ?? 8 });
  try {
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: target.roleArn, RoleSessionName: 'ecr-registrar-catalog', ExternalId: target.externalId }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${target.roleArn} returned no credentials`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  } finally {
    sts.destroy();
  }
}

/** Refuse credentials of another account than the target's, as the CLI's `sync` does. */
async function checkAccount(target: SyncTarget, credentials: Credentials | undefined, options: ListOptions): Promise<void> {
  const want = expectedAccount(target);
  if (!want) return;
  const sts = new STSClient({ region: target.region, endpoint: options.endpoint, credentials, maxAttempts: options.maxAttempts ?? 8 });
  try {
    const got = (await sts.send(new GetCallerIdentityCommand({}))).Account;
    if (got !== want) throw new Error(`the credentials are for account ${got ?? '(unknown)'}, not ${want}`);
  } finally {
    sts.destroy();
  }
}

/** Run `f` over `items`, `n` at a time, in order of the results. */
async function pool<T, R>(items: T[], n: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** The target's repositories with their tags, as DescribeRepositories JSON text. */
export async function listTarget(target: SyncTarget, options: ListOptions = {}): Promise<string> {
  const credentials = await credentialsFor(target, options);
  await checkAccount(target, credentials, options);
  const ecr = new ECRClient({ region: target.region, endpoint: options.endpoint, credentials, maxAttempts: options.maxAttempts ?? 8 });
  try {
    const repos: Repository[] = [];
    for await (const page of paginateDescribeRepositories({ client: ecr, pageSize: 1000 }, {})) {
      repos.push(...(page.repositories ?? []));
    }
    const listed = await pool(repos, options.concurrency ?? 8, async (r) => {
      const tags = r.repositoryArn
        ? ((await ecr.send(new ListTagsForResourceCommand({ resourceArn: r.repositoryArn }))).tags ?? [])
        : [];
      return {
        repositoryName: r.repositoryName,
        repositoryArn: r.repositoryArn,
        registryId: r.registryId,
        tags: tags.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
      };
    });
    return JSON.stringify({ repositories: listed });
  } finally {
    ecr.destroy();
  }
}
