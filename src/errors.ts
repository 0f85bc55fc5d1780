/**
 * Named, actionable errors. Every boundary that rejects input throws a `RotationError` that says
 * what is wrong, where (file, row, column, date, asset, cell) and how to fix it.
 *
 * `code` is a stable machine-readable identifier (tests assert on it); `message` is the
 * human-readable sentence "<what> (<where>). Fix: <fix>".
 */
export type Where = Record<string, string | number | readonly (string | number)[] | undefined>;

export class RotationError extends Error {
  readonly code: string;
  readonly what: string;
  readonly where: Where;
  readonly fix: string;

  constructor(code: string, what: string, where: Where, fix: string) {
    super(formatMessage(what, where, fix));
    this.name = 'RotationError';
    this.code = code;
    this.what = what;
    this.where = where;
    this.fix = fix;
  }
}

/** Render a `where` record as `key=value, key=[a, b, …]`, listing at most 10 items per array. */
export function formatWhere(where: Where): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(where)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      const shown = v.slice(0, 10).join(', ');
      parts.push(`${k}=[${shown}${v.length > 10 ? `, … ${v.length - 10} more` : ''}]`);
    } else {
      parts.push(`${k}=${v}`);
    }
  }
  return parts.join(', ');
}

function formatMessage(what: string, where: Where, fix: string): string {
  const w = formatWhere(where);
  return `${what}${w ? ` (${w})` : ''}. Fix: ${fix}`;
}
