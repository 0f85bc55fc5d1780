/**
 * Shared input types of the preprocessing steps.
 */
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';

/**
 * Industry of each cell of a panel, as small integer codes into `industries`:
 *
 *   per date:  codes[t * nAssets + i] = industry index of asset i on date t (length nDates x nAssets)
 *   static:    codes[i]               = industry index of asset i on every date (length nAssets)
 *
 * −1 means "no industry" (the cell is left out of industry-wise steps and counted).
 * `MembershipAsOf` from src/data/pointInTime.ts has this shape (per date).
 */
export interface IndustryCodes {
  readonly industries: readonly string[];
  readonly codes: Int32Array;
}

/**
 * Check that `ind` fits panel `p` and return the accessor code(t, i) as a flag: `perDate` true when
 * codes are per date (nDates x nAssets), false when static (nAssets). Codes must be in
 * [−1, industries.length). Throws PREPROCESS_BAD_INDUSTRY otherwise.
 */
export function checkIndustryCodes(p: Panel, ind: IndustryCodes, step: string): { perDate: boolean } {
  const T = p.dates.length, N = p.assets.length;
  let perDate: boolean;
  if (ind.codes.length === T * N && T !== 1) perDate = true;
  else if (ind.codes.length === N) perDate = false;
  else {
    throw new RotationError('PREPROCESS_BAD_INDUSTRY',
      `Industry codes have ${ind.codes.length} entries; expected ${N} (one per asset) or ${T * N} (dates x assets)`,
      { step, dates: T, assets: N }, 'build the codes on the panel\'s own dates and assets, e.g. membershipAsOf(membership, scheme, panel.dates, panel.assets)');
  }
  const G = ind.industries.length;
  for (let k = 0; k < ind.codes.length; k++) {
    const c = ind.codes[k];
    if (c < -1 || c >= G) {
      throw new RotationError('PREPROCESS_BAD_INDUSTRY', `Industry code ${c} out of range [-1, ${G})`,
        { step, position: k }, 'codes index into `industries`; use -1 for "no industry"');
    }
  }
  return { perDate };
}
