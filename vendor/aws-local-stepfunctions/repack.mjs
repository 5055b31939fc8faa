// Rebuilds aws-local-stepfunctions-3.0.0-node20.1.tgz from the registry's 3.0.0 (see README.md):
// `node vendor/aws-local-stepfunctions/repack.mjs`. Needs npm and tar; writes beside this file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'alsf-'));
try {
  execFileSync('npm', ['pack', 'aws-local-stepfunctions@3.0.0', '--pack-destination', work], {
    stdio: 'inherit',
  });
  execFileSync('tar', ['xzf', 'aws-local-stepfunctions-3.0.0.tgz'], { cwd: work });
  const pkg = join(work, 'package');

  const manifestPath = join(pkg, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.version = '3.0.0-node20.1';
  manifest.engines = { node: '>=20.0.0' };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

  // The one Node 22 API the builds use: replaced by a module-local equivalent, no global change.
  const helper = `
// touchpoint patch (vendor/aws-local-stepfunctions/README.md): Node 20 has no Promise.withResolvers.
function __withResolvers() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}
`;
  for (const file of ['main.node.esm.js', 'main.node.cjs', 'main.browser.esm.js']) {
    const path = join(pkg, 'build', file);
    const source = readFileSync(path, 'utf8');
    const uses = source.split('Promise.withResolvers()').length - 1;
    if (uses !== 1) throw new Error(`${file}: expected 1 use of Promise.withResolvers, found ${uses}`);
    writeFileSync(path, source.replace('Promise.withResolvers()', '__withResolvers()') + helper);
  }
  execFileSync('npm', ['pack', pkg, '--pack-destination', here], { stdio: 'inherit' });
} finally {
  rmSync(work, { recursive: true, force: true });
}
