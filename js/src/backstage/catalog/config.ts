// `ecrRegistrar.catalog` in app-config, read and checked at startup: the targets go through the
// core's own check of `registrar.yaml`'s `sync.targets` (same fields, same rules, same words), with
// the key named as app-config has it. Bad config throws, and the backend does not start.
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type RootConfigService,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import * as core from '../../core.js';
import type { Config, SyncTarget } from '../../core.js';

export const CONFIG_KEY = 'ecrRegistrar.catalog';

/** What the provider runs with. */
export interface CatalogSettings {
  /** The registrar config (`settings` over the defaults) with `sync.targets` set to `targets`. */
  config: Config;
  /** The targets, as the core read them (the same as `config.sync.targets`). */
  targets: SyncTarget[];
  /** An AWS endpoint URL for every call (an emulator). */
  endpoint?: string | undefined;
  /** Attempts per AWS request, the first included (1–20, default 8). */
  maxAttempts: number;
  /** When the provider runs; Backstage's scheduler, `scope: 'global'`. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** The governance catalog's URL, read through the UrlReader on every run (owners, risk). */
  governanceCatalog?: string | undefined;
}

/** Every 30 minutes, at most 10 minutes a run, the first 15 seconds after startup. */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 15 },
};

function fail(message: string): never {
  throw new Error(`Invalid config ${CONFIG_KEY}: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read `ecrRegistrar.catalog`; throws naming the key that is wrong. */
export function readCatalogSettings(root: RootConfigService): CatalogSettings {
  const c = root.getOptionalConfig(CONFIG_KEY);
  if (!c) fail(`missing; the catalog module needs at least \`${CONFIG_KEY}.targets\``);
  const known = new Set(['targets', 'endpoint', 'maxAttempts', 'schedule', 'governanceCatalog', 'settings']);
  for (const key of c.keys()) if (!known.has(key)) fail(`\`${CONFIG_KEY}.${key}\` is not a known key (${[...known].join(', ')})`);
  const targets = c.getOptional('targets');
  if (!Array.isArray(targets) || targets.length === 0) fail(`\`${CONFIG_KEY}.targets\` must be a non-empty list of { environment, region, account?, roleArn?, externalId? }`);
  const settings = c.getOptional('settings') ?? {};
  if (!isObject(settings)) fail(`\`${CONFIG_KEY}.settings\` must be an object with the keys of registrar.yaml`);
  const sync = settings.sync ?? {};
  if (!isObject(sync)) fail(`\`${CONFIG_KEY}.settings.sync\` must be an object`);
  if ('targets' in sync) fail(`\`${CONFIG_KEY}.settings.sync.targets\`: give the targets as \`${CONFIG_KEY}.targets\``);
  // JSON is YAML: the core reads and checks it exactly as it reads registrar.yaml.
  const text = JSON.stringify({ ...settings, sync: { ...sync, targets } });
  let config: Config;
  try {
    config = core.configFromYaml(text);
  } catch (e) {
    const message = (e as Error).message
      .replace(/^config: /, '')
      .replace(/`sync\.targets\[/g, `\`${CONFIG_KEY}.targets[`);
    fail(message.includes(CONFIG_KEY) ? message : `\`${CONFIG_KEY}.settings\` or \`${CONFIG_KEY}.targets\`: ${message}`);
  }
  const endpoint = c.getOptionalString('endpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) fail(`\`${CONFIG_KEY}.endpoint\` must be an http(s) URL`);
  const maxAttempts = c.getOptional('maxAttempts') ?? 8;
  if (typeof maxAttempts !== 'number' || !Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
    fail(`\`${CONFIG_KEY}.maxAttempts\` must be a whole number from 1 to 20`);
  }
  let schedule = DEFAULT_SCHEDULE;
  if (c.has('schedule')) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(c.getConfig('schedule'));
    } catch (e) {
      fail(`\`${CONFIG_KEY}.schedule\`: ${(e as Error).message}`);
    }
  }
  return { config, targets: config.sync?.targets ?? [], endpoint, maxAttempts, schedule, governanceCatalog: c.getOptionalString('governanceCatalog') };
}
