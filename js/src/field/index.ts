// Wizard validation for the Backstage scaffolder form, running the Rust core in the browser
// (pkg/web: validation only; its size: docs/backstage.md#size-of-the-browser-build). The errors
// are the CLI's messages, word for word.
//
//   import { ecrRegistryNameValidation } from 'ecr-registrar/field';
//   // as the `validation` of a field extension, or through createEcrRegistryNameFieldExtension()
//   // from 'ecr-registrar/field/extension'.
import init, { alreadyRequested, entityName, validateField } from '../../../pkg/web/ecr_registrar.js';
import type { Config, FieldError, FieldName, InitInput, InitOutput } from '../../../pkg/web/ecr_registrar.js';

export type { Config, FieldError, FieldName } from '../../../pkg/web/ecr_registrar.js';

/** The slice of rjsf's `FieldValidation` the validators use. */
export interface FieldValidationLike {
  addError(message: string): void;
}

/** The slice of Backstage's `ApiHolder` (the validator's `context.apiHolder`, `useApiHolder()`). */
export interface ApiHolderLike {
  get(ref: { id: string }): unknown;
}

/**
 * The slice of Backstage's `CatalogApi` the name check uses: `queryEntities`, a filtered query
 * (`GET /api/catalog/entities/by-query`) whose answer for a free name is a 200 with no items.
 * (`getEntityByRef` would answer it with a 404, which the browser logs as an error on every pause.)
 */
export interface CatalogApiLike {
  queryEntities(request: { filter: Record<string, string>; limit: number; fields: string[] }): Promise<{ items: { spec?: { owner?: unknown } }[] }>;
}

/** `catalogApiRef` of @backstage/plugin-catalog-react, by its id (no dependency on that package). */
const CATALOG_API = { id: 'plugin.catalog.service' };

/**
 * The catalog's verdict on a name the core accepts: `[already_requested]` when the catalog has its
 * entity (`resource:default/ecr-<name>`), else `[]`; `[]` too when the app has no catalog API.
 * A failed lookup is not the person's fault and says nothing (the actions check again).
 */
export async function checkCatalog(name: string, apis: ApiHolderLike | undefined): Promise<FieldError[]> {
  const catalog = apis?.get(CATALOG_API) as Partial<CatalogApiLike> | undefined;
  if (typeof catalog?.queryEntities !== 'function') return [];
  await initEcrValidation();
  const entity = entityName(name);
  try {
    const { items } = await catalog.queryEntities({
      filter: { kind: 'Resource', 'metadata.namespace': 'default', 'metadata.name': entity },
      limit: 1,
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'spec.owner'],
    });
    const found = items[0];
    if (!found) return [];
    const owner = typeof found.spec?.owner === 'string' ? found.spec.owner : null;
    return [alreadyRequested(name, `resource:default/${entity}`, owner)];
  } catch {
    return [];
  }
}

/** A `CustomFieldValidator`: errors through `field.addError`; `context` as the scaffolder passes it. */
export type EcrFieldValidator = (data: unknown, field: FieldValidationLike, context?: { apiHolder?: ApiHolderLike }) => Promise<void>;

let ready: Promise<InitOutput> | undefined;
let loaded = false;

/**
 * Load the WebAssembly module once. Browsers and bundlers fetch it next to this package's
 * `pkg/web/ecr_registrar.js`; pass bytes, a `WebAssembly.Module`, a URL or a `Response` to
 * load it from elsewhere (Node: the file's bytes).
 */
export function initEcrValidation(moduleOrPath?: InitInput | Promise<InitInput>): Promise<InitOutput> {
  ready ??= init(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath }).then((out) => {
    loaded = true;
    return out;
  });
  return ready;
}

/** Whether the WebAssembly module has loaded (then `checkFieldNow` answers). */
export function isEcrValidationReady(): boolean {
  return loaded;
}

/**
 * The problems with one field's value, synchronously (a check takes about a microsecond, so the
 * wizard runs it on every keystroke, in the same frame); `undefined` until the module has loaded.
 */
export function checkFieldNow(field: FieldName, value: string, config?: Config | null): FieldError[] | undefined {
  return loaded ? validateField(field, value, config ?? undefined) : undefined;
}

/** The problems with one field's value (`[]` when it is fine), as `{field, code, message}`. */
export async function checkField(field: FieldName, value: string, config?: Config | null): Promise<FieldError[]> {
  await initEcrValidation();
  return validateField(field, value, config ?? undefined);
}

/**
 * A `CustomFieldValidator` for one request field (`name`, `owner`, `requester`, `domain`,
 * `environment`, `risk`, `id`, `retention`). Empty values are left to the form's `required` list.
 * A name the core accepts is also looked up in the catalog (the scaffolder's `context.apiHolder`).
 */
export function createEcrFieldValidator(fieldName: FieldName = 'name', config?: Config | null): EcrFieldValidator {
  return async function ecrFieldValidation(data, field, context) {
    if (data === undefined || data === null || data === '') return;
    let errors = await checkField(fieldName, String(data), config);
    if (fieldName === 'name' && errors.length === 0) errors = await checkCatalog(String(data), context?.apiHolder);
    for (const e of errors) field.addError(e.message);
  };
}

/** The validator of the repository-name field with the platform defaults. */
export const ecrRegistryNameValidation: EcrFieldValidator = createEcrFieldValidator('name');
