// What the MCP actions share: the request's input schema (with the limits the core also checks),
// the output of a dry run, and the one walk of a dry run (config, check, files, the core's edit,
// the diff). All decisions are the core's; nothing is written.
import type { ActionsRegistryActionOptions } from '@backstage/backend-plugin-api/alpha';
import type { RequestOutput, Files, Config } from '../../core.js';
import * as core from '../../core.js';
import { today } from '../common.js';
import { InputError } from '@backstage/errors';
import { callCore, describeErrors } from '../errors.js';
import type { RepoReader } from './repo.js';

/** The zod the actions registry hands to the schema factories. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Zod = Parameters<ActionsRegistryActionOptions<any, any>['schema']['input']>[0];

/** The longest value a field may have here (the core refuses longer names and ids anyway). */
const MAX_FIELD = 1024;

const text = (z: Zod) => z.string().max(MAX_FIELD);

/** A new request's fields. */
export const requestFields = (z: Zod) => ({
  name: text(z).describe('Repository name, e.g. payments-api'),
  owner: text(z).describe('Owning team'),
  environment: text(z).describe('Environment: a directory under envs/, e.g. dev'),
  risk: text(z).describe('Risk tier: low, medium or high by default'),
  requester: text(z).optional().describe('Requesting user'),
  domain: text(z).optional().describe('Domain of the registry'),
  id: text(z).optional().describe('Explicit governance id (default REGISTRY_<NAME>)'),
  description: text(z).optional().describe('What the repository holds: one line, at most 256 characters'),
  region: text(z).optional().describe("AWS region, e.g. eu-west-2 (default: the config's defaultRegion; must be the environment's Terraform region)"),
});

/** A registry a day-2 request is about. */
export const registryFields = (z: Zod) => ({
  name: text(z).describe('Repository name of the registry'),
  environment: text(z).describe("The registry's environment (as in its catalog entry)"),
});

/** What every dry run returns. */
export const dryRunOutput = (z: Zod) => ({
  changed: z.boolean().describe('Whether either file would change (false: already in effect)'),
  changedFiles: z.array(z.string()).describe('Paths inside the repo that would change'),
  diff: z.string().describe('Unified diff of both edits, as `ecr-registrar ... --dry-run` prints it'),
  branchName: z.string(),
  prTitle: z.string(),
  prBody: z.string().describe('Markdown of the pull request'),
  planCommand: z.string().describe('The targeted terraform plan'),
});

export interface DryRun {
  changed: boolean;
  changedFiles: string[];
  diff: string;
  branchName: string;
  prTitle: string;
  prBody: string;
  planCommand: string;
}

/** One dry run: `check` refuses bad input before the environment becomes a path. */
export async function dryRun<Out extends RequestOutput>(
  action: string,
  repo: RepoReader,
  environment: string,
  check: (config: Config | null) => Promise<void> | void,
  edit: (files: Files, today: string, config: Config | null) => Out,
  createsTfvars = false,
): Promise<{ out: Out; result: DryRun }> {
  const config = await repo.config();
  await check(config);
  const files = await repo.files(action, environment, config);
  // `ecr:scaffold` creates a tfvars file only inside an existing Terraform root; through a URL the
  // directory cannot be seen, so a preview does not show the file being created.
  if (createsTfvars && repo.configured && files.tfvars === null) {
    const rel = core.requestPaths(environment, config).tfvars;
    throw new InputError(`${action}: the repository has no ${rel}; create the environment's Terraform root first (a dry run cannot tell whether its directory exists)`);
  }
  const out = callCore(action, () => edit(files, today({}), config));
  return { out, result: dryRunOf(out, files) };
}

/** What a dry run returns for the core's edit `out` of `files`. */
export function dryRunOf(out: RequestOutput, files: Files): DryRun {
  const changed = (['catalog', 'tfvars'] as const).filter((k) => out[k].changed);
  return {
    changed: out.changed,
    changedFiles: changed.map((k) => out[k].path),
    diff: changed.map((k) => core.unifiedDiff(out[k].path, files[k] ?? null, out[k].text)).join(''),
    branchName: out.pullRequest.branchName,
    prTitle: out.pullRequest.title,
    prBody: out.pullRequest.body,
    planCommand: out.planCommand,
  };
}

/** A day-2 request's environment checked before it becomes a path (the core checks the rest). */
export function checkEnvironment(action: string, environment: string, config: Config | null): void {
  const problems = core.validateField('environment', environment, config);
  if (problems.length) throw new InputError(`${action}: the request is invalid:\n${describeErrors(problems)}`);
}
