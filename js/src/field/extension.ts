// The `EcrRegistryName` field extension for the scaffolder form: a text field validated by the
// Rust core. In the app (legacy frontend system):
//
//   import { scaffolderPlugin } from '@backstage/plugin-scaffolder';
//   import { createEcrRegistryNameFieldExtension } from 'ecr-registrar/field/extension';
//   export const EcrRegistryNameField = scaffolderPlugin.provide(createEcrRegistryNameFieldExtension());
//
// and `ui:field: EcrRegistryName` in the template. React and @backstage/plugin-scaffolder-react
// are peer dependencies; no JSX, so the package needs no bundler step.
import { createElement as h, type ChangeEvent, type ReactElement } from 'react';
import { createScaffolderFieldExtension, type FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { createEcrFieldValidator, type Config } from './index.js';

export const FIELD_NAME = 'EcrRegistryName';

/** The input: a labelled text box with the schema's description and the validator's errors. */
export function EcrRegistryNameInput(props: FieldExtensionComponentProps<string>): ReactElement {
  const { onChange, formData, rawErrors = [], required, schema = {}, idSchema, disabled } = props;
  const id = idSchema?.$id ?? 'ecr-registry-name';
  const errorId = `${id}-errors`;
  return h(
    'div',
    { className: 'ecr-registry-name' },
    h('label', { htmlFor: id }, schema.title ?? 'Repository Name', required ? ' *' : ''),
    h('input', {
      id,
      type: 'text',
      value: formData ?? '',
      disabled,
      required,
      autoComplete: 'off',
      spellCheck: false,
      'aria-invalid': rawErrors.length > 0,
      'aria-describedby': errorId,
      onChange: (e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value),
    }),
    schema.description ? h('p', { className: 'ecr-registry-name-help' }, schema.description) : null,
    h('ul', { id: errorId, role: 'alert' }, ...rawErrors.map((m, i) => h('li', { key: i }, m))),
  );
}

/** The extension; `config` (optional) is a platform config, as `registrar.yaml` gives it. */
export function createEcrRegistryNameFieldExtension(config?: Config | null) {
  return createScaffolderFieldExtension<string>({
    name: FIELD_NAME,
    component: EcrRegistryNameInput,
    validation: createEcrFieldValidator('name', config),
  });
}
