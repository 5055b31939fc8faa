// Lambda bundle sizes and cold import times (lean Lambdas, docs/decisions.md). Bundles each functions/*.ts
// with the house construct's own esbuild options (infra/bundling.ts), then imports each bundle in a
// fresh Node process five times and keeps the median: a warm process would measure the cache.
// `npx tsx bench/bundles.ts [--top N]` alone, or as part of `npm run bench`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { HOUSE_BUNDLING } from '../infra/bundling.js';
import { PROJECT_ROOT } from '../infra/names.js';
import { writeResultsSection } from './results-file.js';

/** Measured on the code before the per-handler bundles (commit fad8c1d, this machine): KB minified, median ms. */
export const BEFORE: Record<string, { kb: number; importMs: number }> = {
  api: { kb: 1843, importMs: 108 },
  'delivery-events': { kb: 1360, importMs: 65 },
  'import-upload': { kb: 1240, importMs: 80 },
  'ingest-event': { kb: 1360, importMs: 83 },
  'plan-run': { kb: 1370, importMs: 117 },
  'select-run': { kb: 1363, importMs: 80 },
  'send-batch': { kb: 1446, importMs: 86 },
  'summarize-run': { kb: 1361, importMs: 74 },
};

export interface BundleFigure {
  name: string;
  bytes: number;
  importMs: number;
  /** The largest inputs (package or source folder) by bytes in the output. */
  top: { input: string; bytes: number }[];
  /** The naive alternative, measured in the same run: the SDK left to the Lambda runtime. */
  runtimeSdk?: { bytes: number; importMs: number };
}

const SAMPLES = 5;

export function functionNames(root = PROJECT_ROOT): string[] {
  return readdirSync(join(root, 'functions'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** `node_modules/@scope/pkg/...` → `@scope/pkg`; a source file → its folder. */
function owner(input: string): string {
  const nm = input.lastIndexOf('node_modules/');
  if (nm < 0) return input.split('/').slice(0, 2).join('/');
  const rest = input.slice(nm + 'node_modules/'.length).split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? input);
}

function topInputs(meta: Metafile, n: number): { input: string; bytes: number }[] {
  const byOwner = new Map<string, number>();
  for (const out of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
      byOwner.set(owner(input), (byOwner.get(owner(input)) ?? 0) + bytesInOutput);
    }
  }
  return [...byOwner.entries()]
    .map(([input, bytes]) => ({ input, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, n);
}

/** One fresh process per sample; it prints how long `import()` of the bundle took. */
function importMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const samples = Array.from({ length: SAMPLES }, () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      }).trim(),
    ),
  );
  return median(samples);
}

interface Variant {
  external: string[];
  alias: Record<string, string>;
}
const HOUSE: Variant = { external: [...HOUSE_BUNDLING.external], alias: { ...HOUSE_BUNDLING.alias } };
/** CDK's default for Node 18+: every @aws-sdk/* package left to the runtime's copy. */
const RUNTIME_SDK: Variant = { external: ['@aws-sdk/*'], alias: {} };

async function bundle(name: string, outfile: string, variant: Variant) {
  const result = await build({
    ...HOUSE_BUNDLING,
    mainFields: [...HOUSE_BUNDLING.mainFields],
    ...variant,
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [join(PROJECT_ROOT, 'functions', `${name}.ts`)],
    bundle: true,
    outfile,
    banner: { js: HOUSE_BUNDLING.banner },
    metafile: true,
    logLevel: 'error',
  });
  return { bytes: statSync(outfile).size, metafile: result.metafile };
}

/**
 * `timeImports: false` only bundles (sizes are deterministic; times are for the bench, never a
 * test); `compare` also measures the runtime-SDK variant side by side.
 */
export async function measureBundles(
  opts: { top?: number; timeImports?: boolean; compare?: boolean } = {},
): Promise<BundleFigure[]> {
  // Inside the project, so the runtime-SDK variant's imports resolve to node_modules (in Lambda, to
  // the runtime's copy): its import time includes loading them, as a cold start would.
  mkdirSync(join(PROJECT_ROOT, 'node_modules', '.cache'), { recursive: true });
  const dir = mkdtempSync(join(PROJECT_ROOT, 'node_modules', '.cache', 'touchpoint-bundles-'));
  const timed = (file: string) => (opts.timeImports === false ? Number.NaN : importMs(file));
  try {
    const figures: BundleFigure[] = [];
    for (const name of functionNames()) {
      const ours = await bundle(name, join(dir, name, 'index.mjs'), HOUSE);
      const figure: BundleFigure = {
        name,
        bytes: ours.bytes,
        importMs: timed(join(dir, name, 'index.mjs')),
        top: topInputs(ours.metafile, opts.top ?? 5),
      };
      if (opts.compare) {
        const naive = await bundle(name, join(dir, name, 'runtime-sdk.mjs'), RUNTIME_SDK);
        figure.runtimeSdk = { bytes: naive.bytes, importMs: timed(join(dir, name, 'runtime-sdk.mjs')) };
      }
      figures.push(figure);
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => (bytes / 1024).toFixed(0);

export function bundlesTable(figures: BundleFigure[]): string {
  const rows = [
    [
      'function',
      'before KB',
      'now KB',
      'before import ms',
      'now import ms',
      'runtime-SDK KB',
      'runtime-SDK import ms',
      'import ratio',
    ],
    ...figures.map((f) => [
      f.name,
      BEFORE[f.name] ? String(BEFORE[f.name]?.kb) : '-',
      kb(f.bytes),
      BEFORE[f.name] ? String(BEFORE[f.name]?.importMs) : '-',
      f.importMs.toFixed(0),
      f.runtimeSdk ? kb(f.runtimeSdk.bytes) : '-',
      f.runtimeSdk ? f.runtimeSdk.importMs.toFixed(0) : '-',
      f.runtimeSdk ? `${(f.runtimeSdk.importMs / f.importMs).toFixed(2)}×` : '-',
    ]),
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const line = (r: string[]) => `| ${r.map((v, c) => v.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  return [
    line(rows[0] ?? []),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** Replaces (or appends) this bench's section of bench/RESULTS.md, leaving the others alone. */
export function writeBundlesSection(figures: BundleFigure[], resultsPath: string): void {
  const body = `## Lambda bundles (\`npx tsx bench/bundles.ts\`, also in \`npm run bench\`)

Each \`functions/*.ts\` bundled with the house construct's esbuild options (\`infra/bundling.ts\`:
ESM, minified, tree-shaken, the pinned AWS SDK bundled with Lambda's environment credentials
provider only); size of \`index.mjs\` without its source map; import time is the median of ${SAMPLES} fresh \`node\` processes each running \`await import(bundle)\` on this
machine (Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}). "before" is commit fad8c1d, when one composition root fed every function.
Beside it, in the same run, the naive alternative: the same code with every \`@aws-sdk/*\` package
left to the Lambda runtime (CDK's default), whose import loads the whole clients from \`node_modules\`.
"import ratio" is its import time over ours. Targets: select, plan, summarize and ingest ≤ 300 KB;
every bundle ≤ 600 KB; every import ≤ 100 ms (docs/decisions.md, "Lean Lambdas", says which we meet).

${bundlesTable(figures)}`;
  writeResultsSection(resultsPath, 'bundles', body);
}

export async function benchBundles(resultsPath: string): Promise<void> {
  console.error('bundling and importing each function…');
  const figures = await measureBundles({ compare: true });
  console.log(bundlesTable(figures));
  writeBundlesSection(figures, resultsPath);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const topArg = process.argv.indexOf('--top');
  const top = topArg > 0 ? Number(process.argv[topArg + 1]) : 0;
  const figures = await measureBundles({ top: top || 5, compare: true });
  console.log(bundlesTable(figures));
  if (top > 0) {
    for (const f of figures) {
      console.log(`\n${f.name}: ${f.top.map((t) => `${t.input} ${kb(t.bytes)} KB`).join(', ')}`);
    }
  }
}
