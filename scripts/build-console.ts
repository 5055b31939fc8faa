// `npm run build:console`: the console's static build for CI and `cdk synth` (which calls this
// script when its local bundling finds no build of the current sources). Prints where it is.
import { parseArgs } from 'node:util';
import { ConsoleBuildError, ensureConsoleBuild } from '../local/console-assets.js';

const { values } = parseArgs({
  options: { 'build-root': { type: 'string' }, 'project-root': { type: 'string' } },
});

try {
  const build = await ensureConsoleBuild({
    ...(values['build-root'] && { buildRoot: values['build-root'] }),
    ...(values['project-root'] && { projectRoot: values['project-root'] }),
    log: (line) => console.error(line),
  });
  console.log(`console ${build.built ? `built in ${build.ms} ms` : 'up to date'}: ${build.dir}`);
} catch (err) {
  if (!(err instanceof ConsoleBuildError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}
