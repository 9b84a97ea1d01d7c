// The `EcrRegistryName` field for the scaffolder form: a text field checked by the Rust core as the
// person types (every keystroke, in the same frame: a check takes about a microsecond), then, once
// typing pauses, against the Backstage catalog ("already requested"), and again by the form's
// validator when they press Next. Legacy frontend system:
//
//   import { scaffolderPlugin } from '@backstage/plugin-scaffolder';
//   import { createEcrRegistryNameFieldExtension } from 'ecr-registrar/field/extension';
//   export const EcrRegistryNameField = scaffolderPlugin.provide(createEcrRegistryNameFieldExtension());
//
// New frontend system: `ecr-registrar/field/alpha`. Both use the one component below, and
// `ui:field: EcrRegistryName` in the template. React, Material UI 4 (@material-ui/core, as the
// scaffolder's form) and @backstage/plugin-scaffolder-react are peer dependencies; no JSX, so the
// package needs no bundler step.
import { createElement as h, useEffect, useRef, useState, type ChangeEvent, type ReactElement } from 'react';
// The package root, not `@material-ui/core/TextField`: Node's ES module loader cannot import that
// directory (bundlers can), and the root's ES build (`module`, sideEffects: false) tree-shakes.
import { TextField } from '@material-ui/core';
import { useApiHolder } from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension, type FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { checkCatalog, checkFieldNow, createEcrFieldValidator, initEcrValidation, isEcrValidationReady, type Config } from './index.js';

export const FIELD_NAME = 'EcrRegistryName';

/** The module's load state, as React state: re-renders once it has loaded. */
function useValidationReady(): boolean {
  const [ready, setReady] = useState(isEcrValidationReady);
  useEffect(() => {
    if (ready) return undefined;
    let live = true;
    initEcrValidation().then(
      () => live && setReady(true),
      () => undefined, // the validator run on Next reports a module that cannot load
    );
    return () => {
      live = false;
    };
  }, [ready]);
  return ready;
}

/** How long typing must pause before the catalog is asked (a network call, unlike the core's check). */
export const CATALOG_DEBOUNCE_MS = 250;

/** The catalog's messages for `value` once typing pauses (only for a name the core accepts). */
function useCatalogCheck(value: string, accepted: boolean): string[] {
  const apis = useApiHolder();
  const [found, setFound] = useState<{ value: string; messages: string[] }>({ value: '', messages: [] });
  useEffect(() => {
    if (!accepted) return undefined;
    let live = true;
    const timer = setTimeout(() => {
      checkCatalog(value, apis).then((errors) => live && setFound({ value, messages: errors.map((e) => e.message) }));
    }, CATALOG_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [value, accepted, apis]);
  return accepted && found.value === value ? found.messages : [];
}

/** What the field's JSON schema (`maxLength`, `pattern`) refuses in `value`, in words. */
function formLimits(value: string, schema: { maxLength?: number; pattern?: string }): string[] {
  const out: string[] = [];
  const length = [...value].length;
  if (schema.maxLength != null && length > schema.maxLength) {
    out.push(`This form takes at most ${schema.maxLength} characters (${length} typed).`);
  }
  let pattern: RegExp | null = null;
  try {
    pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : null;
  } catch {
    pattern = null;
  }
  if (pattern && !pattern.test(value)) out.push('This form does not take this name: see the field description.');
  return out;
}

/** The messages as the helper text's lines (each its own key: the core never repeats one). */
const messageLines = (messages: string[]) => messages.map((m) => h('span', { key: m, className: 'ecr-registry-name-message', style: { display: 'block' } }, m));

/**
 * The input of a given config: Material UI's `TextField`, as the form's own text fields (rjsf's
 * Material UI theme) and Backstage's pickers are, with the template's title as its label, the
 * `required` mark, and as helper text the core's messages for what is typed now (in error state),
 * else the template's description. A custom field's description is its own to show (rjsf shows
 * it only for built-in fields); the form's errors after Next are shown under it by Backstage's
 * field template, so the helper text does not repeat them while they are about the value typed.
 */
export function createEcrRegistryNameInput(config?: Config | null) {
  return function EcrRegistryNameInput(props: FieldExtensionComponentProps<string>): ReactElement {
    const { onChange, formData, rawErrors = [], required, schema = {}, uiSchema = {}, idSchema, disabled, readonly, autofocus, placeholder } = props;
    const id = idSchema?.$id ?? 'ecr-registry-name';
    const value = formData ?? '';
    const ready = useValidationReady();
    const core = value === '' || !ready ? [] : (checkFieldNow('name', value, config) ?? []).map((e) => e.message);
    // The template's own limits on this form (the Crossplane path's 54 characters, its words),
    // said while typing rather than only at Next.
    if (value !== '') core.push(...formLimits(value, schema));
    const taken = useCatalogCheck(value, ready && value !== '' && core.length === 0);
    const live = [...core, ...taken];
    // The form's errors are about the value they were found for (at Next); once the person types,
    // they are stale until the next Next, and the live check speaks for the new value.
    const found = useRef({ errors: rawErrors, value });
    if (rawErrors.join('\n') !== found.current.errors.join('\n')) found.current = { errors: rawErrors, value };
    const formErrors = found.current.value === value ? rawErrors : [];
    const own = live.filter((m) => !formErrors.includes(m));
    return h(TextField, {
      id,
      label: schema.title ?? 'Repository Name',
      placeholder,
      required,
      disabled: disabled || readonly,
      value,
      error: live.length > 0 || formErrors.length > 0,
      helperText: own.length ? messageLines(own) : (schema.description ?? ''),
      onChange: (e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value),
      inputProps: { autoFocus: Boolean(uiSchema['ui:autofocus'] ?? autofocus), autoComplete: 'off', spellCheck: false },
      FormHelperTextProps: { 'aria-live': 'polite' } as object,
    });
  };
}

/** The input with the platform defaults. */
export const EcrRegistryNameInput = createEcrRegistryNameInput();

/** The extension; `config` (optional) is a platform config, as `registrar.yaml` gives it. */
export function createEcrRegistryNameFieldExtension(config?: Config | null) {
  return createScaffolderFieldExtension<string>({
    name: FIELD_NAME,
    component: config ? createEcrRegistryNameInput(config) : EcrRegistryNameInput,
    validation: createEcrFieldValidator('name', config),
  });
}
