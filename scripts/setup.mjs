// Project-local setup of the Jupyter side: a Python virtual environment in .venv with
// JupyterLab, nbconvert and nbclient (pinned in requirements-jupyter.txt). The tslab kernelspec
// lives in .jupyter/kernels/tslab and is found through JUPYTER_PATH; nothing installs globally.
//
//   node scripts/setup.mjs              always (re)install the pinned requirements
//   node scripts/setup.mjs --if-needed  skip when .venv already matches requirements-jupyter.txt
// Set SKIP_JUPYTER_SETUP=1 to skip entirely (e.g. when only the TypeScript side is needed).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const venv = path.join(root, '.venv');
const req = path.join(root, 'requirements-jupyter.txt');
const stamp = path.join(venv, '.requirements.sha256');
const ifNeeded = process.argv.includes('--if-needed');

if (process.env.SKIP_JUPYTER_SETUP === '1') {
  console.log('[setup] SKIP_JUPYTER_SETUP=1: Jupyter environment not touched');
  process.exit(0);
}

function findPython() {
  for (const cmd of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    try {
      const v = execFileSync(cmd, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
      const [maj, min] = v.split('.').map(Number);
      if (maj === 3 && min >= 10) return cmd;
      console.error(`[setup] ${cmd} is Python ${v}; need >= 3.10`);
    } catch { /* try the next candidate */ }
  }
  console.error('[setup] no Python >= 3.10 found. Install one (or set PYTHON=/path/to/python3) and rerun `npm run setup`.');
  process.exit(1);
}

/**
 * `.venv/package.json` = {"type": "commonjs"}: the project's package.json says "type": "module",
 * and Node applies the nearest package.json to every .js file below it, .venv included. JupyterLab
 * runs the bundled yarn (jupyter_builder/yarn.js, a CommonJS file) at start-up to read the npm
 * registry; as ESM it dies with `Dynamic require of "util" is not supported` and JupyterLab prints
 * the whole minified bundle. The marker makes everything inside .venv CommonJS again.
 */
function ensureCommonJsMarker() {
  const marker = path.join(venv, 'package.json');
  if (existsSync(venv) && !existsSync(marker)) {
    writeFileSync(marker, '{\n  "private": true,\n  "type": "commonjs"\n}\n');
    console.log('[setup] wrote .venv/package.json ("type": "commonjs") so JupyterLab\'s bundled yarn runs quietly');
  }
}

const wanted = createHash('sha256').update(readFileSync(req)).digest('hex');
const venvPython = path.join(venv, 'bin', 'python');
if (ifNeeded && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted && existsSync(venvPython)) {
  ensureCommonJsMarker();
  console.log('[setup] Jupyter environment up to date (.venv)');
  process.exit(0);
}

const py = findPython();
if (!existsSync(venvPython)) {
  console.log('[setup] creating .venv');
  execFileSync(py, ['-m', 'venv', venv], { stdio: 'inherit' });
}
console.log('[setup] installing Jupyter requirements into .venv (pinned in requirements-jupyter.txt)');
execFileSync(venvPython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', req], { stdio: 'inherit' });
writeFileSync(stamp, wanted + '\n');
ensureCommonJsMarker();
console.log('[setup] Jupyter ready: kernelspec .jupyter/kernels/tslab ("TypeScript (tslab)")');
