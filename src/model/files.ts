/**
 * Model spec files: `models/default.json` (the model), `models/comparison.json` (the ordered set
 * every run compares), one spec per baseline under `models/baselines/`. Paths in the comparison
 * file are relative to it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { RotationError } from '../errors.js';
import { parseModelSpec, specHash, type ModelSpec } from './spec.js';

/** The project's models folder (relative to the working directory, the project root). */
export const MODELS_DIR = 'models';
export const DEFAULT_MODEL_FILE = path.join(MODELS_DIR, 'default.json');
export const COMPARISON_FILE = path.join(MODELS_DIR, 'comparison.json');

/** Read and validate a spec file. MODEL_SPEC_NOT_FOUND when missing; parse/validation errors name the file. */
export function loadModelSpec(file: string): ModelSpec {
  if (!existsSync(file) || statSync(file).isDirectory()) {
    throw new RotationError('MODEL_SPEC_NOT_FOUND', `The model spec ${file} does not exist${existsSync(file) ? ' (it is a folder)' : ''}`, { file },
      `pass a spec file such as ${DEFAULT_MODEL_FILE} (copy it and edit it to make a variant)`);
  }
  return parseModelSpec(readFileSync(file, 'utf8'), file);
}

/** The comparison set (comparison.json order), each spec with its file. */
export function loadComparisonSpecs(file = COMPARISON_FILE): { file: string; spec: ModelSpec }[] {
  if (!existsSync(file)) {
    throw new RotationError('MODEL_SPEC_NOT_FOUND', `The comparison set ${file} does not exist`, { file }, 'restore models/comparison.json from the repository');
  }
  let list: unknown;
  try { list = (JSON.parse(readFileSync(file, 'utf8')) as { specs?: unknown }).specs; } catch (e) {
    throw new RotationError('MODEL_SPEC_NOT_JSON', `${file} is not valid JSON: ${(e as Error).message}`, { file }, 'fix the JSON');
  }
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
    throw new RotationError('MODEL_BAD_PARAMETER', `${file} must hold { "specs": ["file.json", ...] }`, { file, parameter: 'specs' }, 'list spec files relative to the comparison file');
  }
  return (list as string[]).map((f) => { const p = path.join(path.dirname(file), f); return { file: p, spec: loadModelSpec(p) }; });
}

/** `primary` first, then the comparison set without any spec of the same hash. */
export function strategySet(primary: ModelSpec, comparison: readonly { spec: ModelSpec }[]): ModelSpec[] {
  const seen = new Set([specHash(primary)]);
  const out = [primary];
  for (const { spec } of comparison) {
    const h = specHash(spec);
    if (!seen.has(h)) { seen.add(h); out.push(spec); }
  }
  return out;
}
