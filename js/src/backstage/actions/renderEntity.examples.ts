import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { EXAMPLE_REQUEST, stepsYaml } from '../common.js';

export const examples: TemplateExample[] = [
  {
    description: 'Write catalog/ecr/payments-api.yaml, the entity catalog:register then registers',
    example: stepsYaml([
      {
        id: 'ecr-render-entity',
        action: 'ecr:render-entity',
        input: {
          ...EXAMPLE_REQUEST,
          region: 'eu-west-2',
          system: 'container-registry',
          description: 'Images of the payments API',
          sourceUrl: 'github.com/acme/payments-api',
          argocdApp: 'ecr-payments-api',
          targetPath: 'catalog/ecr/payments-api.yaml',
        },
      },
    ]),
  },
];
