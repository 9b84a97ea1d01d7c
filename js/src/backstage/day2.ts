// What ecr:update and ecr:decommission share: read the repo's two files for the registry's
// environment, let the core edit and verify both, write them atomically (or return the diff), and
// hand the pull request's text on. All decisions are the core's.
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import * as core from '../core.js';
import type { Config, Day2Output, Files } from '../core.js';
import { type EcrRegistrarOptions, loadConfig, readOptional, today, writeEdits } from './common.js';
import { callCore, describeErrors } from './errors.js';

/** The output schema both actions declare. */
export const day2Output = {
  changedFiles: (z: import('./common.js').Zod) =>
    z.array(z.string()).describe('Paths inside the repo that were (or, in a dry run, would be) changed'),
  planCommand: (z: import('./common.js').Zod) => z.string().describe('The targeted terraform plan'),
  branchName: (z: import('./common.js').Zod) => z.string(),
  prTitle: (z: import('./common.js').Zod) => z.string(),
  prBody: (z: import('./common.js').Zod) => z.string().describe('Markdown for the pull request'),
  diff: (z: import('./common.js').Zod) => z.string().describe('Unified diff of the edits (dry run only)').optional(),
};

/** The outputs declared by `day2Output`, as the handler's context types them. */
type Day2Outputs = {
  changedFiles: string[];
  planCommand: string;
  branchName: string;
  prTitle: string;
  prBody: string;
  diff: string | undefined;
};

interface Day2Input {
  name: string;
  environment: string;
  repoPath?: string | undefined;
  configPath?: string | undefined;
}

/** Run one day-2 request against the repo in the workspace. */
export async function runDay2<I extends Day2Input & JsonObject>(
  ctx: ActionContext<I, Day2Outputs, 'v2'>,
  options: EcrRegistrarOptions,
  id: string,
  edit: (files: Files, today: string, config: Config | null) => Day2Output,
  done: string,
): Promise<void> {
  const repoDir = resolveSafeChildPath(ctx.workspacePath, ctx.input.repoPath ?? '.');
  const config = await loadConfig(repoDir, options, ctx.input.configPath);
  // The environment becomes a path: it must be a configured one before anything is read.
  const problems = core.validateField('environment', ctx.input.environment, config);
  if (problems.length) throw new InputError(`${id}: the request is invalid:\n${describeErrors(problems)}`);
  const rel = callCore(id, () => core.requestPaths(ctx.input.environment, config));
  const abs = {
    catalog: resolveSafeChildPath(repoDir, rel.catalog),
    tfvars: resolveSafeChildPath(repoDir, rel.tfvars),
  };
  const files = { catalog: await readOptional(abs.catalog), tfvars: await readOptional(abs.tfvars) };
  const out = callCore(id, () => edit(files, today(options), config));
  const { changedFiles, diff } = await writeEdits(ctx.isDryRun, ctx.logger, out, files, abs);
  if (ctx.isDryRun) {
    ctx.output('diff', diff);
  } else {
    ctx.logger.info(
      changedFiles.length
        ? `${done} ${ctx.input.name} in ${changedFiles.join(' and ')}`
        : `${ctx.input.name}: both files already say so; nothing changed`,
    );
  }
  ctx.output('changedFiles', changedFiles);
  ctx.output('planCommand', out.planCommand);
  ctx.output('branchName', out.pullRequest.branchName);
  ctx.output('prTitle', out.pullRequest.title);
  ctx.output('prBody', out.pullRequest.body);
}
