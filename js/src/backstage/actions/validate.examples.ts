import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { EXAMPLE_REQUEST, stepsYaml } from '../common.js';

export const examples: TemplateExample[] = [
  {
    description: 'Validate the wizard inputs',
    example: stepsYaml([{ id: 'ecr-validate', action: 'ecr:validate', input: EXAMPLE_REQUEST }]),
  },
  {
    description: "Validate against the registrar.yaml of the infra repo fetched into ./infra",
    example: stepsYaml([
      {
        id: 'ecr-validate',
        action: 'ecr:validate',
        input: { ...EXAMPLE_REQUEST, repoPath: 'infra' },
      },
    ]),
  },
];
