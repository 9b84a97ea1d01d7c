// The `EcrRegistryName` field extension for the scaffolder form: a text field validated by the
// Rust core as the person types. In the app (legacy frontend system):
//
//   import { scaffolderPlugin } from '@backstage/plugin-scaffolder';
//   import { createEcrRegistryNameFieldExtension } from 'ecr-registrar/field/extension';
//   export const EcrRegistryNameField = scaffolderPlugin.provide(createEcrRegistryNameFieldExtension());
//
// and `ui:field: EcrRegistryName` in the template. React and @backstage/plugin-scaffolder-react
// are peer dependencies; no JSX, so no build step.
import { createElement as h } from 'react';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { createEcrFieldValidator } from './index.js';

export const FIELD_NAME = 'EcrRegistryName';

/** The input: a labelled text box with the schema's description and the validator's errors. */
export function EcrRegistryNameInput(props) {
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
      onChange: (e) => onChange(e.target.value),
    }),
    schema.description ? h('p', { className: 'ecr-registry-name-help' }, schema.description) : null,
    h('ul', { id: errorId, role: 'alert' }, ...rawErrors.map((m, i) => h('li', { key: i }, m))),
  );
}

/** The extension; `config` (optional) is a platform config, as `registrar.yaml` gives it. */
export function createEcrRegistryNameFieldExtension(config) {
  return createScaffolderFieldExtension({
    name: FIELD_NAME,
    component: EcrRegistryNameInput,
    validation: createEcrFieldValidator('name', config),
  });
}
