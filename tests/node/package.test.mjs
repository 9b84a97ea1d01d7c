// The package as a Backstage app installs it: `npm pack`, unpacked into a consumer's node_modules
// (peers resolved from the project's, as an app's own node_modules would). What ships, that the
// backend entry loads through CommonJS `require` (how backstage-cli builds backends), and that
// TypeScript resolves every entry's types under the old `moduleResolution: node` (node10) too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { installPacked, root } from './helpers.mjs';

let consumer;
let files;
let remove;

before(() => {
  ({ consumer, files, remove } = installPacked('pack-'));
});

after(() => remove?.());

test('the tarball holds the license, the builds, the glue and the templates, and no tests', () => {
  // The templates: a fresh app registers them from its copy of the tarball (docs/backstage.md).
  for (const f of ['LICENSE', 'README.md', 'package.json', 'pkg/node/ecr_registrar_bg.wasm', 'pkg/web/ecr_registrar_bg.wasm', 'js/dist/backstage/index.js', 'js/dist/field/alpha.d.ts', 'templates/ecr-request/template.yaml', 'templates/ecr-request-dispatch/template.yaml', 'templates/ecr-request-crossplane/template.yaml', 'templates/ecr-update/template.yaml', 'templates/ecr-decommission/template.yaml']) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
  assert.deepEqual(files.filter((f) => /\.test\.|js\/dist\/testing\/|^src\/|^tests\//.test(f)), []);
  assert.match(fs.readFileSync(path.join(consumer, 'node_modules/ecr-registrar/LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
});

test('a CommonJS backend can require the module and the core', () => {
  fs.writeFileSync(
    path.join(consumer, 'index.cjs'),
    `const b = require('ecr-registrar/backstage');
     const core = require('ecr-registrar');
     console.log(JSON.stringify({
       module: typeof b.createEcrRegistrarModule, actions: b.createEcrActions().map((a) => a.id),
       verdict: core.validateField('name', 'abc-').map((e) => e.code),
     }));`,
  );
  const out = JSON.parse(execFileSync(process.execPath, ['index.cjs'], { cwd: consumer, encoding: 'utf8' }));
  // The module came from the unpacked tarball, not the project.
  const where = execFileSync(process.execPath, ['-p', "require.resolve('ecr-registrar/backstage')"], { cwd: consumer, encoding: 'utf8' }).trim();
  assert.equal(where, path.join(consumer, 'node_modules/ecr-registrar/js/dist/backstage/index.js'));
  assert.equal(out.module, 'function');
  assert.ok(out.actions.includes('ecr:scaffold') && out.actions.includes('ecr:validate'), out.actions.join());
  assert.ok(out.verdict.includes('name_aws_pattern'), out.verdict.join());
});

test('TypeScript resolves every entry under moduleResolution node10 and nodenext', () => {
  fs.writeFileSync(
    path.join(consumer, 'usage.ts'),
    `import { createEcrRegistrarModule } from 'ecr-registrar/backstage';
     import { ecrRegistryNameValidation, type FieldError } from 'ecr-registrar/field';
     import { createEcrRegistryNameFieldExtension } from 'ecr-registrar/field/extension';
     import { createEcrRegistryNameFormField } from 'ecr-registrar/field/alpha';
     import { validateField } from 'ecr-registrar';
     const errors: FieldError[] = validateField('name', 'abc-');
     export const used = [createEcrRegistrarModule, ecrRegistryNameValidation, createEcrRegistryNameFieldExtension, createEcrRegistryNameFormField, errors];
     // @ts-expect-error: the value is a string (the types are really read, not \`any\`)
     validateField('name', 42);
    `,
  );
  const tsc = path.join(root, 'node_modules/typescript5/bin/tsc');
  for (const [module, resolution] of [['commonjs', 'node10'], ['nodenext', 'nodenext']]) {
    const compilerOptions = { noEmit: true, strict: true, skipLibCheck: true, module, moduleResolution: resolution, target: 'es2022', types: [], lib: ['es2022', 'dom'] };
    fs.writeFileSync(path.join(consumer, `tsconfig.${resolution}.json`), JSON.stringify({ compilerOptions, files: ['usage.ts'] }));
    try {
      execFileSync(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: consumer, encoding: 'utf8' });
    } catch (e) {
      assert.fail(`tsc --moduleResolution ${resolution}:\n${e.stdout}${e.stderr}`);
    }
  }
});

// The Backstage releases the package supports (README, Install): the peers must admit the packages
// the tests build and run against (the current release set, the devDependencies) and the previous
// majors, which a Backstage 1.55 app still pins (`@backstage/create-app` 0.9.2) beside the new ones
// its caret ranges pull in. Only `^a.b.c || ^d.e.f` ranges are used, so a caret check is enough.
function satisfiesCarets(version, range) {
  const parse = (v) => v.split('.').map(Number);
  const [major, minor, patch] = parse(version.replace(/^v/, '').replace(/[-+].*$/, ''));
  return range.split('||').some((alt) => {
    const m = /^\s*\^(\d+)\.(\d+)\.(\d+)\s*$/.exec(alt);
    assert.ok(m, `a caret range: ${alt}`);
    const [M, mi, p] = m.slice(1).map(Number);
    if (major !== M) return false;
    if (M === 0) return minor === mi && patch >= p;
    return minor > mi || (minor === mi && patch >= p);
  });
}

test('the peers admit the Backstage packages the tests run against and the previous majors; engines admit this Node', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const installed = (name) => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  for (const [name, range] of Object.entries(pkg.peerDependencies)) {
    assert.ok(pkg.devDependencies[name], `${name}: a peer the tests build against is a devDependency`);
    assert.ok(satisfiesCarets(installed(name), range), `${name}@${installed(name)} (installed) is in the peer range ${range}`);
  }
  // The current majors (what a new app resolves) are the ones installed, and the previous ones
  // (what Backstage 1.55 itself pins) stay admitted.
  const majors = {
    '@backstage/plugin-scaffolder-node': ['1.0.0', '0.13.7'],
    '@backstage/plugin-scaffolder-react': ['3.0.0', '2.1.0'],
    '@backstage/plugin-catalog-node': ['3.0.0', '2.2.5'],
    '@backstage/frontend-plugin-api': ['1.0.0', '0.18.1'],
    '@backstage/backend-plugin-api': ['1.12.0', '1.10.1'],
    '@backstage/catalog-model': ['1.10.3', '1.10.1'],
    '@backstage/errors': ['1.4.0', '1.3.1'],
    '@backstage/integration': ['2.2.0', '2.1.2'],
  };
  for (const [name, [current, previous]] of Object.entries(majors)) {
    assert.ok(satisfiesCarets(installed(name), `^${current}`), `${name}@${installed(name)} is the current release set (^${current})`);
    assert.ok(satisfiesCarets(previous, pkg.peerDependencies[name]), `${name}@${previous} (previous) is in ${pkg.peerDependencies[name]}`);
  }
  for (const node of [process.version, '20.19.0', '22.12.0', '24.0.0']) {
    assert.ok(satisfiesCarets(node, pkg.engines.node), `Node ${node} is in engines ${pkg.engines.node}`);
  }
});
