import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { EXAMPLE_REQUEST, stepsYaml } from '../common.js';

export const examples: TemplateExample[] = [
  {
    description: 'Write manifests/payments-api.yaml for a high-risk repository',
    example: stepsYaml([
      {
        id: 'ecr-render-crossplane',
        action: 'ecr:render-crossplane',
        input: {
          ...EXAMPLE_REQUEST,
          risk: 'high',
          region: 'eu-west-2',
          kmsKeyRef: 'ecr-key',
          targetPath: 'manifests/payments-api.yaml',
        },
      },
    ]),
  },
];
