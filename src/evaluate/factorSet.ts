/**
 * A named set of factor panels, as a Map (e.g. from `computeFactors`) or a plain record, and
 * helpers to list it in a stable order.
 */
import { RotationError } from '../errors.js';
import type { FactorBatch } from '../factors/registry.js';
import { assertSameShape, type Panel } from '../panel/panel.js';

/** Factor panels by name. */
export type FactorSet = ReadonlyMap<string, Panel> | Readonly<Record<string, Panel>>;

/** The (name, panel) pairs of a factor set, in insertion order. */
export function factorEntries(set: FactorSet): [string, Panel][] {
  return set instanceof Map ? [...(set as ReadonlyMap<string, Panel>).entries()] : Object.entries(set as Record<string, Panel>);
}

/** The panels of a `computeFactors` batch by factor id (registry order): { id: result.panel }. */
export function panelsOf(batch: FactorBatch): Record<string, Panel> {
  const out: Record<string, Panel> = {};
  for (const [id, r] of batch.results) out[id] = r.panel;
  return out;
}

/**
 * The named panels of `set` (all of them, or `names` in that order), checked to share dates and
 * assets (PANEL_MISALIGNED otherwise). UNKNOWN_FACTOR (code `${prefix}_UNKNOWN_FACTOR`) names a
 * missing one; an empty selection is `${prefix}_NO_FACTORS`.
 */
export function selectFactors(set: FactorSet, names: readonly string[] | undefined, prefix: string): [string, Panel][] {
  const all = factorEntries(set);
  const byName = new Map(all);
  const picked: [string, Panel][] = names ? names.map((n) => {
    const p = byName.get(n);
    if (!p) {
      throw new RotationError(`${prefix}_UNKNOWN_FACTOR`, `No factor "${n}" in the factor set`, { factor: n, known: all.map(([k]) => k) },
        'use the names (ids) of the factor set, e.g. the keys of panelsOf(batch)');
    }
    return [n, p] as [string, Panel];
  }) : all;
  if (picked.length === 0) {
    throw new RotationError(`${prefix}_NO_FACTORS`, 'The factor set is empty', { argument: 'factors' }, 'pass at least one factor panel');
  }
  const seen = new Set<string>();
  for (const [n] of picked) {
    if (seen.has(n)) {
      throw new RotationError(`${prefix}_DUPLICATE_FACTOR`, `Factor "${n}" is listed twice`, { factor: n }, 'list each factor once');
    }
    seen.add(n);
  }
  for (let k = 1; k < picked.length; k++) assertSameShape(picked[0][1], picked[k][1]);
  return picked;
}
