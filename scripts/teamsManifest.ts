/**
 * Builds the Teams app package from `appPackage/`: fills the `${{VAR}}` placeholders, checks the
 * result against Microsoft's published JSON schemas, checks the icons, and zips it all.
 *
 * @remarks
 * Everything here takes its inputs as arguments (no `process.env`, no writing), so the tests can
 * run it offline with sample values; `packageTeams.ts` is the command-line wrapper around it.
 * The schemas come from `@microsoft/app-manifest`, picked by the template's `manifestVersion`,
 * so raising that version in `manifest.json` is all it takes to validate against the newer schema.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import type AjvCore from 'ajv/dist/core';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';

export type TeamsPackageErrorCode =
  | 'MISSING_VARIABLES'
  | 'INVALID_VARIABLE'
  | 'UNKNOWN_PLACEHOLDER'
  | 'SCHEMA_NOT_FOUND'
  | 'SCHEMA_INVALID'
  | 'ICON_INVALID'
  | 'FILE_INVALID';

/** Why the package could not be built; `details` lists each problem on its own. */
export class TeamsPackageError extends Error {
  constructor(
    readonly code: TeamsPackageErrorCode,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'TeamsPackageError';
  }
}

/** Environment-like input: names to values, where a value may be missing. */
export type EnvironmentValues = Readonly<Record<string, string | undefined>>;

/** Where to get each variable the template uses, shown when one is missing. */
export const VARIABLE_HINTS: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: 'set TEAMS_APP_ID to a GUID that identifies this Teams app, e.g. from `node -e "console.log(crypto.randomUUID())"`',
  BOT_ID: "set BOT_ID, or MicrosoftAppId (the Azure app registration's application (client) id)",
  BOT_DOMAIN: 'set BOT_DOMAIN (e.g. bot.example.org), or PUBLIC_URL (e.g. https://bot.example.org)',
  APP_VERSION: 'set APP_VERSION (x.y.z), or keep a version in package.json',
};

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
// Teams accepts only plain major.minor.patch app versions.
const APP_VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?$/;

// ---------------------------------------------------------------------------------------------
// Variables and placeholders

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The host (with port, if any) of an absolute https URL. */
export function hostOfPublicUrl(publicUrl: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new TeamsPackageError('INVALID_VARIABLE', `PUBLIC_URL is not a valid URL: "${publicUrl}"`, ['PUBLIC_URL']);
  }
  if (url.protocol !== 'https:') {
    throw new TeamsPackageError(
      'INVALID_VARIABLE',
      `PUBLIC_URL must start with https:// (Teams only loads apps over HTTPS), got "${publicUrl}"`,
      ['PUBLIC_URL'],
    );
  }
  return url.host;
}

/**
 * The values for the manifest placeholders: every non-empty environment value, plus the
 * derived ones (`BOT_ID` from `MicrosoftAppId`, `BOT_DOMAIN` from `PUBLIC_URL`, `APP_VERSION`
 * from package.json). Missing values are left out, for {@link fillPlaceholders} to report.
 *
 * @throws TeamsPackageError `INVALID_VARIABLE` naming every value that is present but wrong.
 */
export function deriveManifestVariables(env: EnvironmentValues, packageVersion: string | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const kept = present(value);
    if (kept !== undefined) values[name] = kept;
  }

  const problems: string[] = [];
  const botId = values.BOT_ID ?? values.MicrosoftAppId;
  if (botId !== undefined) {
    if (!GUID.test(botId)) problems.push(`BOT_ID / MicrosoftAppId must be a GUID, got "${botId}"`);
    values.BOT_ID = botId;
  }

  if (values.BOT_DOMAIN === undefined && values.PUBLIC_URL !== undefined) {
    try {
      values.BOT_DOMAIN = hostOfPublicUrl(values.PUBLIC_URL);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  } else if (values.BOT_DOMAIN !== undefined && !HOST.test(values.BOT_DOMAIN)) {
    problems.push(`BOT_DOMAIN must be a host name such as bot.example.org, without https:// or a path, got "${values.BOT_DOMAIN}"`);
  }

  if (values.TEAMS_APP_ID !== undefined && !GUID.test(values.TEAMS_APP_ID)) {
    problems.push(`TEAMS_APP_ID must be a GUID such as 00000000-0000-0000-0000-000000000000, got "${values.TEAMS_APP_ID}"`);
  }

  const appVersion = values.APP_VERSION ?? present(packageVersion);
  if (appVersion !== undefined) {
    if (!APP_VERSION.test(appVersion))
      problems.push(`APP_VERSION must look like 1.2.3 (Teams accepts only major.minor.patch), got "${appVersion}"`);
    values.APP_VERSION = appVersion;
  }

  if (problems.length > 0) {
    throw new TeamsPackageError('INVALID_VARIABLE', `Invalid Teams app settings:\n  - ${problems.join('\n  - ')}`, problems);
  }
  return values;
}

/** The distinct variable names used as `${{NAME}}` in a template, in order of appearance. */
export function placeholdersIn(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (match) => match[1]))];
}

/**
 * Replaces every `${{NAME}}` in a JSON template. Values are JSON-escaped, because the
 * placeholders sit inside JSON strings.
 *
 * @throws TeamsPackageError `MISSING_VARIABLES` naming every variable without a value, and
 *   `UNKNOWN_PLACEHOLDER` if anything that looks like a placeholder is left afterwards.
 */
export function fillPlaceholders(template: string, variables: Readonly<Record<string, string>>, fileName = 'manifest.json'): string {
  const missing = placeholdersIn(template).filter((name) => variables[name] === undefined);
  if (missing.length > 0) {
    const lines = missing.map((name) => `${name}: ${VARIABLE_HINTS[name] ?? `set ${name}`}`);
    throw new TeamsPackageError(
      'MISSING_VARIABLES',
      `Missing value${missing.length > 1 ? 's' : ''} for ${fileName}:\n  - ${lines.join('\n  - ')}`,
      missing,
    );
  }
  const filled = template.replace(PLACEHOLDER, (_match, name: string) => JSON.stringify(variables[name]).slice(1, -1));
  const leftover = filled.match(/\$\{\{[^}]*\}\}/g);
  if (leftover) {
    throw new TeamsPackageError(
      'UNKNOWN_PLACEHOLDER',
      `${fileName} has placeholders that are not of the form \${{NAME}}: ${leftover.join(', ')}`,
      leftover,
    );
  }
  return filled;
}

// ---------------------------------------------------------------------------------------------
// Schemas

export type JsonSchema = Record<string, unknown>;
export type SchemaKind = 'manifest' | 'localization';

const SCHEMA_FILES: Readonly<Record<SchemaKind, string>> = {
  manifest: 'MicrosoftTeams.schema.json',
  localization: 'MicrosoftTeams.Localization.schema.json',
};

/** Path of the schema that `@microsoft/app-manifest` ships for a manifest version, e.g. "1.30". */
export function schemaFilePath(manifestVersion: string, kind: SchemaKind): string {
  const packageRoot = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return path.join(packageRoot, 'build', 'json-schemas', 'teams', `v${manifestVersion}`, SCHEMA_FILES[kind]);
}

export function loadSchema(manifestVersion: string, kind: SchemaKind): JsonSchema {
  const file = schemaFilePath(manifestVersion, kind);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new TeamsPackageError(
      'SCHEMA_NOT_FOUND',
      `No ${kind} schema for manifestVersion "${manifestVersion}" in @microsoft/app-manifest (looked for ${file})`,
    );
  }
  return parseJsonObject(text, file);
}

/** The Ajv flavour that matches the schema's `$schema` draft; Microsoft's Teams schemas say draft-04. */
function createAjv(schema: JsonSchema): AjvCore {
  const draft = typeof schema.$schema === 'string' ? schema.$schema : '';
  // strict: false because the Teams schemas leave out `type` next to typed keywords, which strict
  // mode would warn about on every run;
  // unicodeRegExp: false because some of their patterns (e.g. `\b]` in the localization schema)
  // are valid JavaScript regexes only without the `u` flag.
  const options: Options = { allErrors: true, strict: false, unicodeRegExp: false };
  let ajv: AjvCore;
  if (draft.includes('draft-04')) ajv = new AjvDraft04(options);
  else if (draft.includes('2020-12')) ajv = new Ajv2020(options);
  else if (draft.includes('2019-09')) ajv = new Ajv2019(options);
  else ajv = new Ajv(options);
  addFormats(ajv);
  return ajv;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const params: Record<string, unknown> = error.params;
  let detail = '';
  if (Array.isArray(params.allowedValues)) detail = `: ${params.allowedValues.join(', ')}`;
  else if (typeof params.additionalProperty === 'string') detail = `: "${params.additionalProperty}"`;
  return `${where} ${error.message ?? 'is invalid'}${detail}`;
}

export type SchemaCheck<T> = { readonly valid: true; readonly document: T } | { readonly valid: false; readonly problems: string[] };

/** Compiles a schema once; the result checks documents and lists problems as "path message". */
export function createSchemaValidator<T = unknown>(schema: JsonSchema): (document: unknown) => SchemaCheck<T> {
  const validate: ValidateFunction<T> = createAjv(schema).compile<T>(schema);
  return (document) => {
    if (validate(document)) return { valid: true, document };
    return { valid: false, problems: [...new Set((validate.errors ?? []).map(describeError))] };
  };
}

// ---------------------------------------------------------------------------------------------
// PNG checks

export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlace: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface PngChunk {
  readonly type: string;
  readonly data: Buffer;
}

function pngChunks(png: Buffer): PngChunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new TeamsPackageError('ICON_INVALID', 'not a PNG file');
  }
  const chunks: PngChunk[] = [];
  let offset = 8;
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    chunks.push({ type, data: png.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  return chunks;
}

export function readPngHeader(png: Buffer): PngHeader {
  const header = pngChunks(png)[0];
  if (header?.type !== 'IHDR' || header.data.length < 13) throw new TeamsPackageError('ICON_INVALID', 'PNG has no IHDR chunk');
  return {
    width: header.data.readUInt32BE(0),
    height: header.data.readUInt32BE(4),
    bitDepth: header.data[8],
    colorType: header.data[9],
    interlace: header.data[12],
  };
}

const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Reverses the per-row PNG filters (PNG spec, section 9). */
function unfilter(raw: Buffer, width: number, height: number, bytesPerPixel: number): Uint8Array {
  const stride = width * bytesPerPixel;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const at = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= bytesPerPixel ? out[at + x - bytesPerPixel] : 0;
      const up = y > 0 ? out[at - stride + x] : 0;
      const upLeft = y > 0 && x >= bytesPerPixel ? out[at - stride + x - bytesPerPixel] : 0;
      let predictor: number;
      switch (filter) {
        case 0:
          predictor = 0;
          break;
        case 1:
          predictor = left;
          break;
        case 2:
          predictor = up;
          break;
        case 3:
          predictor = (left + up) >> 1;
          break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
          break;
        }
        default:
          throw new TeamsPackageError('ICON_INVALID', `PNG row ${y} has unknown filter ${filter}`);
      }
      out[at + x] = (row[x] + predictor) & 0xff;
    }
  }
  return out;
}

/**
 * Decodes a non-interlaced 8-bit PNG (grey, RGB, palette, grey+alpha or RGBA) to RGBA pixels,
 * row by row. Enough to check an icon's colours; not a general PNG decoder.
 */
export function decodePngRgba(png: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const { width, height, bitDepth, colorType, interlace } = readPngHeader(png);
  const channels = CHANNELS[colorType];
  if (bitDepth !== 8 || interlace !== 0 || channels === undefined) {
    throw new TeamsPackageError(
      'ICON_INVALID',
      `unsupported PNG (bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}); save it as 8-bit RGBA`,
    );
  }
  const chunks = pngChunks(png);
  const samples = unfilter(inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data))), width, height, channels);
  const palette = chunks.find((c) => c.type === 'PLTE')?.data ?? Buffer.alloc(0);
  const paletteAlpha = chunks.find((c) => c.type === 'tRNS')?.data ?? Buffer.alloc(0);
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    let rgba: [number, number, number, number];
    switch (colorType) {
      case 0:
        rgba = [samples[s], samples[s], samples[s], 255];
        break;
      case 2:
        rgba = [samples[s], samples[s + 1], samples[s + 2], 255];
        break;
      case 3: {
        const index = samples[s];
        rgba = [
          palette[index * 3],
          palette[index * 3 + 1],
          palette[index * 3 + 2],
          index < paletteAlpha.length ? paletteAlpha[index] : 255,
        ];
        break;
      }
      case 4:
        rgba = [samples[s], samples[s], samples[s], samples[s + 1]];
        break;
      default:
        rgba = [samples[s], samples[s + 1], samples[s + 2], samples[s + 3]];
    }
    pixels.set(rgba, i * 4);
  }
  return { width, height, pixels };
}

export interface IconRequirement {
  readonly width: number;
  readonly height: number;
  /** Teams' outline icon: every pixel white, or fully transparent. */
  readonly whiteOnTransparent: boolean;
}

export const COLOR_ICON: IconRequirement = { width: 192, height: 192, whiteOnTransparent: false };
export const OUTLINE_ICON: IconRequirement = { width: 32, height: 32, whiteOnTransparent: true };

/** What is wrong with an icon for Teams; empty when it is fine. */
export function iconProblems(png: Buffer, requirement: IconRequirement): string[] {
  let header: PngHeader;
  try {
    header = readPngHeader(png);
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
  if (header.width !== requirement.width || header.height !== requirement.height) {
    return [`must be ${requirement.width}×${requirement.height} pixels, is ${header.width}×${header.height}`];
  }
  if (!requirement.whiteOnTransparent) return [];
  const { pixels } = decodePngRgba(png);
  let offending = 0;
  for (let o = 0; o < pixels.length; o += 4) {
    const transparent = pixels[o + 3] === 0;
    const white = pixels[o] === 255 && pixels[o + 1] === 255 && pixels[o + 2] === 255;
    if (!transparent && !white) offending++;
  }
  return offending === 0 ? [] : [`must be white on transparent, but ${offending} pixel(s) are neither white nor fully transparent`];
}

// ---------------------------------------------------------------------------------------------
// The package

/** The parts of a valid manifest that name files to put in the package. */
export interface ManifestFileReferences {
  readonly manifestVersion: string;
  readonly icons: { readonly color: string; readonly outline: string; readonly color32x32?: string };
  readonly localizationInfo?: {
    readonly defaultLanguageFile?: string;
    readonly additionalLanguages?: ReadonlyArray<{ readonly languageTag: string; readonly file: string }>;
  };
}

export interface TeamsAppPackage {
  readonly zip: Buffer;
  /** The filled, schema-valid manifest as written into the zip. */
  readonly manifest: ManifestFileReferences & Record<string, unknown>;
  /** Names of the files in the zip, manifest.json first. */
  readonly files: readonly string[];
}

function parseJsonObject(text: string, fileName: string): JsonSchema {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TeamsPackageError('FILE_INVALID', `${fileName} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TeamsPackageError('FILE_INVALID', `${fileName} must contain a JSON object`);
  }
  return parsed as JsonSchema;
}

/** Package files sit next to manifest.json; a path that leaves that folder is a mistake. */
function packageRelative(file: string): string {
  const normalised = path.posix.normalize(file.replace(/\\/g, '/'));
  if (normalised.startsWith('../') || normalised === '..' || path.posix.isAbsolute(normalised)) {
    throw new TeamsPackageError('FILE_INVALID', `manifest.json refers to "${file}", which is outside the app package folder`);
  }
  return normalised;
}

/**
 * Fills and validates a manifest template (text of `manifest.json`).
 *
 * @throws TeamsPackageError `MISSING_VARIABLES`, `UNKNOWN_PLACEHOLDER`, `SCHEMA_NOT_FOUND` or `SCHEMA_INVALID`.
 */
export function fillAndValidateManifest(template: string, variables: Readonly<Record<string, string>>): TeamsAppPackage['manifest'] {
  const manifest = parseJsonObject(fillPlaceholders(template, variables, 'manifest.json'), 'manifest.json');
  const version = manifest.manifestVersion;
  if (typeof version !== 'string') throw new TeamsPackageError('SCHEMA_INVALID', 'manifest.json has no manifestVersion');
  const check = createSchemaValidator<TeamsAppPackage['manifest']>(loadSchema(version, 'manifest'))(manifest);
  if (!check.valid) {
    throw new TeamsPackageError(
      'SCHEMA_INVALID',
      `manifest.json does not match the Teams ${version} schema:\n  - ${check.problems.join('\n  - ')}`,
      check.problems,
    );
  }
  return check.document;
}

/**
 * Builds the zip Teams accepts: the filled manifest.json plus every file it names (icons,
 * localisation files), all at the zip root as the manifest refers to them.
 */
export async function buildTeamsAppPackage(appPackageDir: string, variables: Readonly<Record<string, string>>): Promise<TeamsAppPackage> {
  const manifest = fillAndValidateManifest(readFileSync(path.join(appPackageDir, 'manifest.json'), 'utf8'), variables);
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);

  const read = (file: string): Buffer => {
    try {
      return readFileSync(path.join(appPackageDir, file));
    } catch {
      throw new TeamsPackageError(
        'FILE_INVALID',
        `manifest.json refers to "${file}", but ${path.join(appPackageDir, file)} cannot be read`,
      );
    }
  };

  const icons: Array<[string, IconRequirement]> = [
    [manifest.icons.color, COLOR_ICON],
    [manifest.icons.outline, OUTLINE_ICON],
  ];
  if (manifest.icons.color32x32 !== undefined)
    icons.push([manifest.icons.color32x32, { width: 32, height: 32, whiteOnTransparent: false }]);
  const iconErrors: string[] = [];
  for (const [file, requirement] of icons) {
    const name = packageRelative(file);
    const png = read(name);
    iconErrors.push(...iconProblems(png, requirement).map((problem) => `${name} ${problem}`));
    zip.file(name, png);
  }
  if (iconErrors.length > 0)
    throw new TeamsPackageError('ICON_INVALID', `Icons not accepted by Teams:\n  - ${iconErrors.join('\n  - ')}`, iconErrors);

  const info = manifest.localizationInfo;
  const languageFiles = [info?.defaultLanguageFile, ...(info?.additionalLanguages ?? []).map((language) => language.file)].filter(
    (file): file is string => file !== undefined,
  );
  if (languageFiles.length > 0) {
    const checkLocalization = createSchemaValidator(loadSchema(manifest.manifestVersion, 'localization'));
    for (const file of languageFiles) {
      const name = packageRelative(file);
      const localization = parseJsonObject(fillPlaceholders(read(name).toString('utf8'), variables, name), name);
      const check = checkLocalization(localization);
      if (!check.valid) {
        throw new TeamsPackageError(
          'SCHEMA_INVALID',
          `${name} does not match the Teams localization schema:\n  - ${check.problems.join('\n  - ')}`,
          check.problems,
        );
      }
      zip.file(name, `${JSON.stringify(localization, null, 2)}\n`);
    }
  }

  const files = Object.keys(zip.files);
  return {
    zip: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } }),
    manifest,
    files,
  };
}
