// The console's static build (console/, React + Vite): made with Vite's JS API on demand and kept
// by content hash in one place, .touchpoint/console-build/<hash>/, so the first `npm start` or
// `touchpoint serve` of a clone builds once and later starts find it. The same build feeds the
// cloud: infra/constructs/console-hosting.ts bundles it through consoleBuildSync (CDK's local
// bundling is synchronous, so a miss builds in a child process: scripts/build-console.ts).
//
// The hash covers console/** (not dist/, node_modules/), shared/domain/**, package-lock.json, and
// every other project file the last build read (Vite's module graph, kept in inputs.json): a file
// the app starts importing is hashed from the build that first reads it. No network: Vite, React
// and Mantine come from node_modules.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../infra/names.js';

export const CONSOLE_SOURCE_DIR = join(PROJECT_ROOT, 'console');
/** Where every build is kept (ignored by git with the rest of .touchpoint/). */
export const CONSOLE_BUILD_ROOT = join(PROJECT_ROOT, '.touchpoint', 'console-build');
const BUILD_SCRIPT = join(PROJECT_ROOT, 'scripts', 'build-console.ts');

/** Inputs hashed whatever the last build read (paths relative to the project root). */
const FIXED_INPUTS = ['console', join('shared', 'domain'), 'package-lock.json'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);
/** Builds kept besides the newest: a running server may still serve the one before. */
const KEPT_BUILDS = 2;

export class ConsoleBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConsoleBuildError';
  }
}

export interface ConsoleBuild {
  /** The build's directory: index.html, assets/, what console/public holds. */
  dir: string;
  hash: string;
  /** False when a build of the same sources was found. */
  built: boolean;
  /** Time this call took (a miss: the Vite build). */
  ms: number;
}

interface BuildPaths {
  projectRoot: string;
  buildRoot: string;
}

const Inputs = z.object({ extra: z.array(z.string()) });

function listFiles(root: string, rel: string, out: string[]): void {
  const path = join(root, rel);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return;
  if (!stat.isDirectory()) {
    out.push(rel);
    return;
  }
  for (const name of readdirSync(path)) {
    if (!SKIPPED_DIRS.has(name)) listFiles(root, join(rel, name), out);
  }
}

function extraInputs(buildRoot: string): string[] {
  const path = join(buildRoot, 'inputs.json');
  if (!existsSync(path)) return [];
  const parsed = Inputs.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  return parsed.success ? parsed.data.extra : [];
}

/** The content hash of the console's sources (paths and bytes), 16 hex characters. */
export function consoleSourceHash(paths: Partial<BuildPaths> = {}): string {
  const projectRoot = paths.projectRoot ?? PROJECT_ROOT;
  const buildRoot = paths.buildRoot ?? CONSOLE_BUILD_ROOT;
  const files: string[] = [];
  for (const rel of [...FIXED_INPUTS, ...extraInputs(buildRoot)]) listFiles(projectRoot, rel, files);
  const hash = createHash('sha256');
  for (const rel of [...new Set(files)].sort()) {
    hash.update(`${rel.split(sep).join('/')}\0`);
    hash.update(readFileSync(join(projectRoot, rel)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The kept build of these sources, if there is one. */
function cached(buildRoot: string, hash: string): string | undefined {
  const dir = join(buildRoot, hash);
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}

/** Removes all but the newest KEPT_BUILDS builds (and unfinished ones of dead builds, by age). */
function prune(buildRoot: string): void {
  const entries = readdirSync(buildRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ path: join(buildRoot, e.name), mtime: statSync(join(buildRoot, e.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  const hourAgo = Date.now() - 3_600_000;
  for (const [i, e] of entries.entries()) {
    const unfinished = e.path.includes('.tmp-');
    if ((unfinished && e.mtime < hourAgo) || (!unfinished && i >= KEPT_BUILDS)) {
      rmSync(e.path, { recursive: true, force: true });
    }
  }
}

/**
 * The console's build for the current sources: the kept one, else a fresh Vite build (then kept).
 * Concurrent callers may both build; each writes its own temporary dir and the first rename wins.
 */
export async function ensureConsoleBuild(
  opts: Partial<BuildPaths> & { log?: (line: string) => void } = {},
): Promise<ConsoleBuild> {
  const started = Date.now();
  const projectRoot = opts.projectRoot ?? PROJECT_ROOT;
  const buildRoot = opts.buildRoot ?? CONSOLE_BUILD_ROOT;
  const before = consoleSourceHash({ projectRoot, buildRoot });
  const hit = cached(buildRoot, before);
  if (hit) return { dir: hit, hash: before, built: false, ms: Date.now() - started };

  opts.log?.('building the console (first start after a change to its sources; later starts reuse it)');
  mkdirSync(buildRoot, { recursive: true });
  const tmp = join(buildRoot, `${before}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const read = new Set<string>();
  // Loaded on a miss only: Vite costs a second to import. A devDependency: `npm ci` installs it.
  const { build } = await import('vite').catch((err: unknown) => {
    throw new ConsoleBuildError(
      `Vite did not load (run npm ci): ${err instanceof Error ? err.message : String(err)}`,
    );
  });
  try {
    await build({
      configFile: join(projectRoot, 'console', 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: tmp, emptyOutDir: true },
      plugins: [
        {
          name: 'touchpoint-console-inputs',
          buildEnd() {
            for (const id of this.getModuleIds()) read.add(id);
          },
        },
      ],
    });
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new ConsoleBuildError(
      `the console did not build: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const extra = [...read]
    .map((id) => id.split('?')[0] ?? id)
    .filter((id) => isAbsolute(id) && existsSync(id))
    .map((id) => relative(projectRoot, id))
    .filter((rel) => !rel.startsWith('..') && !rel.split(sep).includes('node_modules'))
    .filter((rel) => !FIXED_INPUTS.some((fixed) => rel === fixed || rel.startsWith(`${fixed}${sep}`)))
    .sort();
  writeFileSync(join(buildRoot, 'inputs.json'), `${JSON.stringify({ extra }, null, 2)}\n`);
  // The inputs the build read may name files the hash before did not cover: hash again with them.
  const hash = consoleSourceHash({ projectRoot, buildRoot });
  const dir = join(buildRoot, hash);
  if (cached(buildRoot, hash)) rmSync(tmp, { recursive: true, force: true });
  else {
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another process renamed the same build into place first: keep theirs.
      rmSync(tmp, { recursive: true, force: true });
      if (!cached(buildRoot, hash)) throw err;
    }
  }
  prune(buildRoot);
  return { dir, hash, built: true, ms: Date.now() - started };
}

/**
 * ensureConsoleBuild for synchronous callers (CDK's local bundling): a hit costs a hash of the
 * sources; a miss builds in a child process (`npm run build:console`'s script) and then reads the hit.
 */
export function consoleBuildSync(opts: Partial<BuildPaths> = {}): ConsoleBuild {
  const started = Date.now();
  const buildRoot = opts.buildRoot ?? CONSOLE_BUILD_ROOT;
  const projectRoot = opts.projectRoot ?? PROJECT_ROOT;
  const first = consoleSourceHash({ projectRoot, buildRoot });
  const hit = cached(buildRoot, first);
  if (hit) return { dir: hit, hash: first, built: false, ms: Date.now() - started };
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', BUILD_SCRIPT, '--build-root', buildRoot, '--project-root', projectRoot],
    {
      cwd: projectRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (child.status !== 0) {
    throw new ConsoleBuildError(`the console did not build: ${child.stderr || child.stdout || child.error}`);
  }
  const hash = consoleSourceHash({ projectRoot, buildRoot });
  const dir = cached(buildRoot, hash);
  if (!dir) throw new ConsoleBuildError(`the console build left no ${join(buildRoot, hash, 'index.html')}`);
  return { dir, hash, built: true, ms: Date.now() - started };
}
