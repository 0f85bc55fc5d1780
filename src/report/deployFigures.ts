/**
 * Deployment figures: previous vs target weight per industry (grouped bars) and the change.
 */
import type { TargetRow } from '../deploy/targets.js';
import { barChart } from './figures.js';
import type { Figure } from './plotly.js';

/** Grouped bars of previous (drifted) and target weight for every industry held before or after, in rank order. */
export function weightChangeFigure(rows: readonly TargetRow[], title: string): Figure {
  const moved = rows.filter((r) => r.targetWeight > 1e-9 || r.previousWeight > 1e-9);
  const x = moved.map((r) => `${r.industry} ${r.name}`);
  return barChart([
    { name: 'previous (drifted)', x, y: moved.map((r) => r.previousWeight) },
    { name: 'target', x, y: moved.map((r) => r.targetWeight) },
    { name: 'change', x, y: moved.map((r) => r.change) },
  ], { title, yTitle: 'weight', yFormat: '.0%' });
}
