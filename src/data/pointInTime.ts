/**
 * Point-in-time joins: what was known on each as-of date.
 *
 * Every sparse record (fundamental, forecast, membership change) carries the date it became known.
 * An as-of join picks, for each as-of date a and entity e, the latest record visible at a:
 *
 *   visible(r, a)  <=>  knownDate(r) <= a          (or < a with visibleOnKnownDate: false)
 *   pick(e, a)      =  argmax over { r : key(r) = e, visible(r, a) } of (knownDate, tieBreak, input position)
 *
 * so nothing computed for date a can read a value known after a. Records are sorted once by
 * (entity, knownDate, tieBreak, position) and each entity's as-of dates are swept with one pointer:
 * O(R log R + dates x entities), never dates x records.
 */
import { RotationError } from '../errors.js';
import { isIsoDate, type Panel } from '../panel/panel.js';
import { countLoss, newLossReport, type LossReport } from './loss.js';
import type { FundamentalRecord, MembershipRecord } from './types.js';

/** A field of R holding a V (by name), or a function reading it. */
export type Accessor<R, V> = ((r: R) => V) | { [K in keyof R]-?: R[K] extends V ? K : never }[keyof R];

function reader<R, V>(a: Accessor<R, V>): (r: R) => V {
  return typeof a === 'function' ? (a as (r: R) => V) : (r: R) => r[a as keyof R] as unknown as V;
}

export interface AsOfOptions<R> {
  /** Entity of a record, e.g. 'stock'. */
  key: Accessor<R, string>;
  /** Date (ISO) the record became known, e.g. 'announceDate'. */
  knownDate: Accessor<R, string>;
  /** Secondary order among records known on the same date, larger wins (e.g. 'reportPeriod'). */
  tieBreak?: Accessor<R, string | number>;
  /** As-of dates, ISO, strictly ascending. */
  asOfDates: readonly string[];
  /** Entities (columns of the result), unique. */
  entities: readonly string[];
  /** Data vintage: a record known after this date is an error (PIT_FUTURE_RECORD). */
  asOfLimit?: string;
  /** true (default): a record is visible on its knownDate; false: from the next as-of date on. */
  visibleOnKnownDate?: boolean;
  /** Name of the source in errors and the loss report. */
  source?: string;
}

/** Result of an as-of join: which record each (as-of date, entity) sees. */
export interface AsOfJoin<R> {
  asOfDates: string[];
  entities: string[];
  records: readonly R[];
  /** index[t * entities.length + i] = position in `records` of the record seen, -1 = none yet. */
  index: Int32Array;
  /** Records read / kept; dropped: entity not requested, shadowed exact duplicates. */
  loss: LossReport;
}

function checkDates(dates: readonly string[], what: string, source: string): void {
  if (dates.length === 0) {
    throw new RotationError('PIT_EMPTY', `No ${what}`, { source, argument: what }, `pass at least one ${what.replace(/s$/, '')}`);
  }
  for (let t = 0; t < dates.length; t++) {
    if (!isIsoDate(dates[t])) {
      throw new RotationError('PIT_BAD_DATE', `Unparseable date "${dates[t]}" in ${what}`, { source, argument: what, position: t },
        'write dates as ISO yyyy-mm-dd');
    }
    if (t > 0 && dates[t] <= dates[t - 1]) {
      throw new RotationError('PIT_UNSORTED_DATES', `${what} not strictly ascending: ${dates[t - 1]} then ${dates[t]}`,
        { source, argument: what, position: t }, 'sort the dates ascending and keep each once');
    }
  }
}

function indexEntities(entities: readonly string[], what: string, source: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < entities.length; i++) {
    if (m.has(entities[i])) {
      throw new RotationError('PIT_DUPLICATE_ENTITY', `Duplicate ${what} "${entities[i]}"`, { source, position: i },
        `list each ${what} once`);
    }
    m.set(entities[i], i);
  }
  return m;
}

/**
 * As-of join: for each as-of date a_t and entity e_i, the latest record visible at a_t
 * (see the module comment for the formula and tie-breaking). Records whose entity is not in
 * `entities` are counted in the loss report; exact duplicates on (entity, knownDate, tieBreak)
 * are resolved by input position (later wins) and the shadowed ones counted.
 *
 * Errors: bad or unsorted as-of dates (PIT_BAD_DATE, PIT_UNSORTED_DATES, PIT_EMPTY), duplicate
 * entities (PIT_DUPLICATE_ENTITY), a record with an unparseable knownDate (PIT_BAD_DATE), a
 * record known after `asOfLimit` (PIT_FUTURE_RECORD).
 */
export function asOfLatest<R>(records: readonly R[], options: AsOfOptions<R>): AsOfJoin<R> {
  const source = options.source ?? 'records';
  const keyOf = reader(options.key);
  const knownOf = reader(options.knownDate);
  const tieOf = options.tieBreak === undefined ? undefined : reader(options.tieBreak);
  checkDates(options.asOfDates, 'as-of dates', source);
  if (options.asOfLimit !== undefined && !isIsoDate(options.asOfLimit)) {
    throw new RotationError('PIT_BAD_DATE', `Unparseable asOfLimit "${options.asOfLimit}"`, { source, argument: 'asOfLimit' },
      'write dates as ISO yyyy-mm-dd');
  }
  const entityIdx = indexEntities(options.entities, 'entity', source);
  const loss = newLossReport('pointInTime:asOf', source);

  const R = records.length;
  const ent = new Int32Array(R);
  const known: string[] = new Array(R);
  const tie: (string | number)[] = new Array(R);
  const keep: number[] = [];
  for (let r = 0; r < R; r++) {
    const rec = records[r];
    const k = knownOf(rec);
    const e = keyOf(rec);
    if (typeof k !== 'string' || !isIsoDate(k)) {
      throw new RotationError('PIT_BAD_DATE', `Record has an unparseable known date "${String(k)}"`, { source, record: r, entity: String(e) },
        'write known dates as ISO yyyy-mm-dd');
    }
    if (options.asOfLimit !== undefined && k > options.asOfLimit) {
      throw new RotationError('PIT_FUTURE_RECORD', `Record known on ${k}, after the data vintage ${options.asOfLimit}`,
        { source, record: r, entity: String(e), knownDate: k, asOfLimit: options.asOfLimit },
        'the source leaks future information (a restated or back-filled record): drop it, or fix its known date');
    }
    loss.rowsRead++;
    const i = entityIdx.get(e);
    if (i === undefined) {
      countLoss(loss, 'entity not requested', 1, { record: r, entity: String(e) });
      continue;
    }
    ent[r] = i;
    known[r] = k;
    tie[r] = tieOf ? tieOf(rec) : 0;
    keep.push(r);
  }
  // Sort once: entity, knownDate, tieBreak, input position (all ascending; the last visible wins).
  keep.sort((a, b) => {
    if (ent[a] !== ent[b]) return ent[a] - ent[b];
    if (known[a] !== known[b]) return known[a] < known[b] ? -1 : 1;
    if (tie[a] !== tie[b]) return tie[a] < tie[b] ? -1 : 1;
    return a - b;
  });
  for (let p = 1; p < keep.length; p++) {
    const a = keep[p - 1], b = keep[p];
    if (ent[a] === ent[b] && known[a] === known[b] && tie[a] === tie[b]) {
      countLoss(loss, 'shadowed duplicate (same entity, knownDate, tieBreak; later input wins)', 1,
        { record: a, entity: options.entities[ent[a]], knownDate: known[a] });
    } else {
      loss.rowsKept++;
    }
  }
  if (keep.length > 0) loss.rowsKept++;

  const T = options.asOfDates.length, N = options.entities.length;
  const index = new Int32Array(T * N).fill(-1);
  const strict = options.visibleOnKnownDate === false;
  const used = new Uint8Array(R);
  let p = 0;
  while (p < keep.length) {
    const i = ent[keep[p]];
    let end = p;
    while (end < keep.length && ent[keep[end]] === i) end++;
    let q = p - 1; // last visible record of this entity
    for (let t = 0; t < T; t++) {
      const a = options.asOfDates[t];
      while (q + 1 < end && (strict ? known[keep[q + 1]] < a : known[keep[q + 1]] <= a)) q++;
      if (q >= p) {
        index[t * N + i] = keep[q];
        used[keep[q]] = 1;
      }
    }
    p = end;
  }
  let never = 0;
  for (const r of keep) if (!used[r]) never++;
  loss.notes.push(`${never} kept record(s) never seen at any as-of date (superseded between as-of dates, or known after the last one)`);
  return { asOfDates: [...options.asOfDates], entities: [...options.entities], records, index, loss };
}

/**
 * Numeric panel of an as-of join: value[t, i] = value(pick(e_i, a_t)), NaN where no record is
 * visible yet. A NaN in the picked record stays NaN (no fallback to an older record).
 */
export function asOfPanel<R>(join: AsOfJoin<R>, value: Accessor<R, number>): Panel {
  const read = reader(value);
  const values = new Float64Array(join.index.length).fill(NaN);
  for (let k = 0; k < values.length; k++) {
    const r = join.index[k];
    if (r >= 0) {
      const v = read(join.records[r]);
      values[k] = Number.isFinite(v) ? v : NaN;
    }
  }
  return { dates: [...join.asOfDates], assets: [...join.entities], values };
}

/** Numeric fields of a fundamental record. */
export type FundamentalField = { [K in keyof FundamentalRecord]-?: FundamentalRecord[K] extends number ? K : never }[keyof FundamentalRecord];

/**
 * Check fundamentals are plausibly point in time: ISO dates, and each report announced strictly
 * after its period ended (announceDate > reportPeriod). Throws PIT_BAD_DATE or
 * PIT_ANNOUNCED_BEFORE_PERIOD_END naming the record.
 */
export function checkFundamentalDates(records: readonly FundamentalRecord[], source = 'fundamentals'): void {
  for (let r = 0; r < records.length; r++) {
    const f = records[r];
    for (const field of ['reportPeriod', 'announceDate'] as const) {
      if (typeof f[field] !== 'string' || !isIsoDate(f[field])) {
        throw new RotationError('PIT_BAD_DATE', `Fundamental record has an unparseable ${field} "${String(f[field])}"`,
          { source, record: r, stock: f.stock, column: field }, 'write dates as ISO yyyy-mm-dd');
      }
    }
    if (f.announceDate <= f.reportPeriod) {
      throw new RotationError('PIT_ANNOUNCED_BEFORE_PERIOD_END',
        `Report for period ${f.reportPeriod} announced on ${f.announceDate}, on or before the period ended`,
        { source, record: r, stock: f.stock, reportPeriod: f.reportPeriod, announceDate: f.announceDate },
        'the announce date is probably the period end or a back-filled date: use the actual publication date');
    }
  }
}

export interface FundamentalAsOfOptions {
  asOfLimit?: string;
  visibleOnKnownDate?: boolean;
  source?: string;
}

/**
 * A fundamental field as of each date, from the latest announced report of each stock:
 *
 *   value[t, i] = field of argmax { f : f.stock = s_i, f.announceDate <= a_t } by (announceDate, reportPeriod)
 *
 * e.g. netProfit of the latest announced quarterly report at each month end. Checks the records
 * with `checkFundamentalDates` first. Returns the panel and the join (which record each cell saw).
 */
export function fundamentalAsOf(
  records: readonly FundamentalRecord[],
  field: FundamentalField,
  asOfDates: readonly string[],
  stocks: readonly string[],
  options: FundamentalAsOfOptions = {},
): { panel: Panel; join: AsOfJoin<FundamentalRecord> } {
  const source = options.source ?? 'fundamentals';
  checkFundamentalDates(records, source);
  const join = asOfLatest(records, {
    key: 'stock',
    knownDate: 'announceDate',
    tieBreak: 'reportPeriod',
    asOfDates,
    entities: stocks,
    asOfLimit: options.asOfLimit,
    visibleOnKnownDate: options.visibleOnKnownDate,
    source,
  });
  return { panel: asOfPanel(join, field), join };
}

/** Industry of each stock on each date under one classification scheme. */
export interface MembershipAsOf {
  scheme: string;
  dates: string[];
  stocks: string[];
  /** Industry codes; `codes` index into this list. */
  industries: string[];
  /** codes[t * stocks.length + i] = index into `industries`, -1 = no membership on that date. */
  codes: Int32Array;
  loss: LossReport;
}

/**
 * Industry membership as of each date, windows inclusive at both ends:
 *
 *   code[t, i] = industry of the record m with m.stock = s_i, m.scheme = scheme and
 *                m.validFrom <= d_t <= m.validTo   (validTo undefined = still valid), else -1.
 *
 * `industries` fixes the industry list (and so the code numbering); default: the scheme's
 * industries sorted. Errors: no record for the scheme (PIT_UNKNOWN_SCHEME), bad or reversed
 * windows (PIT_BAD_DATE, PIT_BAD_WINDOW), two windows of one stock sharing a day
 * (PIT_OVERLAPPING_MEMBERSHIP), an industry absent from `industries` (PIT_UNKNOWN_INDUSTRY),
 * bad dates or duplicate stocks (PIT_BAD_DATE, PIT_UNSORTED_DATES, PIT_DUPLICATE_ENTITY).
 */
export function membershipAsOf(
  membership: readonly MembershipRecord[],
  scheme: string,
  dates: readonly string[],
  stocks: readonly string[],
  options: { industries?: readonly string[]; source?: string } = {},
): MembershipAsOf {
  const source = options.source ?? 'membership';
  checkDates(dates, 'dates', source);
  const stockIdx = indexEntities(stocks, 'stock', source);
  const loss = newLossReport('pointInTime:membership', source);
  const ofScheme: number[] = [];
  const schemes = new Set<string>();
  for (let r = 0; r < membership.length; r++) {
    schemes.add(membership[r].scheme);
    if (membership[r].scheme === scheme) ofScheme.push(r);
  }
  if (ofScheme.length === 0) {
    throw new RotationError('PIT_UNKNOWN_SCHEME', `No membership record for scheme "${scheme}"`,
      { source, schemesPresent: [...schemes].sort() }, 'pass one of the schemes present in the data');
  }
  if (ofScheme.length < membership.length) {
    loss.notes.push(`${membership.length - ofScheme.length} record(s) of other schemes ignored`);
  }
  const industries = options.industries ? [...options.industries] : [...new Set(ofScheme.map((r) => membership[r].industry))].sort();
  const indIdx = indexEntities(industries, 'industry', source);

  const keep: number[] = [];
  for (const r of ofScheme) {
    const m = membership[r];
    for (const field of ['validFrom', 'validTo'] as const) {
      const d = m[field];
      if ((field === 'validFrom' || d !== undefined) && (typeof d !== 'string' || !isIsoDate(d))) {
        throw new RotationError('PIT_BAD_DATE', `Membership record has an unparseable ${field} "${String(d)}"`,
          { source, record: r, stock: m.stock, column: field }, 'write dates as ISO yyyy-mm-dd');
      }
    }
    if (m.validTo !== undefined && m.validTo < m.validFrom) {
      throw new RotationError('PIT_BAD_WINDOW', `Membership window ends (${m.validTo}) before it starts (${m.validFrom})`,
        { source, record: r, stock: m.stock, industry: m.industry }, 'swap or fix validFrom / validTo');
    }
    if (!indIdx.has(m.industry)) {
      throw new RotationError('PIT_UNKNOWN_INDUSTRY', `Industry "${m.industry}" is not in the industry list`,
        { source, record: r, stock: m.stock, industry: m.industry }, 'add it to options.industries or leave that option out');
    }
    loss.rowsRead++;
    if (!stockIdx.has(m.stock)) {
      countLoss(loss, 'stock not requested', 1, { record: r, stock: m.stock });
      continue;
    }
    loss.rowsKept++;
    keep.push(r);
  }
  const si = keep.map((r) => stockIdx.get(membership[r].stock)!);
  const order = keep.map((_, k) => k);
  order.sort((a, b) => (si[a] !== si[b] ? si[a] - si[b] : membership[keep[a]].validFrom < membership[keep[b]].validFrom ? -1
    : membership[keep[a]].validFrom > membership[keep[b]].validFrom ? 1 : keep[a] - keep[b]));

  const T = dates.length, N = stocks.length;
  const codes = new Int32Array(T * N).fill(-1);
  let p = 0;
  while (p < order.length) {
    const i = si[order[p]];
    let end = p;
    while (end < order.length && si[order[end]] === i) end++;
    for (let q = p + 1; q < end; q++) {
      const prev = membership[keep[order[q - 1]]], cur = membership[keep[order[q]]];
      if (prev.validTo === undefined || cur.validFrom <= prev.validTo) {
        throw new RotationError('PIT_OVERLAPPING_MEMBERSHIP',
          `Stock ${cur.stock} is in ${prev.industry} (${prev.validFrom}..${prev.validTo ?? 'open'}) and ${cur.industry} (from ${cur.validFrom}) on the same day(s)`,
          { source, stock: cur.stock, scheme, records: [keep[order[q - 1]], keep[order[q]]] },
          'windows are inclusive at both ends: end the old window the day before the new one starts');
      }
    }
    // Windows of one stock are disjoint and sorted, so one pointer sweeps the dates.
    let q = p;
    for (let t = 0; t < T; t++) {
      const d = dates[t];
      while (q < end && membership[keep[order[q]]].validTo !== undefined && membership[keep[order[q]]].validTo! < d) q++;
      if (q === end) break;
      const m = membership[keep[order[q]]];
      if (m.validFrom <= d) codes[t * N + i] = indIdx.get(m.industry)!;
    }
    p = end;
  }
  return { scheme, dates: [...dates], stocks: [...stocks], industries, codes, loss };
}
