import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stepsYaml } from '../common.js';

export const examples: TemplateExample[] = [
  {
    description: 'Refuse payments-api while its pull request to the GitOps repository is still open (before rendering)',
    example: stepsYaml([
      {
        id: 'open-request',
        action: 'ecr:check-open-request',
        input: {
          repoUrl: 'github.com?owner=acme&repo=platform-gitops',
          branchName: 'registry/create-payments-api',
        },
      },
    ]),
  },
];
