// Wizard validation for the Backstage scaffolder form, running the Rust core in the browser
// (pkg/web: validation only, ~90 KB gzipped). The errors are the CLI's messages, word for word.
//
//   import { ecrRegistryNameValidation } from 'ecr-registrar/field';
//   // as the `validation` of a field extension, or through createEcrRegistryNameFieldExtension()
//   // from 'ecr-registrar/field/extension'.
import init, { validateField } from '../../pkg/web/ecr_registrar.js';

let ready;

/**
 * Load the WebAssembly module once. Browsers and bundlers fetch it next to this package's
 * `pkg/web/ecr_registrar.js`; pass bytes, a `WebAssembly.Module`, a URL or a `Response` to
 * load it from elsewhere (Node: the file's bytes).
 */
export function initEcrValidation(moduleOrPath) {
  ready ??= init(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath });
  return ready;
}

/** The problems with one field's value (`[]` when it is fine), as `{field, code, message}`. */
export async function checkField(field, value, config) {
  await initEcrValidation();
  return validateField(field, value, config ?? undefined);
}

/**
 * A `CustomFieldValidator` for one request field (`name`, `owner`, `requester`, `domain`,
 * `environment`, `risk`, `id`, `retention`): `(data, field) => Promise<void>`, errors through
 * `field.addError`.
 * Empty values are left to the form's `required` list.
 */
export function createEcrFieldValidator(fieldName = 'name', config) {
  return async function ecrFieldValidation(data, field) {
    if (data === undefined || data === null || data === '') return;
    for (const e of await checkField(fieldName, String(data), config)) field.addError(e.message);
  };
}

/** The validator of the repository-name field with the platform defaults. */
export const ecrRegistryNameValidation = createEcrFieldValidator('name');
