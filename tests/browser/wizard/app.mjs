// The real scaffolder wizard for the browser test: @backstage/plugin-scaffolder-react's Stepper
// (the form, steps and Next/Review buttons the Backstage app shows) rendering the shipped
// template's parameters with the EcrRegistryName field, from the legacy extension (`?system=legacy`)
// or the new frontend system's FormFieldBlueprint extension (`?system=nfs`, instantiated by
// Backstage's own extension tester). Bundled with esbuild by serve.mjs. Only the app shell is built here: the APIs the Stepper asks for (translations with
// their default English messages, errors, feature flags: none; the catalog: Backstage's
// CatalogClient against the test server) and the theme, which a Backstage app provides.
import { createElement as h, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createVersionedContext, createVersionedValueMap } from '@backstage/version-bridge';
import { errorApiRef, translationApiRef } from '@backstage/frontend-plugin-api';
import { getComponentData } from '@backstage/core-plugin-api';
import { UnifiedThemeProvider, themes } from '@backstage/theme';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { SecretsContextProvider } from '@backstage/plugin-scaffolder-react';
import { MemoryRouter } from 'react-router-dom';
import { CatalogClient } from '@backstage/catalog-client';
import { createEcrRegistryNameFieldExtension } from '../../../js/dist/field/extension.js';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import ecrRegistrarFormFields, { ecrRegistryNameFormField } from '../../../js/dist/field/alpha.js';
import { initEcrValidation } from '../../../js/dist/field/index.js';

/** A TranslationApi that answers every ref with its default (English) messages. */
const translationApi = {
  getTranslation(ref) {
    const messages = ref.getDefaultMessages?.() ?? {};
    const t = (key, opts = {}) => String(messages[key] ?? key).replace(/\{\{\s*(\w+)[^}]*\}\}/g, (_, k) => String(opts[k] ?? ''));
    return { ready: true, t };
  },
  translation$(ref) {
    return { subscribe: () => ({ unsubscribe() {} }), [Symbol.observable ?? '@@observable']() { return this; }, ref };
  },
};
const errors = [];
const errorApi = { post: (e) => errors.push(String(e)), error$: () => ({ subscribe: () => ({ unsubscribe() {} }) }) };
const featureFlagsApi = { isActive: () => false, registerFlag() {}, getRegisteredFlags: () => [], save() {} };
// Backstage's own catalog client, asking this page's server (which answers as a catalog would).
const catalogApi = new CatalogClient({ discoveryApi: { getBaseUrl: async () => `${location.origin}/api/catalog` }, fetchApi: { fetch: (...a) => fetch(...a) } });
const apis = new Map([
  [translationApiRef.id, translationApi],
  [errorApiRef.id, errorApi],
  ['core.featureflags', featureFlagsApi],
  ['plugin.catalog.service', catalogApi],
]);
const apiHolder = { get: (ref) => apis.get(ref.id) };
const ApiContext = createVersionedContext('api-context');

async function fieldOptions(system) {
  if (system === 'nfs') {
    // The extension as the new frontend system instantiates it (Backstage's own extension tester):
    // its output is the loader the scaffolder's form-fields API calls. The FormField it loads is an
    // opaque instance of the options the form renders ({name, component, validation}).
    const tester = createExtensionTester(ecrRegistryNameFormField);
    const { name, component, validation } = await tester.get(FormFieldBlueprint.dataRefs.formFieldLoader)();
    window.nfs = { pluginId: ecrRegistrarFormFields.pluginId, kind: ecrRegistryNameFormField.kind, name: ecrRegistryNameFormField.name };
    return { name, component, validation };
  }
  const holder = createEcrRegistryNameFieldExtension().expose();
  return getComponentData(h(holder), 'scaffolder.extensions.field.v1');
}

const query = new URLSearchParams(location.search);
const manifest = await (await fetch('/manifest.json')).json();
await initEcrValidation(new URL('/pkg/web/ecr_registrar_bg.wasm', location.href));
window.created = null;
window.appErrors = errors;
createRoot(document.getElementById('root')).render(
  h(
    StrictMode,
    null,
    h(
      ApiContext.Provider,
      { value: createVersionedValueMap({ 1: apiHolder }) },
      h(
        UnifiedThemeProvider,
        { theme: themes.light },
        h(
          MemoryRouter,
          null,
          h(
            SecretsContextProvider,
            null,
            h(Stepper, {
              manifest,
              extensions: [await fieldOptions(query.get('system'))],
              onCreate: async (values) => {
                window.created = values;
              },
            }),
          ),
        ),
      ),
    ),
  ),
);
document.getElementById('status').textContent = 'ready';
