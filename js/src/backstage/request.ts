// The request operations (ecr:scaffold, ecr:update, ecr:decommission) walk one way, spelled once
// here: find the repo and its config, check the request before any path is built from it, read
// the environment's two files, let the core edit and verify both with today's date, write them
// atomically (a dry run also returns the diff), and hand on the pull request's text and the plan.
// Each action says only what differs: its check, its core call, its log line, its own outputs.
// All decisions are the core's.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import * as core from '../core.js';
import type { Config, FileChange, Files, RequestOutput } from '../core.js';
import { type EcrRegistrarOptions, type RepoInput, type Zod, openRepo, readOptional, today, writeAtomic } from './common.js';
import { callCore, describeErrors } from './errors.js';

/** What the core returns for every request operation (the fields the seam reads). */
export type Edited = Pick<RequestOutput, 'changed' | 'catalog' | 'tfvars' | 'planCommand' | 'pullRequest'>;

/** One request operation, as an action describes it to `runRequest`. */
export interface RequestOperation<Out extends Edited> {
  /** The action's id; it starts every error message. */
  id: string;
  /** The request's environment: a path once `check` has passed. */
  environment: string;
  /** Refuse the request (InputError) before any path is built from it. */
  check(config: Config | null): void | Promise<unknown>;
  /**
   * The operation may create the environment's tfvars file (ecr:scaffold): only inside an existing
   * Terraform root, where something reads it.
   */
  createsTfvars?: boolean;
  /** The core's edit of both files, verified before anything is written. */
  edit(files: Files, today: string, config: Config | null): Out;
  /** The log line of a real run, given the files it changed (none: nothing to do). */
  done(out: Out, changedFiles: string[]): string;
  /** The action's own outputs, before the shared ones (ecr:scaffold: the ids). */
  outputs?(out: Out): Record<string, string>;
}

/** The slice of a request action's context the seam uses. */
export interface RequestContext extends RepoInput {
  isDryRun?: boolean | undefined;
  logger: { info(message: string): void };
  output(name: string, value: unknown): void;
}

/** Descriptions of the shared outputs that differ between the actions. */
interface OutputDescriptions {
  planCommand: string;
  branchName?: string;
  prBody: string;
}

/** The output schema every request action declares (its own outputs go before it). */
export function requestOutput(describe: OutputDescriptions) {
  return {
    changed: (z: Zod) =>
      z
        .boolean()
        .describe('Whether either file changed (false: the request is already in effect; guard the pull request step with it)'),
    changedFiles: (z: Zod) =>
      z.array(z.string()).describe('Paths inside the repo that were (or, in a dry run, would be) changed'),
    planCommand: (z: Zod) => z.string().describe(describe.planCommand),
    branchName: (z: Zod) => (describe.branchName ? z.string().describe(describe.branchName) : z.string()),
    prTitle: (z: Zod) => z.string(),
    prBody: (z: Zod) => z.string().describe(describe.prBody),
    diff: (z: Zod) => z.string().describe('Unified diff of the edits (dry run only)').optional(),
  };
}

/** The registry a day-2 request (ecr:update, ecr:decommission) is about. */
export const registryInput = {
  name: (z: Zod) => z.string().describe('Repository name of the registry'),
  environment: (z: Zod) => z.string().describe("The registry's environment (as in its catalog entry)"),
};

/** The outputs of a day-2 request. */
export const day2Output = requestOutput({ planCommand: 'The targeted terraform plan', prBody: 'Markdown for the pull request' });

/**
 * A day-2 operation on the registry `request` names: only its environment is checked here (it
 * becomes a path); the core checks the rest against the registry's entry. `verb` starts the log
 * line of a run that changed something.
 */
export function day2Operation(
  id: string,
  request: { name: string; environment: string },
  verb: string,
  edit: (files: Files, today: string, config: Config | null) => RequestOutput,
): RequestOperation<RequestOutput> {
  return {
    id,
    environment: request.environment,
    check(config) {
      const problems = core.validateField('environment', request.environment, config);
      if (problems.length) throw new InputError(`${id}: the request is invalid:\n${describeErrors(problems)}`);
    },
    edit,
    done: (_, changedFiles) =>
      changedFiles.length
        ? `${verb} ${request.name} in ${changedFiles.join(' and ')}`
        : `${request.name}: both files already say so; nothing changed`,
  };
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The edit `ecr:scaffold` (and the CLI's `scaffold`) would make, made in memory and dropped: its
 * refusals (the environment root's region, a name the catalog has for another request, a missing
 * Terraform root, a file the editors refuse) become this action's. For ecr:validate on the
 * dispatch path, where the workflow's CLI makes the edit later: a request it would refuse never
 * reaches GitHub Actions. Nothing is written.
 */
export async function checkEdit(
  id: string,
  repoDir: string,
  options: EcrRegistrarOptions,
  request: core.Request,
  config: Config | null,
): Promise<void> {
  const { files } = await readRequestFiles(id, repoDir, request.environment ?? '', config, true);
  callCore(id, () => core.scaffold(request, files, today(options), config));
}

/**
 * The two files a request for `environment` edits: the core's paths, each through
 * resolveSafeChildPath, read when present. When the request may create the tfvars file, it is
 * created only where a Terraform root already is: in an environment's missing directory it would
 * be a lone file that nothing reads.
 */
async function readRequestFiles(id: string, repoDir: string, environment: string, config: Config | null, createsTfvars: boolean | undefined) {
  const rel = callCore(id, () => core.requestPaths(environment, config));
  const abs = { catalog: resolveSafeChildPath(repoDir, rel.catalog), tfvars: resolveSafeChildPath(repoDir, rel.tfvars) };
  const files = { catalog: await readOptional(abs.catalog), tfvars: await readOptional(abs.tfvars) };
  if (createsTfvars && files.tfvars === null && !(await isDirectory(path.dirname(abs.tfvars)))) {
    throw new InputError(`${id}: ${core.missingTerraformRoot(rel.tfvars)}`);
  }
  return { abs, files };
}

/** Run one request operation against the repo checked out in the workspace. */
export async function runRequest<Out extends Edited>(
  ctx: RequestContext,
  options: EcrRegistrarOptions,
  op: RequestOperation<Out>,
): Promise<void> {
  const { repoDir, config } = await openRepo(ctx, options);
  // The environment becomes a path: the request is checked before anything is read.
  await op.check(config);
  const { abs, files } = await readRequestFiles(op.id, repoDir, op.environment, config, op.createsTfvars);
  const out = callCore(op.id, () => op.edit(files, today(options), config));
  const { changedFiles, diff } = await writeEdits(ctx.isDryRun, ctx.logger, out, files, abs);
  if (!ctx.isDryRun) ctx.logger.info(op.done(out, changedFiles));
  for (const [name, value] of Object.entries(outputsOf(ctx.isDryRun, out, changedFiles, diff, op.outputs?.(out)))) {
    ctx.output(name, value);
  }
}

/** Every output of a request action, built in one place: the diff of a dry run, the action's own, the shared ones. */
function outputsOf(
  isDryRun: boolean | undefined,
  out: Edited,
  changedFiles: string[],
  diff: string | undefined,
  own: Record<string, string> | undefined,
): Record<string, unknown> {
  return {
    ...(isDryRun ? { diff } : {}),
    ...own,
    changed: out.changed,
    changedFiles,
    planCommand: out.planCommand,
    branchName: out.pullRequest.branchName,
    prTitle: out.pullRequest.title,
    prBody: out.pullRequest.body,
  };
}

type Both<T> = Record<'catalog' | 'tfvars', T>;

/**
 * Write the two files the core edited and verified (each changed one, atomically); in a dry run
 * also their diff (logged and returned). Returns the changed paths.
 */
async function writeEdits(
  isDryRun: boolean | undefined,
  logger: { info(message: string): void },
  out: Both<FileChange>,
  old: Both<string | null>,
  abs: Both<string>,
): Promise<{ changedFiles: string[]; diff: string | undefined }> {
  const changed = (['catalog', 'tfvars'] as const).filter((k) => out[k].changed);
  const changedFiles = changed.map((k) => out[k].path);
  // Both edits were verified by the core before either file is touched. A dry run writes too: its
  // workspace is a throwaway copy, and the Template Editor shows the files the steps left there
  // (as Backstage's own actions do); the diff says what a real run would change.
  for (const k of changed) await writeAtomic(abs[k], out[k].text);
  if (isDryRun) {
    const diff = changed.map((k) => core.unifiedDiff(out[k].path, old[k], out[k].text)).join('');
    logger.info(diff ? `Dry run; changes:\n${diff}` : 'Dry run; nothing to change');
    return { changedFiles, diff };
  }
  return { changedFiles, diff: undefined };
}
