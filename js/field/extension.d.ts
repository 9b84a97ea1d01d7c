import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import type { Extension } from '@backstage/core-plugin-api';
import type { Config } from '../../pkg/web/ecr_registrar.js';

export declare const FIELD_NAME: 'EcrRegistryName';
export declare function EcrRegistryNameInput(props: FieldExtensionComponentProps<string>): unknown;
/** `createScaffolderFieldExtension({name: 'EcrRegistryName', component, validation})`. */
export declare function createEcrRegistryNameFieldExtension(config?: Config | null): Extension<unknown>;
