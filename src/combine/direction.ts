/**
 * Direction alignment: multiply lower-is-better factors by −1 so that, for every factor, a higher
 * value is expected to outperform (positive IC). Directions come from the factor registry
 * (`FactorDefinition.direction`) unless given explicitly.
 *
 *   aligned_f[t, i] = d_f · f[t, i],   d_f ∈ {+1, −1}
 */
import { RotationError } from '../errors.js';
import { factorEntries, type FactorSet } from '../evaluate/factorSet.js';
import { factorRegistry } from '../factors/registry.js';
import { mapValues, type Panel } from '../panel/panel.js';

/**
 * Direction of each named factor: `overrides[name]` when given, else the registry's direction for
 * that id. COMBINE_UNKNOWN_DIRECTION for a name that is neither (e.g. a custom factor), and
 * COMBINE_BAD_ARGUMENT for an override other than 1 or −1.
 */
export function factorDirections(names: readonly string[], overrides: Readonly<Record<string, number>> = {}): Record<string, 1 | -1> {
  const registry = new Map(factorRegistry().map((f) => [f.id, f.direction]));
  const out: Record<string, 1 | -1> = {};
  for (const n of names) {
    const o = overrides[n];
    if (o !== undefined) {
      if (o !== 1 && o !== -1) {
        throw new RotationError('COMBINE_BAD_ARGUMENT', `Direction of "${n}" must be 1 or -1, got ${o}`, { factor: n }, 'pass 1 (higher is better) or -1 (lower is better)');
      }
      out[n] = o;
      continue;
    }
    const d = registry.get(n);
    if (d === undefined) {
      throw new RotationError('COMBINE_UNKNOWN_DIRECTION', `No direction for factor "${n}": it is not in the registry and no override was given`,
        { factor: n }, `pass directions: { ${n}: 1 } (higher is better) or { ${n}: -1 } (lower is better)`);
    }
    out[n] = d;
  }
  return out;
}

/**
 * The factors with lower-is-better ones multiplied by −1 (aligned_f = d_f · f), by name, in the
 * set's order. Panels with d_f = +1 are returned as is (not copied).
 */
export function alignDirection(factors: FactorSet, overrides: Readonly<Record<string, number>> = {}): Record<string, Panel> {
  const entries = factorEntries(factors);
  const dirs = factorDirections(entries.map(([n]) => n), overrides);
  const out: Record<string, Panel> = {};
  for (const [n, p] of entries) out[n] = dirs[n] === 1 ? p : mapValues(p, (v) => -v);
  return out;
}
