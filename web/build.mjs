// Builds the browser side into build/web (run from anywhere: `node web/build.mjs`).
//   booking-widget.js      the one-line install's script (no-cache, ETag)
//   booking-widget.<h>.js  the same, content-hashed, for sites that pin a version
//   booking-widget-details.<h>.js  the steps after a time is chosen, which the widget loads
//                          right after its first paint (src/widget/details_chunk.js)
//   slot-engine.<h>.js/.wasm  hashed copies of the lead's wasm build, which the widget
//                          loads: immutable, cached for a year (docs/api.md)
//   slot-engine-api.mjs    the engine's JS API as an ES module, for clinic developers
//   manage.js, manage.html the booking management page (/manage)
//   staff/index.html, staff/staff.<h>.js, staff/staff.<h>.css  the staff app (/staff)
//   demo/index.html        the demo clinic website (/)
// The unhashed slot-engine.js/.wasm written by the wasm build stay for direct use.
// Every .js/.mjs/.wasm/.html also gets precompressed NAME.br and NAME.gz siblings.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(webDir, '..', 'build', 'web');
const HASHED = /\.[0-9a-f]{10}\.(js|wasm|mjs|css)$/;

function ensureDependencies() {
  const installed = path.join(webDir, 'node_modules', '.package-lock.json');
  const lock = path.join(webDir, 'package-lock.json');
  if (!fs.existsSync(installed) || fs.statSync(lock).mtimeMs > fs.statSync(installed).mtimeMs) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: webDir, stdio: 'inherit' });
  }
}

const contentHash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 10);

/**
 * Writes `bytes` as name.<hash>.ext next to the plain name (in `dir`, relative to the
 * output); returns the hashed file name.
 */
function writeHashed(name, bytes, dir = '') {
  const ext = path.extname(name);
  const hashed = `${path.basename(name, ext)}.${contentHash(bytes)}${ext}`;
  // same name, same bytes: leave it (and its precompressed siblings) untouched
  const file = path.join(outDir, dir, hashed);
  if (!fs.existsSync(file)) fs.writeFileSync(file, bytes);
  return hashed;
}

/** Removes hashed files in `dir` (relative to the output) that this build did not write. */
function removeOldHashedFiles(keep, dir = '') {
  for (const file of fs.readdirSync(path.join(outDir, dir))) {
    const base = file.replace(/\.(br|gz)$/, '');
    if (HASHED.test(base) && !keep.has(base)) fs.rmSync(path.join(outDir, dir, file));
  }
}

// Compressing at build time, once and at the strongest settings, spares the server from
// compressing per request (brotli at quality 11 costs ~100 ms for the widget script) and
// lets it send the .wasm compressed at all. See docs/api.md, "Static files".
const COMPRESSIBLE = /\.(js|mjs|wasm|html|css)$/;

function writePrecompressed() {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (COMPRESSIBLE.test(entry.name)) files.push(full);
    }
  };
  walk(outDir);
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    const stamp = fs.statSync(file).mtimeMs;
    const fresh = (sibling) => fs.existsSync(sibling) && fs.statSync(sibling).mtimeMs >= stamp;
    if (!fresh(`${file}.gz`)) fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }));
    if (!fresh(`${file}.br`)) {
      fs.writeFileSync(
        `${file}.br`,
        zlib.brotliCompressSync(bytes, {
          params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
        }),
      );
    }
  }
}

async function main() {
  ensureDependencies();
  const esbuild = await import('esbuild');
  fs.mkdirSync(path.join(outDir, 'demo'), { recursive: true });
  const keep = new Set();

  // The engine comes from the wasm build; without it the widget still builds (and says so
  // at run time), which lets the UI be worked on before the C++ side is built.
  const engineNames = { js: 'slot-engine.js', wasm: 'slot-engine.wasm' };
  for (const kind of ['js', 'wasm']) {
    const file = path.join(outDir, engineNames[kind]);
    if (fs.existsSync(file)) {
      engineNames[kind] = writeHashed(engineNames[kind], fs.readFileSync(file));
      keep.add(engineNames[kind]);
    } else {
      console.warn(`web/build.mjs: ${path.relative(process.cwd(), file)} is missing (run the wasm build first)`);
    }
  }

  const common = {
    bundle: true,
    minify: true,
    legalComments: 'none',
    target: ['chrome100', 'firefox100', 'safari15.4'],
    write: false,
    logLevel: 'warning',
  };
  const bundle = async (entry, format, define = {}) =>
    (await esbuild.build({ ...common, entryPoints: [path.join(webDir, entry)], format, define })).outputFiles[0]
      .contents;

  const engineDefines = {
    __SLOT_ENGINE_JS__: JSON.stringify(engineNames.js),
    __SLOT_ENGINE_WASM__: JSON.stringify(engineNames.wasm),
  };
  const { widget, details, detailsName } = await widgetBundles(esbuild, common, engineDefines);
  fs.writeFileSync(path.join(outDir, 'booking-widget.js'), widget);
  keep.add(writeHashed('booking-widget.js', widget));
  keep.add(writeHashed('booking-widget-details.js', details)); // the name widgetBundles gave it

  const manage = await bundle('src/manage/index.js', 'iife', engineDefines);
  fs.writeFileSync(path.join(outDir, 'manage.js'), manage);

  fs.writeFileSync(path.join(outDir, 'slot-engine-api.mjs'), await bundle('src/engine.js', 'esm'));

  // The staff app: its own folder, served only at /staff (same origin, strict CSP), its
  // page naming the hashed script and stylesheet so both can be cached for a year.
  fs.mkdirSync(path.join(outDir, 'staff'), { recursive: true });
  const staffKeep = new Set();
  const staffScript = writeHashed('staff.js', await bundle('src/staff/index.js', 'esm', engineDefines), 'staff');
  const staffStyles = writeHashed(
    'staff.css',
    fs.readFileSync(path.join(webDir, 'src', 'staff', 'staff.css')),
    'staff',
  );
  staffKeep.add(staffScript).add(staffStyles);
  fs.writeFileSync(
    path.join(outDir, 'staff', 'index.html'),
    fs
      .readFileSync(path.join(webDir, 'staff.html'), 'utf8')
      .replaceAll('%STAFF_SCRIPT%', `/staff/assets/${staffScript}`)
      .replaceAll('%STAFF_STYLES%', `/staff/assets/${staffStyles}`),
  );
  removeOldHashedFiles(staffKeep, 'staff');
  fs.copyFileSync(path.join(webDir, 'manage.html'), path.join(outDir, 'manage.html'));
  fs.copyFileSync(path.join(webDir, 'demo', 'index.html'), path.join(outDir, 'demo', 'index.html'));
  removeOldHashedFiles(keep);
  writePrecompressed();

  const gz = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;
  const report = [['booking-widget.js', widget]];
  for (const name of [engineNames.js, engineNames.wasm]) {
    const file = path.join(outDir, name);
    if (fs.existsSync(file)) report.push([name, fs.readFileSync(file)]);
  }
  let total = 0;
  const line = (name, bytes) =>
    `web/build.mjs: ${name.padEnd(40)} ${String(bytes.length).padStart(7)} B, ${String(gz(bytes)).padStart(6)} B gzip`;
  for (const [name, bytes] of report) {
    total += gz(bytes);
    console.log(line(name, bytes));
  }
  console.log(`web/build.mjs: first load (widget + engine)              ${String(total).padStart(6)} B gzip`);
  console.log(`${line(detailsName, details)} (after the first paint)`);
}

// ---- the widget's two scripts ---------------------------------------------------------------

const WIDGET_ENTRY = path.join(webDir, 'src', 'widget', 'index.js');
const DETAILS_ENTRY = path.join(webDir, 'src', 'widget', 'details.js');
const SHARED_MODULES = 'widget-shared-modules';
// The details chunk runs inside this function: `shared` is its parameter (details_chunk.js).
const CHUNK_PARAMETER = '__widgetModules';

/** The source files an esbuild bundle of `options` reads. */
async function inputsOf(esbuild, options) {
  // Its paths are relative to esbuild's working directory, here web/ whatever the caller's.
  const { metafile } = await esbuild.build({ ...options, absWorkingDir: webDir, metafile: true });
  return new Set(Object.keys(metafile.inputs).map((input) => path.resolve(webDir, input)));
}

/** Resolves `widget-shared-modules` to `contents(shared)` (an esbuild plugin). */
const sharedModulesPlugin = (contents) => ({
  name: SHARED_MODULES,
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${SHARED_MODULES}$`) }, () => ({
      path: SHARED_MODULES,
      namespace: 'shared',
    }));
    build.onLoad({ filter: /.*/, namespace: 'shared' }, () => ({ contents: contents(), resolveDir: webDir }));
  },
});

/**
 * booking-widget.js and its details chunk. The chunk's own modules are bundled into it; those
 * the widget script has too are not bundled twice but taken from it at run time: the widget
 * hands them over as `widget-shared-modules` (an object of module namespaces by file), and in
 * the chunk an import of one becomes a read of that object. Which they are follows from the
 * two module graphs, so no list is kept by hand.
 */
async function widgetBundles(esbuild, common, engineDefines) {
  const key = (file) => path.relative(webDir, file).split(path.sep).join('/');
  const detailsInputs = await inputsOf(esbuild, { ...common, entryPoints: [DETAILS_ENTRY], format: 'iife' });
  let shared = [];
  const sharedExports = () =>
    `${shared.map((file, i) => `import * as m${i} from ${JSON.stringify(file)};`).join('\n')}
export default { ${shared.map((file, i) => `${JSON.stringify(key(file))}: m${i}`).join(', ')} };`;
  const widgetOptions = (define) => ({
    ...common,
    entryPoints: [WIDGET_ENTRY],
    format: 'iife',
    define: { ...engineDefines, ...define },
    plugins: [sharedModulesPlugin(sharedExports)],
  });
  const widgetInputs = await inputsOf(esbuild, widgetOptions({}));
  shared = [...detailsInputs].filter((file) => widgetInputs.has(file) && file !== DETAILS_ENTRY).sort();

  const fromWidget = {
    name: 'from-widget-script',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        const file = path.resolve(args.resolveDir, args.path);
        return shared.includes(file) ? { path: key(file), namespace: 'from-widget' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'from-widget' }, (args) => ({
        contents: `module.exports = ${CHUNK_PARAMETER}[${JSON.stringify(args.path)}];`,
      }));
    },
  };
  const details = (
    await esbuild.build({
      ...common,
      entryPoints: [DETAILS_ENTRY],
      format: 'iife',
      globalName: '__details',
      banner: {
        js: `document.currentScript.dispatchEvent(new CustomEvent("clinic-booking:chunk",{detail:function(${CHUNK_PARAMETER}){`,
      },
      footer: { js: 'return __details}}));' },
      plugins: [fromWidget],
    })
  ).outputFiles[0].contents;
  const detailsName = `booking-widget-details.${contentHash(details)}.js`;
  const widget = (await esbuild.build(widgetOptions({ __DETAILS_CHUNK__: JSON.stringify(detailsName) }))).outputFiles[0]
    .contents;
  return { widget, details, detailsName };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
