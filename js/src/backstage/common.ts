// What the actions share: the request's input schema, the workspace's config, reading and atomic
// writing (the core's verdicts become Backstage errors in ./errors.ts). All decisions are the
// core's; this file only moves text between the workspace and the core.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { resolveSafeChildPath, type BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { GithubCredentialsProvider, ScmIntegrationRegistry } from '@backstage/integration';
import type { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';
import * as core from '../core.js';
import type { Config, Request, ValidationReport } from '../core.js';
import { type FaultLog, invalidRequest } from './errors.js';

/** Options of the module and of each action. */
export interface EcrRegistrarOptions {
  /** Config file inside the checked-out repo (default `registrar.yaml`); an action input overrides it. */
  configPath?: string;
  /** Settings used when the repo has no config file; merged over the platform defaults. */
  defaults?: Partial<Config>;
  /** Today's date as `YYYY-MM-DD` (default: the UTC date). For tests and reproducible runs. */
  today?: () => string;
  /**
   * The catalog, to refuse a name whose entity (`resource:default/ecr-<name>`) it already has; the
   * module passes Backstage's catalog service. Without it the check is left to the wizard.
   */
  catalog?: CatalogLookup;
  /**
   * Where a server fault's stack trace goes (the module passes the backend's logger). People see
   * an error's message only: a 400's body and a failed task's log carry no stack frames.
   */
  logger?: FaultLog;
  /**
   * The backend's SCM integrations (`integrations:` in app-config), through which
   * `ecr:check-open-request` asks GitHub (each host's `apiBaseUrl`). The module reads them from
   * the backend's config; without them that action fails.
   */
  integrations?: ScmIntegrationRegistry;
  /** GitHub credentials for those integrations (default: Backstage's DefaultGithubCredentialsProvider). */
  githubCredentialsProvider?: GithubCredentialsProvider;
}

/** The slice of Backstage's `CatalogService` the actions use. */
export interface CatalogLookup {
  getEntityByRef(
    entityRef: string,
    options: { credentials: BackstageCredentials },
  ): Promise<{ metadata: { name: string }; spec?: { owner?: unknown; type?: unknown } } | undefined>;
}

/**
 * The whole request checked, as ecr:validate and ecr:scaffold do: the core's rules (an invalid
 * request is bad input, InputError, listing every problem), then the catalog. Returns the report
 * of the valid request.
 */
export async function checkRequest(
  options: EcrRegistrarOptions,
  request: Request,
  config: Config | null,
  credentials: () => Promise<BackstageCredentials>,
): Promise<ValidationReport> {
  const report = core.validateRequest(request, config);
  if (!report.valid) throw invalidRequest(report.errors);
  await refuseIfRequested(options, request.name, credentials);
  return report;
}

/**
 * Refuse (InputError) a name the catalog already has an entity for, in the core's words; the
 * request must already be valid. Nothing is asked without `options.catalog`.
 */
async function refuseIfRequested(
  options: EcrRegistrarOptions,
  name: string,
  credentials: () => Promise<BackstageCredentials>,
): Promise<void> {
  if (!options.catalog) return;
  const ref = `resource:default/${core.entityName(name)}`;
  const entity = await options.catalog.getEntityByRef(ref, { credentials: await credentials() });
  if (!entity) return;
  const owner = typeof entity.spec?.owner === 'string' ? entity.spec.owner : null;
  throw invalidRequest([core.alreadyRequested(name, ref, owner)]);
}

/** The zod implementation createTemplateAction hands to schema factories. */
type SchemaFactories = NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>;
export type Zod = Parameters<Extract<SchemaFactories, Record<string, unknown>>[string]>[0];

/** The request's fields, as zod schema factories (the current createTemplateAction form). */
export const requestInput = {
  name: (z: Zod) => z.string().describe('Repository name, e.g. payments-api'),
  owner: (z: Zod) => z.string().describe('Owning team: its name, or its entity ref as OwnerPicker gives it (group:default/app-team)'),
  requester: (z: Zod) => z.string().optional().describe('Requesting user'),
  domain: (z: Zod) => z.string().optional().describe('Domain of the registry'),
  environment: (z: Zod) => z.string().describe('Environment: a directory under envs/'),
  risk: (z: Zod) => z.string().describe('Risk tier: low, medium or high by default'),
  id: (z: Zod) => z.string().optional().describe('Explicit governance id (default REGISTRY_<NAME>)'),
  description: (z: Zod) =>
    z.string().optional().describe('What the repository is for: one line of visible text, at most 256 characters'),
  region: (z: Zod) =>
    z.string().optional().describe("AWS region, e.g. eu-west-2 (default: the environment's aws_region when the config has a defaultRegion, else that default)"),
};

/** Where the config is read; every action takes it. */
export const configPathInput = (z: Zod) =>
  z.string().optional().describe('Config file inside the repo (default registrar.yaml)');

/** The checked-out infra repo inside the workspace; every action takes it. */
export const repoPathInput = (z: Zod) =>
  z.string().optional().describe('Directory of the infra repo inside the workspace (default: the workspace itself)');

type RequestInput = { [K in keyof typeof requestInput]?: string | null | undefined };

/** Only the request's own fields, without template extras. */
export function requestOf(input: RequestInput): Request {
  const request: Record<string, string> = {};
  for (const key of Object.keys(requestInput) as (keyof typeof requestInput)[]) {
    const v = input[key];
    if (v !== undefined && v !== null) request[key] = String(v);
  }
  if (request.owner !== undefined) request.owner = ownerName(request.owner);
  return request as unknown as Request;
}

/**
 * The owner as the platform names it. Backstage's OwnerPicker gives an entity ref
 * (`group:default/app-team`, `user:default/jane`); read with Backstage's own parser, a group or
 * user of the default namespace is its name. Anything else goes to the core as it is, which says
 * what is wrong with it.
 */
export function ownerName(owner: string): string {
  if (!/[:/]/.test(owner)) return owner;
  try {
    const ref = parseEntityRef(owner, { defaultKind: 'group', defaultNamespace: 'default' });
    const kind = ref.kind.toLowerCase();
    if ((kind === 'group' || kind === 'user') && ref.namespace === 'default') return ref.name;
  } catch {
    // not an entity ref
  }
  return owner;
}


/**
 * The region of the Crossplane path's objects: the request's, else the config's `defaultRegion`.
 * Without either, the CLI's refusal in the form's words (the core would only say that the empty
 * region is not an AWS region name).
 */
export function crossplaneRegion(region: string | undefined, config: Config | null): string {
  const chosen = region || config?.defaultRegion;
  if (!chosen) {
    throw new InputError(
      'a Crossplane Repository needs a region: choose one in the form, or set defaultRegion in the repository\'s registrar.yaml',
    );
  }
  return chosen;
}

export async function readOptional(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Write through a temporary file in the same directory and rename: never a half-written file. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(tmp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Write a file a request adds to a repository (the Crossplane path's manifests, Application and
 * entity), refusing when the checkout already has something at its path: the registry was
 * requested before (its entity may not be in the catalog yet), and rewriting its files in a new
 * pull request would change a live repository under a "new request" title. Nothing of the
 * existing file is read into the message.
 */
export async function writeNew(file: string, rel: string, text: string, name: string): Promise<void> {
  const existing = await fs.lstat(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (existing) {
    throw invalidRequest([
      {
        field: 'name',
        code: 'already_requested',
        // Both were validated (the name by the core, the path by resolveSafeChildPath); quoted
        // as JSON all the same, so neither can break the line.
        message: `${JSON.stringify(name)} is already requested: the repository already has ${JSON.stringify(rel)}; change that registry with a reviewed edit of its files, or decommission it first`,
      },
    ]);
  }
  await writeAtomic(file, text);
}

/** The slice of an action's context `writeRendered` uses. */
interface RenderContext {
  workspacePath: string;
  isDryRun?: boolean | undefined;
  logger: { info(message: string): void };
  output(name: string, value: unknown): void;
}

/**
 * Write a file a render action made for request `name` at `rel` in the workspace ([`writeNew`]:
 * refused where the checkout has something), log it, and output its `path`. A dry run writes too,
 * into its throwaway workspace, so the Template Editor shows the file.
 */
export async function writeRendered(ctx: RenderContext, rel: string, text: string, name: string): Promise<void> {
  await writeNew(resolveSafeChildPath(ctx.workspacePath, rel), rel, text, name);
  ctx.logger.info(`${ctx.isDryRun ? 'Dry run; wrote' : 'Wrote'} ${rel}`);
  ctx.output('path', rel);
}

/**
 * The config for a repo: `<repo>/<configPath>` when it exists, else `options.defaults` over the
 * platform defaults, else `null` (the core's own defaults).
 */
export async function loadConfig(
  repoDir: string,
  options: EcrRegistrarOptions,
  configPath: string | undefined,
): Promise<Config | null> {
  const file = resolveSafeChildPath(repoDir, configPath ?? options.configPath ?? 'registrar.yaml');
  const text = await readOptional(file);
  if (text !== null) {
    try {
      return core.configFromYaml(text);
    } catch (e) {
      throw new InputError(`${path.relative(repoDir, file)}: ${(e as Error).message}`);
    }
  }
  return options.defaults ? { ...core.defaultConfig(), ...options.defaults } : null;
}

/** Where an action finds the repo: `repoPath` inside the workspace, and the config file in it. */
export interface RepoInput {
  workspacePath: string;
  input: { repoPath?: string | undefined; configPath?: string | undefined };
}

/** The checked-out repo (`repoPath`, default the workspace itself) and its config. */
export async function openRepo(ctx: RepoInput, options: EcrRegistrarOptions): Promise<{ repoDir: string; config: Config | null }> {
  const repoDir = resolveSafeChildPath(ctx.workspacePath, ctx.input.repoPath ?? '.');
  return { repoDir, config: await loadConfig(repoDir, options, ctx.input.configPath) };
}

export function today(options: EcrRegistrarOptions): string {
  return options.today ? options.today() : new Date().toISOString().slice(0, 10);
}

/** A request as the examples fill it in. */
export const EXAMPLE_REQUEST = {
  name: 'payments-api',
  owner: 'app-team',
  requester: 'daniel-deans',
  domain: 'delivery',
  environment: 'dev',
  risk: 'low',
};

/** A template's `steps:` as YAML, built with the `yaml` package (never from string fragments). */
export function stepsYaml(steps: { id: string; action: string; input: Record<string, unknown> }[]): string {
  return stringify({ steps });
}
