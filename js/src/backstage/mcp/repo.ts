// Where the MCP actions read the infra repo: `ecrRegistrar.actions.repository`, a base URL read
// through Backstage's UrlReader (a GitHub `.../blob/main/` URL, or any host `backend.reading`
// allows), its `registrar.yaml` and the environment's two files. Nothing is ever written: the
// actions are dry runs. Without a repository, the config is the platform defaults and the files
// are taken as not there yet.
import type { RootConfigService, UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import * as core from '../../core.js';
import type { Config, Files } from '../../core.js';
import { callCore } from '../errors.js';

export const CONFIG_KEY = 'ecrRegistrar.actions';

/** The repository the actions read, from app-config. */
export interface RepoSettings {
  /** Base URL of the infra repo; paths inside it are resolved against it. */
  repository?: string | undefined;
  /** The config file inside the repo (default `registrar.yaml`). */
  configPath: string;
}

export function readRepoSettings(root: RootConfigService): RepoSettings {
  const c = root.getOptionalConfig(CONFIG_KEY);
  const repository = c?.getOptionalString('repository');
  if (repository !== undefined && !/^https?:\/\//.test(repository)) {
    throw new Error(`Invalid config ${CONFIG_KEY}: \`${CONFIG_KEY}.repository\` must be an http(s) URL`);
  }
  return { repository, configPath: c?.getOptionalString('configPath') ?? 'registrar.yaml' };
}

/** Reads the repo for one call. */
export class RepoReader {
  constructor(
    private readonly settings: RepoSettings,
    private readonly urlReader: UrlReaderService,
  ) {}

  /** Whether a repository is configured (without one, every file is taken as not there yet). */
  get configured(): boolean {
    return Boolean(this.settings.repository);
  }

  private url(rel: string): string {
    const base = this.settings.repository!;
    return new URL(rel, base.endsWith('/') ? base : `${base}/`).toString();
  }

  /** A file's text, or `null` when the repo does not have it. */
  private async read(rel: string): Promise<string | null> {
    if (!this.settings.repository) return null;
    try {
      const res = await this.urlReader.readUrl(this.url(rel));
      return (await res.buffer()).toString('utf8');
    } catch (e) {
      if (e instanceof NotFoundError || (e as Error).name === 'NotFoundError') return null;
      throw e;
    }
  }

  /** The repo's config (`null`: the core's defaults); a bad config file is the caller's input error. */
  async config(): Promise<Config | null> {
    const text = await this.read(this.settings.configPath);
    if (text === null) return null;
    try {
      return core.configFromYaml(text);
    } catch (e) {
      throw new InputError(`${this.settings.configPath}: ${(e as Error).message}`);
    }
  }

  /** The environment's catalog and tfvars; the environment must already be checked (it is a path). */
  async files(action: string, environment: string, config: Config | null): Promise<Files> {
    const paths = callCore(action, () => core.requestPaths(environment, config));
    const [catalog, tfvars] = await Promise.all([this.read(paths.catalog), this.read(paths.tfvars)]);
    return { catalog, tfvars };
  }
}
