/**
 * The canonical tables in Parquet, through DuckDB (@duckdb/node-api), for large universes.
 *
 * - `writeParquet(data, file)`: an arquero table, an array of row objects or a parsed `CsvTable`
 *   → one Parquet file (zstd). Numbers (and bigint) → DOUBLE, strings → VARCHAR, booleans →
 *   BOOLEAN, `Date` → VARCHAR ISO date (UTC day), NaN / null / undefined → NULL. Dates stay ISO text
 *   and codes stay text (000001 keeps its zeros).
 * - `readParquet(file)`: → arquero table; every numeric Parquet type is cast to DOUBLE in SQL (no
 *   bigint reaches JS), NULL → NaN for numbers and '' for text, DATE / TIMESTAMP → ISO text.
 * - `readParquetTable(file, table)`: → a `CsvTable` with the schema's numeric columns as
 *   `Float64Array`s, ready for the validators in schema.ts (same checks as a CSV file).
 *
 * Each call opens and closes its own in-memory DuckDB instance (no module-level state).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance, DuckDBDataChunk, DOUBLE, VARCHAR, BOOLEAN, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { table as aqTable, type ColumnTable } from 'arquero';
import { RotationError } from '../errors.js';
import { NUM_BLANK, NUM_OK, displayPath, type CsvTable } from './csv.js';
import { SCHEMAS, schemaFor, type TableName } from './schema.js';

/** A column of plain values: text, numbers (NaN = missing) or booleans. */
export type ColumnValues = string[] | Float64Array | boolean[];

/** Columns by name, all of length `nRows`. */
export interface ColumnData {
  names: string[];
  columns: Record<string, ColumnValues>;
  nRows: number;
}

type Input = ColumnTable | readonly Record<string, unknown>[] | CsvTable;

function isArquero(x: unknown): x is ColumnTable {
  return typeof (x as ColumnTable)?.columnNames === 'function' && typeof (x as ColumnTable)?.numRows === 'function';
}

function isCsvTable(x: unknown): x is CsvTable {
  const t = x as CsvTable;
  return !!t && Array.isArray(t.header) && typeof t.nRows === 'number' && typeof t.text === 'object' && typeof t.num === 'object';
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Turn one column's raw values into a typed column; throws `DATA_PARQUET_MIXED_TYPES` on mixed kinds. */
function typedColumn(name: string, raw: ArrayLike<unknown>): ColumnValues {
  if (raw instanceof Float64Array) return raw;
  const n = raw.length;
  let kind: 'number' | 'string' | 'boolean' | undefined;
  for (let i = 0; i < n; i++) {
    const v = raw[i];
    if (v === null || v === undefined) continue;
    const k = typeof v === 'number' || typeof v === 'bigint' ? 'number' : typeof v === 'string' || v instanceof Date ? 'string' : typeof v === 'boolean' ? 'boolean' : undefined;
    if (k === undefined) {
      throw new RotationError('DATA_PARQUET_BAD_VALUE', `Column ${name} holds a ${typeof v} value (row ${i})`, { column: name, row: i },
        'write only numbers, strings, booleans or dates to Parquet');
    }
    if (kind === undefined) kind = k;
    else if (kind !== k) {
      throw new RotationError('DATA_PARQUET_MIXED_TYPES', `Column ${name} mixes ${kind} and ${k} values (first at row ${i})`, { column: name, row: i },
        'make the column one type (e.g. keep codes as strings everywhere)');
    }
  }
  if (kind === 'number' || (kind === undefined && ArrayBuffer.isView(raw))) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = raw[i];
      out[i] = v === null || v === undefined ? NaN : Number(v as number | bigint);
    }
    return out;
  }
  if (kind === 'boolean') return Array.from({ length: n }, (_, i) => raw[i] as boolean);
  return Array.from({ length: n }, (_, i) => {
    const v = raw[i];
    return v === null || v === undefined ? '' : v instanceof Date ? isoDay(v) : (v as string);
  });
}

/** Columns of an arquero table, row objects or a CsvTable. */
export function toColumnData(data: Input): ColumnData {
  if (isArquero(data)) {
    const names = data.columnNames();
    const columns: Record<string, ColumnValues> = {};
    for (const nm of names) columns[nm] = typedColumn(nm, data.array(nm) as ArrayLike<unknown>);
    return { names, columns, nRows: data.numRows() };
  }
  if (isCsvTable(data)) {
    const names = data.header.filter((h) => h !== '' && (data.text[h] || data.num[h]));
    const columns: Record<string, ColumnValues> = {};
    for (const nm of names) columns[nm] = data.num[nm] ?? data.text[nm];
    return { names, columns, nRows: data.nRows };
  }
  const rows = data as readonly Record<string, unknown>[];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); names.push(k); }
  const columns: Record<string, ColumnValues> = {};
  for (const nm of names) columns[nm] = typedColumn(nm, rows.map((r) => r[nm]));
  return { names, columns, nRows: rows.length };
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const quoteString = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

const CHUNK = 2048;

/**
 * Write a table to one Parquet file (zstd); the parent folder must exist. Returns the row count.
 * Throws `DATA_EMPTY_TABLE` for no columns, `DATA_PARQUET_MIXED_TYPES` for a column mixing kinds.
 */
export async function writeParquet(data: Input, file: string): Promise<{ rows: number; file: string }> {
  const shown = displayPath(file);
  let cd: ColumnData;
  try {
    cd = toColumnData(data);
  } catch (e) {
    if (e instanceof RotationError) throw new RotationError(e.code, e.what, { file: shown, ...e.where }, e.fix);
    throw e;
  }
  if (cd.names.length === 0) {
    throw new RotationError('DATA_EMPTY_TABLE', 'Nothing to write: the table has no columns', { file: shown }, 'pass a table with at least one column');
  }
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) {
    throw new RotationError('DATA_DIR_NOT_FOUND', `Folder ${displayPath(dir)} does not exist`, { file: shown }, 'create the folder first');
  }
  const types: DuckDBType[] = cd.names.map((n) => {
    const c = cd.columns[n];
    return c instanceof Float64Array ? DOUBLE : typeof c[0] === 'boolean' ? BOOLEAN : VARCHAR;
  });
  await withConnection(async (conn) => {
    const cols = cd.names.map((n, j) => `${quoteIdent(n)} ${types[j] === DOUBLE ? 'DOUBLE' : types[j] === BOOLEAN ? 'BOOLEAN' : 'VARCHAR'}`).join(', ');
    await conn.run(`CREATE TABLE t (${cols})`);
    const app = await conn.createAppender('t');
    try {
      for (let s = 0; s < cd.nRows; s += CHUNK) {
        const e = Math.min(cd.nRows, s + CHUNK);
        const chunk = DuckDBDataChunk.create(types, e - s);
        for (let j = 0; j < cd.names.length; j++) {
          const c = cd.columns[cd.names[j]];
          const vals: (number | string | boolean | null)[] = new Array(e - s);
          if (c instanceof Float64Array) for (let i = s; i < e; i++) vals[i - s] = Number.isNaN(c[i]) ? null : c[i];
          else for (let i = s; i < e; i++) vals[i - s] = c[i];
          chunk.setColumnValues(j, vals);
        }
        app.appendDataChunk(chunk);
      }
      app.flushSync();
    } finally {
      app.closeSync();
    }
    await conn.run(`COPY t TO ${quoteString(path.resolve(file))} (FORMAT parquet, COMPRESSION zstd)`);
  });
  return { rows: cd.nRows, file: shown };
}

const NUMERIC_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*)$/i;

/** Read a Parquet file into columns (numbers as Float64Array with NaN for NULL, text with '' for NULL). */
export async function readParquetColumns(file: string): Promise<ColumnData> {
  const shown = displayPath(file);
  if (!fs.existsSync(file)) {
    throw new RotationError('DATA_FILE_NOT_FOUND', `File not found: ${shown}`, { file: shown }, 'check the path of the Parquet file');
  }
  return withConnection(async (conn) => {
    const src = `read_parquet(${quoteString(path.resolve(file))})`;
    let desc;
    try {
      desc = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`);
    } catch (e) {
      throw new RotationError('DATA_PARQUET_UNREADABLE', `Not a readable Parquet file: ${(e as Error).message.split('\n')[0]}`, { file: shown },
        'write the file with writeParquet or another Parquet writer');
    }
    const descRows = desc.getRowObjectsJS() as { column_name: string; column_type: string }[];
    const names = descRows.map((r) => String(r.column_name));
    const kinds = descRows.map((r) => {
      const ty = String(r.column_type);
      if (NUMERIC_TYPES.test(ty)) return 'number' as const;
      if (ty === 'BOOLEAN') return 'boolean' as const;
      if (ty === 'DATE') return 'date' as const;
      if (ty.startsWith('TIMESTAMP')) return 'timestamp' as const;
      return 'string' as const;
    });
    const select = names.map((n, j) => {
      const q = quoteIdent(n);
      switch (kinds[j]) {
        case 'number': return `CAST(${q} AS DOUBLE) AS ${q}`;
        case 'date': return `strftime(${q}, '%Y-%m-%d') AS ${q}`;
        case 'timestamp': return `strftime(${q}, '%Y-%m-%d %H:%M:%S') AS ${q}`;
        case 'boolean': return q;
        default: return `CAST(${q} AS VARCHAR) AS ${q}`;
      }
    }).join(', ');
    const result = await conn.run(`SELECT ${select} FROM ${src}`);
    const parts: (number | string | boolean | null)[][][] = names.map(() => []);
    let nRows = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      nRows += chunk.rowCount;
      for (let j = 0; j < names.length; j++) parts[j].push(chunk.getColumnValues(j) as (number | string | boolean | null)[]);
    }
    const columns: Record<string, ColumnValues> = {};
    names.forEach((n, j) => {
      if (kinds[j] === 'number') {
        const out = new Float64Array(nRows);
        let k = 0;
        for (const p of parts[j]) for (const v of p) out[k++] = v === null ? NaN : (v as number);
        columns[n] = out;
      } else if (kinds[j] === 'boolean') {
        const out: boolean[] = [];
        for (const p of parts[j]) for (const v of p) out.push(v === true);
        columns[n] = out;
      } else {
        const out: string[] = [];
        for (const p of parts[j]) for (const v of p) out.push(v === null ? '' : String(v));
        columns[n] = out;
      }
    });
    return { names, columns, nRows };
  });
}

/** Read a Parquet file into an arquero table (numbers as Float64Array, NaN for NULL). */
export async function readParquet(file: string): Promise<ColumnTable> {
  const cd = await readParquetColumns(file);
  const cols: Record<string, ColumnValues> = {};
  for (const n of cd.names) cols[n] = cd.columns[n];
  return aqTable(cols as Record<string, unknown[] | Float64Array>);
}

/**
 * Read a canonical table from Parquet as a `CsvTable` for the schema validators: the schema's
 * numeric fields become numeric columns (a text column holding numbers is parsed), everything
 * else stays text. Example: `validateIndustryBars(await readParquetTable(f, 'industry_bars'))`.
 */
export async function readParquetTable(file: string, table: TableName): Promise<CsvTable> {
  schemaFor(table);
  const cd = await readParquetColumns(file);
  const numeric = new Set(SCHEMAS[table].fields.filter((x) => x.type === 'number' || x.type === 'integer').map((x) => x.name));
  const t: CsvTable = {
    source: displayPath(file), header: [...cd.names], nRows: cd.nRows, text: {}, num: {}, numStatus: {}, badText: {},
    lines: Int32Array.from({ length: cd.nRows }, (_, i) => i + 1), skipped: [], encoding: 'utf-8', bom: false, gzip: false,
    delimiter: '', notes: ['read from Parquet; "line" in examples is the 1-based row number'],
  };
  for (const n of cd.names) {
    const c = cd.columns[n];
    if (c instanceof Float64Array) {
      if (numeric.has(n)) {
        t.num[n] = c;
        const st = new Uint8Array(c.length);
        for (let i = 0; i < c.length; i++) st[i] = Number.isNaN(c[i]) ? NUM_BLANK : NUM_OK;
        t.numStatus[n] = st;
      } else {
        t.text[n] = Array.from(c, (x) => (Number.isNaN(x) ? '' : String(x)));
      }
    } else {
      t.text[n] = (c as (string | boolean)[]).map((x) => String(x));
    }
  }
  return t;
}
