// The entity providers and one run of them: every target listed (each on its own; one that fails
// is logged and skipped), the listings rendered together by the core's estate renderer (the one
// `ecr-registrar sync` uses, so the entities are the CLI's), and a full mutation per target. One
// provider per target, because a full mutation replaces every entity of its provider: a target
// that could not be listed keeps its previous entities until a later run lists it. The System and
// the Domain go through one more provider; the Location the CLI writes for its files is not needed.
import type { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { parseAllDocuments } from 'yaml';
import * as core from '../../core.js';
import type { SyncTarget } from '../../core.js';
import type { CatalogSettings } from './config.js';
import { expectedAccount, listTarget } from './listing.js';

const LOCATION_TYPE = 'ecr-registrar';

/** One provider's name and the location its entities are annotated with. */
class EcrEntityProvider implements EntityProvider {
  connection?: EntityProviderConnection;
  /** Resolves once the catalog has connected this provider. */
  readonly connected: Promise<void>;
  private markConnected!: () => void;
  constructor(readonly name: string) {
    this.connected = new Promise((resolve) => {
      this.markConnected = resolve;
    });
  }
  getProviderName(): string {
    return this.name;
  }
  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    this.markConnected();
  }
  /** Replace every entity of this provider with `entities`. */
  async apply(entities: Entity[]): Promise<void> {
    if (!this.connection) throw new Error(`${this.name} is not connected to the catalog yet`);
    const location = `${LOCATION_TYPE}:${this.name}`;
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map((entity) => {
        const annotations = {
          ...entity.metadata.annotations,
          'backstage.io/managed-by-location': location,
          'backstage.io/managed-by-origin-location': location,
        };
        return { entity: { ...entity, metadata: { ...entity.metadata, annotations } }, locationKey: location };
      }),
    });
  }
}

/** A provider name per target: stable while the target is configured, whatever the order. */
export function providerName(target: SyncTarget): string {
  const account = expectedAccount(target);
  return ['ecr-registrar', target.environment, target.region, ...(account ? [account] : [])].join(':');
}

/** What a run did, for the log and the tests. */
export interface RunResult {
  /** Entities applied per provider that was updated. */
  applied: Record<string, number>;
  /** Targets that could not be listed, and why. */
  failed: { target: string; error: string }[];
}

/** How a run reaches the outside world; the tests and the benchmark pass their own `now`. */
export interface RunDeps {
  logger: LoggerService;
  urlReader: UrlReaderService;
  now?: () => string;
}

function parseEntities(text: string): Entity[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Entity);
}

/** The providers of a config and the run that updates them. */
export class EcrCatalogProviders {
  readonly targets: EcrEntityProvider[];
  readonly shared = new EcrEntityProvider('ecr-registrar:shared');
  constructor(private readonly settings: CatalogSettings) {
    this.targets = settings.targets.map((t) => new EcrEntityProvider(providerName(t)));
  }

  all(): EcrEntityProvider[] {
    return [...this.targets, this.shared];
  }

  /**
   * Wait (at most `ms`) until the catalog has connected every provider: the scheduler may start
   * the first run before the catalog connects them (seen on a loaded machine), and that run would
   * fail and leave the catalog empty until the next one, an hour later by default.
   */
  async whenConnected(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the catalog did not connect the ecr-registrar providers within ${ms / 1000} s`)), ms);
    });
    try {
      await Promise.race([Promise.all(this.all().map((p) => p.connected)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One run over every target; see the file's header. Throws only when nothing could be done. */
  async run({ logger, urlReader, now }: RunDeps): Promise<RunResult> {
    const { config, targets, endpoint, maxAttempts, governanceCatalog } = this.settings;
    const result: RunResult = { applied: {}, failed: [] };
    let catalog: string | null = null;
    if (governanceCatalog) {
      // Without the catalog the owners and risks would change: nothing is applied this run.
      const res = await urlReader.readUrl(governanceCatalog);
      catalog = (await res.buffer()).toString('utf8');
    }
    const listings = await Promise.all(
      targets.map(async (t, i) => {
        try {
          return await listTarget(t, { endpoint, maxAttempts });
        } catch (e) {
          const error = (e as Error).message;
          result.failed.push({ target: this.targets[i]!.name, error });
          logger.warn(`${this.targets[i]!.name}: could not list ECR, its entities are kept: ${error}`);
          return null;
        }
      }),
    );
    if (listings.every((l) => l === null)) return result;
    const stamp = now ? now() : `${new Date().toISOString().slice(0, 19)}Z`;
    const out = core.renderEstate(listings, catalog, stamp, config);
    const listed = this.targets.filter((_, i) => listings[i] !== null);
    for (const [i, provider] of listed.entries()) {
      const entities = parseEntities(out.files[i]!.text);
      await provider.apply(entities);
      result.applied[provider.name] = entities.length;
    }
    const shared = out.files.slice(listed.length).flatMap((f) => parseEntities(f.text)).filter((e) => e.kind !== 'Location');
    await this.shared.apply(shared);
    result.applied[this.shared.name] = shared.length;
    for (const r of out.report.targets) {
      logger.info(
        `${r.environment ?? ''} ${r.region} ${r.account ?? ''}: ${r.repoCount} repositories, ${r.synced.length} synced, ${r.ghosts.length} ghosts, ${r.orphans.length} orphans, ${r.collisions.length} collisions, ${r.skipped.length} skipped`,
      );
    }
    return result;
  }
}
