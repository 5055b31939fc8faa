// Node module hooks that run the CLI's TypeScript: `.js` specifiers of our sources resolve to their
// `.ts` files, and each `.ts` file is transformed once by esbuild and kept in node_modules/.cache,
// keyed by path, size and mtime, so a command after the first reads plain JavaScript from disk.
//
// Why not tsx, which the long-running commands (serve, demo, the background stack) still use: its
// loader costs 0.3–0.6 s at every start on this machine (measured: `node -e 0` 0.05 s vs. importing
// and registering tsx 0.40 s idle), a third of the 1 s a warm command may take. These hooks do the
// two things our code needs (ESM only, NodeNext `.js` specifiers, no path aliases) and nothing else.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'touchpoint-ts');
// What shapes the output besides the source: bump it when the transform options change.
const TRANSFORM_VERSION = '1';
const TSCONFIG = {
  compilerOptions: { target: 'ES2022', useDefineForClassFields: true, verbatimModuleSyntax: true },
};

/** @type {typeof import('esbuild') | undefined} */
let esbuild;

const isRelative = (specifier) => specifier.startsWith('./') || specifier.startsWith('../');

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (parent?.startsWith('file:') && specifier.endsWith('.js') && isRelative(specifier)) {
    const ts = new URL(`${specifier.slice(0, -3)}.ts`, parent);
    if (existsSync(ts)) return { url: ts.href, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

function transform(path) {
  const { mtimeMs, size } = statSync(path);
  const key = createHash('sha1').update(`${TRANSFORM_VERSION}\0${path}\0${size}\0${mtimeMs}`).digest('hex');
  const cached = join(CACHE, `${key}.mjs`);
  try {
    return { cached, code: readFileSync(cached, 'utf8') };
  } catch {
    return { cached, code: undefined };
  }
}

/** @type {import('node:module').LoadHook} */
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const hit = transform(path);
  if (hit.code !== undefined) return { format: 'module', source: hit.code, shortCircuit: true };
  esbuild ??= await import('esbuild');
  const { code } = esbuild.transformSync(readFileSync(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: path,
    tsconfigRaw: TSCONFIG,
  });
  try {
    mkdirSync(CACHE, { recursive: true });
    // Write then rename: a command starting meanwhile reads the old entry or the whole new one.
    const temp = `${hit.cached}.${process.pid}.tmp`;
    writeFileSync(temp, code);
    renameSync(temp, hit.cached);
  } catch {
    // A read-only install still works, transforming at every start.
  }
  return { format: 'module', source: code, shortCircuit: true };
}
