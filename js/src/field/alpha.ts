// The `EcrRegistryName` field for Backstage's new frontend system: the same component and
// validator as the legacy extension (`./extension.ts`), as a `FormFieldBlueprint` extension and a
// frontend module for the scaffolder plugin. In the app:
//
//   import { createApp } from '@backstage/frontend-defaults';
//   import ecrRegistrarFormFields from 'ecr-registrar/field/alpha';
//   export default createApp({ features: [ecrRegistrarFormFields] });
//
// With a platform config of your own, make the blueprint yourself:
//
//   FormFieldBlueprint.make({ name: 'ecr-registry-name', params: { field: async () =>
//     createEcrRegistryNameFormField(config) } })
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { createFormField, FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { createEcrRegistryNameInput, EcrRegistryNameInput, FIELD_NAME } from './extension.js';
import { createEcrFieldValidator, type Config } from './index.js';

export { FIELD_NAME };

/** The form field (`ui:field: EcrRegistryName`) for a given platform config. */
export function createEcrRegistryNameFormField(config?: Config | null) {
  return createFormField({
    name: FIELD_NAME,
    component: config ? createEcrRegistryNameInput(config) : EcrRegistryNameInput,
    validation: createEcrFieldValidator('name', config),
  });
}

/** The field as an extension of the scaffolder plugin, with the platform defaults. */
export const ecrRegistryNameFormField = FormFieldBlueprint.make({
  name: 'ecr-registry-name',
  params: { field: async () => createEcrRegistryNameFormField() },
});

/** Install in the app's `features`: adds the field to the scaffolder's form. */
const ecrRegistrarFormFieldsModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [ecrRegistryNameFormField],
});

export default ecrRegistrarFormFieldsModule;
