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
 * A path with its first `/tree/` segment read as `/blob/`: the catalog reads a registered
 * `…/blob/main/…` target as `…/tree/main/…` (the integration resolves it so), and either may be
 * configured.
 */
function blobForm(path: string): string {
  return path.replace('/tree/', '/blob/');
}

/** Reads the entity files under `prefixes` as optional locations (a missing file: nothing). */
export class EcrEntityLocationProcessor implements CatalogProcessor {
  constructor(private readonly options: { reader: UrlReaderService; prefixes: readonly URL[] }) {}

  getProcessorName(): string {
    return 'EcrEntityLocationProcessor';
  }

  getPriority(): number {
    return 10;
  }

  /** Whether `target` is one file directly under one of the prefixes. */
  covers(target: string): boolean {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return false;
    }
    if (url.search || url.hash || url.username || url.password) return false;
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
      // Not merged yet, or retired: nothing, and no error that would keep the old entity.
      if ((e as Error)?.name === 'NotFoundError') return true;
      // The reader's own words name the URL and the status; no content was read.
      emit(processingResult.generalError(location, `Unable to read ${location.type} ${location.target}: ${(e as Error)?.name ?? 'Error'}`));
      return true;
    }
    for await (const result of parser({ data, location })) emit(result);
    emit(processingResult.refresh(`${location.type}:${location.target}`));
    return true;
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
