import type { Config, FieldError } from '../../pkg/web/ecr_registrar.js';

/** The slice of rjsf's `FieldValidation` the validators use. */
export interface FieldValidationLike {
  addError(message: string): void;
}

export type EcrFieldName = 'name' | 'owner' | 'requester' | 'domain' | 'environment' | 'risk' | 'id' | 'retention';

/** Load the WebAssembly module once (bytes, module, URL or Response; default: next to pkg/web). */
export declare function initEcrValidation(
  moduleOrPath?: BufferSource | WebAssembly.Module | URL | string | Response | Promise<Response>,
): Promise<unknown>;
export declare function checkField(field: EcrFieldName, value: string, config?: Config | null): Promise<FieldError[]>;
/** A `CustomFieldValidator` for one field. */
export declare function createEcrFieldValidator(
  fieldName?: EcrFieldName,
  config?: Config | null,
): (data: unknown, field: FieldValidationLike) => Promise<void>;
export declare const ecrRegistryNameValidation: (data: unknown, field: FieldValidationLike) => Promise<void>;
