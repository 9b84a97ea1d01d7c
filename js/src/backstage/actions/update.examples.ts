import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stepsYaml } from '../common.js';

export const examples: TemplateExample[] = [
  {
    description: 'Change the infra repo fetched into ./infra, then open a pull request',
    example: stepsYaml([
      {
        id: 'ecr-update',
        action: 'ecr:update',
        input: { name: 'payments-api', environment: 'dev', risk: 'high', repoPath: 'infra' },
      },
      {
        id: 'publish',
        action: 'publish:github:pull-request',
        input: {
          repoUrl: 'github.com?owner=acme&repo=platform-infra',
          sourcePath: 'infra',
          branchName: "${{ steps['ecr-update'].output.branchName }}",
          title: "${{ steps['ecr-update'].output.prTitle }}",
          description: "${{ steps['ecr-update'].output.prBody }}",
          labels: ['ecr-registry'],
        },
      },
    ]),
  },
];
