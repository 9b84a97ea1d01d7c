// The Crossplane path's entity files in the catalog, for their whole life. ecr-request-crossplane
// registers each registry's entity file (`catalog/ecr/<name>.yaml` in the GitOps repository's main
// branch) with catalog:register. Backstage keeps a registered location *required*, whatever the
// request asked: once ecr-decommission's pull request deletes the file, every refresh of the
// location fails with "not found", a failed processing keeps what it emitted before, and the
// retired registry's entity stays in the catalog for good, not even marked as an orphan.
//
// This module reads the locations under the prefixes of `ecrRegistrar.entityLocations` first
// (priority 10, before the built-in URL reader at 20) and treats them as optional: a missing file
// yields nothing and no error, so the entity loses its location, is marked `backstage.io/orphan`,
// and is deleted with `catalog.orphanStrategy: delete`. Any other location is left to Backstage.
//
//   backend.add(import('ecr-registrar/catalog').then((m) => ({ default: m.ecrRegistrarEntityLocationsModule })));
import { coreServices, createBackendModule, type RootConfigService, type UrlReaderService } from '@backstage/backend-plugin-api';
import {
  type CatalogProcessor,
  type CatalogProcessorEmit,
  type CatalogProcessorParser,
  type LocationSpec,
  catalogProcessingExtensionPoint,
  processingResult,
} from '@backstage/plugin-catalog-node';

export const ENTITY_LOCATIONS_KEY = 'ecrRegistrar.entityLocations';

/** An entity file's name under a prefix: one path segment, a registry's name, `.yaml`. */
const FILE = /^[a-z0-9][a-z0-9._-]{0,250}\.yaml$/;

/** The prefixes of `ecrRegistrar.entityLocations` (https URLs of directories); throws naming what is wrong. */
export function readEntityLocations(root: RootConfigService): URL[] {
  const list = root.getOptionalStringArray(ENTITY_LOCATIONS_KEY) ?? [];
  return list.map((text, i) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new Error(`\`${ENTITY_LOCATIONS_KEY}[${i}]\` is not a URL`);
    }
    if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash || !url.pathname.endsWith('/')) {
      throw new Error(`\`${ENTITY_LOCATIONS_KEY}[${i}]\` must be an https URL of a directory, ending in /, without credentials, query or fragment`);
    }
    return url;
  });
}

/**
 * A path with its fourth segment (`/<owner>/<repo>/<tree|blob>/…`) read as `blob`: the catalog
 * reads a registered `…/blob/main/…` target as `…/tree/main/…` (the integration resolves it so),
 * and either may be configured.
 */
function blobForm(path: string): string {
  const parts = path.split('/');
  if (parts[3] === 'tree') parts[3] = 'blob';
  return parts.join('/');
}

/** How long a directory's listing is trusted (a retired file's location is read every cycle). */
const LISTING_TTL_MS = 60_000;

/** Reads the entity files under `prefixes` as optional locations (a missing file: nothing). */
export class EcrEntityLocationProcessor implements CatalogProcessor {
  private readonly listings = new Map<string, { at: number; names: Set<string> | Error }>();

  constructor(private readonly options: { reader: UrlReaderService; prefixes: readonly URL[]; now?: () => number }) {}

  getProcessorName(): string {
    return 'EcrEntityLocationProcessor';
  }

  getPriority(): number {
    return 10;
  }

  /**
   * Whether `target` is one file directly under one of the prefixes, written as the URL reader
   * would read it (no dot segments, escapes, blanks, credentials, query or fragment).
   */
  covers(target: string): boolean {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return false;
    }
    if (url.href !== target || url.search || url.hash || url.username || url.password) return false;
    const path = blobForm(url.pathname);
    return this.options.prefixes.some((p) => {
      const dir = blobForm(p.pathname);
      return url.origin === p.origin && path.startsWith(dir) && FILE.test(path.slice(dir.length));
    });
  }

  async readLocation(location: LocationSpec, _optional: boolean, emit: CatalogProcessorEmit, parser: CatalogProcessorParser): Promise<boolean> {
    if (location.type !== 'url' || !this.covers(location.target)) return false;
    let data: Buffer;
    try {
      data = await (await this.options.reader.readUrl(location.target)).buffer();
    } catch (e) {
      if ((e as Error)?.name !== 'NotFoundError') {
        // The reader's error's name only: no content was read, and its message may quote a URL
        // with a token.
        emit(processingResult.generalError(location, `Unable to read ${location.type} ${location.target}: ${(e as Error)?.name ?? 'Error'}`));
        return true;
      }
      // Not merged yet, or retired: nothing, and no error that would keep the old entity. But a
      // repository or branch that is gone (or no longer visible to the token) is "not found"
      // too: only a directory that lists other files and not this one says the file is gone.
      const why = await this.missingFromListing(location.target);
      if (why) emit(processingResult.generalError(location, `${location.target} was not found, and ${why}; the entity is kept`));
      return true;
    }
    for await (const result of parser({ data, location })) emit(result);
    emit(processingResult.refresh(`${location.type}:${location.target}`));
    return true;
  }

  /** `undefined` when the file's directory can be listed and lacks it; else why not. */
  private async missingFromListing(target: string): Promise<string | undefined> {
    const slash = target.lastIndexOf('/');
    const dir = target.slice(0, slash + 1);
    const name = target.slice(slash + 1);
    const now = (this.options.now ?? Date.now)();
    let hit = this.listings.get(dir);
    if (!hit || now - hit.at > LISTING_TTL_MS) {
      try {
        const res = await this.options.reader.search(`${dir}*.yaml`);
        hit = { at: now, names: new Set(res.files.map((f) => f.url.slice(f.url.lastIndexOf('/') + 1))) };
      } catch (e) {
        hit = { at: now, names: e instanceof Error ? e : new Error(String(e)) };
      }
      this.listings.set(dir, hit);
    }
    if (hit.names instanceof Error) return `its directory could not be listed (${hit.names.name}: the repository or branch may be gone, or hidden from the token)`;
    if (hit.names.has(name)) return 'its directory lists it';
    return undefined;
  }
}

/** The catalog module adding the processor; without `ecrRegistrar.entityLocations` it reads nothing. */
export const ecrRegistrarEntityLocationsModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ecr-registrar-entity-locations',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint, config: coreServices.rootConfig, reader: coreServices.urlReader },
      async init({ catalog, config, reader }) {
        catalog.addProcessor(new EcrEntityLocationProcessor({ reader, prefixes: readEntityLocations(config) }));
      },
    });
  },
});
