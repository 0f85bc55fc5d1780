/**
 * Downloader for Kenneth French industry portfolio files, for users who are online:
 *
 *   https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/<N>_Industry_Portfolios_CSV.zip
 *     -> unzip (one CSV entry) -> data/french/<N>_Industry_Portfolios.CSV -> validated by the parser.
 *
 * The zip reader is minimal and dependency-free: it reads the end-of-central-directory record,
 * takes the single entry, and inflates it with node:zlib `inflateRawSync` (method 8) or copies it
 * (method 0), checking the uncompressed size and CRC-32 from the central directory.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { RotationError } from '../errors.js';
import { FRENCH_INDUSTRY_COUNTS, parseFrenchIndustryFile, type FrenchIndustryCount, type FrenchIndustryFile } from './french.js';

const FRENCH_FTP = 'https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp';
const SIG_EOCD = 0x06054b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

/** URL of the zipped CSV for `n` industries. */
export function frenchIndustryZipUrl(n: FrenchIndustryCount): string {
  return `${FRENCH_FTP}/${n}_Industry_Portfolios_CSV.zip`;
}

/** Where the downloader writes the CSV: `<project root>/data/french/<N>_Industry_Portfolios.CSV`. */
export function frenchDownloadedFile(n: FrenchIndustryCount, dir = path.resolve(process.cwd(), 'data/french')): string {
  return path.join(dir, `${n}_Industry_Portfolios.CSV`);
}

/**
 * Parse the downloader's command-line arguments: exactly one industry count N in
 * {5, 10, 12, 17, 30, 38, 48, 49}. Throws FRENCH_BAD_ARGUMENT otherwise.
 */
export function parseIndustryCountArg(args: readonly string[]): FrenchIndustryCount {
  const usage = `npm run data:french -- <N>, N one of ${FRENCH_INDUSTRY_COUNTS.join(', ')}`;
  if (args.length !== 1) {
    throw new RotationError('FRENCH_BAD_ARGUMENT', `Expected exactly one argument (the number of industries), got ${args.length}`,
      { argv: [...args] }, `run ${usage}`);
  }
  const s = args[0].trim();
  const n = /^\d+$/.test(s) ? Number(s) : NaN;
  if (!(FRENCH_INDUSTRY_COUNTS as readonly number[]).includes(n)) {
    throw new RotationError('FRENCH_BAD_ARGUMENT', `"${args[0]}" is not a published industry count`,
      { argument: args[0], allowed: [...FRENCH_INDUSTRY_COUNTS] }, `run ${usage}`);
  }
  return n as FrenchIndustryCount;
}

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/**
 * Extract the single entry of a zip archive (stored or deflated). Sizes and offsets come from the
 * central directory, so entries written with a data descriptor (flag bit 3) are read correctly.
 * Errors (FRENCH_ZIP): not a zip, not exactly one entry, ZIP64 or encrypted entries, an
 * unsupported compression method, a size or CRC-32 mismatch.
 */
export function unzipSingleEntry(zip: Uint8Array, source = 'zip'): ZipEntry {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const fail = (what: string, fix = 'download the file again; the archive is corrupt or not a zip'): never => {
    throw new RotationError('FRENCH_ZIP', what, { source, bytes: buf.length }, fix);
  };
  // End of central directory: 22 bytes + comment (<= 65535), searched backwards.
  let eocd = -1;
  for (let p = buf.length - 22; p >= 0 && p >= buf.length - 22 - 65535; p--) {
    if (buf.readUInt32LE(p) === SIG_EOCD) { eocd = p; break; }
  }
  if (eocd < 0) fail('No end-of-central-directory record: not a zip archive');
  const entries = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff) fail('ZIP64 archives are not supported', 'unzip the file by hand');
  if (entries !== 1) fail(`Archive holds ${entries} entries, expected exactly 1`, 'unzip the file by hand and pass the CSV to the parser');
  if (cdOffset + 46 > buf.length || buf.readUInt32LE(cdOffset) !== SIG_CENTRAL) fail('Central directory header not found');
  const flags = buf.readUInt16LE(cdOffset + 8);
  const method = buf.readUInt16LE(cdOffset + 10);
  const crc = buf.readUInt32LE(cdOffset + 16);
  const compSize = buf.readUInt32LE(cdOffset + 20);
  const size = buf.readUInt32LE(cdOffset + 24);
  const nameLen = buf.readUInt16LE(cdOffset + 28);
  const localOffset = buf.readUInt32LE(cdOffset + 42);
  const name = buf.toString('utf8', cdOffset + 46, cdOffset + 46 + nameLen);
  if (flags & 1) fail(`Entry "${name}" is encrypted`, 'unzip the file by hand');
  if (compSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) fail('ZIP64 entries are not supported', 'unzip the file by hand');
  if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== SIG_LOCAL) fail('Local file header not found');
  const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
  if (start + compSize > buf.length) fail(`Entry "${name}" is truncated`);
  const raw = buf.subarray(start, start + compSize);
  let data: Buffer;
  if (method === 0) {
    data = Buffer.from(raw);
  } else if (method === 8) {
    try {
      data = inflateRawSync(raw);
    } catch (e) {
      return fail(`Cannot inflate entry "${name}": ${(e as Error).message}`);
    }
  } else {
    return fail(`Entry "${name}" uses compression method ${method}; only stored (0) and deflate (8) are supported`, 'unzip the file by hand');
  }
  if (data.length !== size) fail(`Entry "${name}" inflated to ${data.length} bytes, the directory says ${size}`);
  if ((crc32(data) >>> 0) !== crc) fail(`Entry "${name}" fails its CRC-32 check`);
  return { name, data };
}

export interface DownloadOptions {
  /** Output directory; default `<project root>/data/french`. */
  outDir?: string;
  /** fetch implementation (tests or proxies); default the global fetch. */
  fetchImpl?: (url: string) => Promise<{ ok: boolean; status: number; statusText: string; arrayBuffer(): Promise<ArrayBuffer> }>;
}

/**
 * Download, unzip, write and validate the French file for `n` industries. The CSV is written to
 * a temporary name, parsed with `parseFrenchIndustryFile`, and only then renamed into place, so a
 * bad download never replaces a good file. Errors: FRENCH_DOWNLOAD_FAILED (network / HTTP),
 * FRENCH_ZIP, and every parser error.
 */
export async function downloadFrenchIndustryFile(
  n: FrenchIndustryCount,
  options: DownloadOptions = {},
): Promise<{ file: string; url: string; parsed: FrenchIndustryFile }> {
  const url = frenchIndustryZipUrl(n);
  const doFetch = options.fetchImpl ?? ((u: string) => fetch(u));
  let bytes: Uint8Array;
  try {
    const res = await doFetch(url);
    if (!res.ok) {
      throw new RotationError('FRENCH_DOWNLOAD_FAILED', `HTTP ${res.status} ${res.statusText}`, { url },
        'check the URL in a browser; the library may have renamed the file');
    }
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    if (e instanceof RotationError) throw e;
    throw new RotationError('FRENCH_DOWNLOAD_FAILED', `Download failed: ${(e as Error).message}`, { url },
      'check the network or proxy (HTTPS_PROXY), or download the zip by hand, unzip it into data/french/ and parse it with parseFrenchIndustryFile');
  }
  const entry = unzipSingleEntry(bytes, url);
  const file = frenchDownloadedFile(n, options.outDir);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.part`;
  writeFileSync(tmp, entry.data);
  try {
    parseFrenchIndustryFile(tmp);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  renameSync(tmp, file);
  return { file, url, parsed: parseFrenchIndustryFile(file) };
}
