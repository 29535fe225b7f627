import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { blankImage, crc32, drawColorIcon, drawOutlineIcon, encodePng, type RgbaImage } from '../scripts/drawIcons';
import {
  buildTeamsAppPackage,
  createSchemaValidator,
  decodePngRgba,
  deriveManifestVariables,
  fillAndValidateManifest,
  fillPlaceholders,
  iconProblems,
  loadSchema,
  OUTLINE_ICON,
  placeholdersIn,
  TeamsPackageError,
} from '../scripts/teamsManifest';

const APP_PACKAGE_DIR = path.resolve(__dirname, '..', 'appPackage');
const TEMPLATE = readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');
const BOT_ID = '0f5c2a9e-3b7d-4c1a-9e2f-6a8b1c3d5e7f';
const TEAMS_APP_ID = 'b4d6e8f0-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const SAMPLE_ENV = { MicrosoftAppId: BOT_ID, PUBLIC_URL: 'https://bot.example.org', TEAMS_APP_ID };
const SAMPLE_VARIABLES = deriveManifestVariables(SAMPLE_ENV, '1.2.3');

/** Runs `action` and returns the TeamsPackageError it throws; fails the test if it throws none. */
function thrownBy(action: () => unknown): TeamsPackageError {
  try {
    action();
  } catch (error) {
    if (error instanceof TeamsPackageError) return error;
    throw error;
  }
  throw new Error('expected a TeamsPackageError');
}

async function rejectionOf(promise: Promise<unknown>): Promise<TeamsPackageError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TeamsPackageError) return error;
    throw error;
  }
  throw new Error('expected a TeamsPackageError');
}

/** Width and height straight from the IHDR chunk, independent of the code under test. */
function ihdrSize(png: Buffer): { width: number; height: number } {
  expect(png.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function entryOf(archive: JSZip, name: string): JSZip.JSZipObject {
  const entry = archive.file(name);
  if (entry === null) throw new Error(`${name} is not in the zip`);
  return entry;
}

function filledManifest(): Record<string, unknown> {
  const parsed: unknown = JSON.parse(fillPlaceholders(TEMPLATE, SAMPLE_VARIABLES));
  if (typeof parsed !== 'object' || parsed === null) throw new Error('manifest is not an object');
  return { ...parsed };
}

describe('deriveManifestVariables', () => {
  test.each([
    ['BOT_ID comes from MicrosoftAppId', SAMPLE_ENV, 'BOT_ID', BOT_ID],
    ['BOT_ID wins over MicrosoftAppId', { ...SAMPLE_ENV, BOT_ID: TEAMS_APP_ID }, 'BOT_ID', TEAMS_APP_ID],
    [
      'BOT_DOMAIN is the host of PUBLIC_URL',
      { ...SAMPLE_ENV, PUBLIC_URL: 'https://bot.example.org/some/path' },
      'BOT_DOMAIN',
      'bot.example.org',
    ],
    ['BOT_DOMAIN keeps a port', { ...SAMPLE_ENV, PUBLIC_URL: 'https://bot.example.org:8443' }, 'BOT_DOMAIN', 'bot.example.org:8443'],
    ['BOT_DOMAIN wins over PUBLIC_URL', { ...SAMPLE_ENV, BOT_DOMAIN: 'teams.example.org' }, 'BOT_DOMAIN', 'teams.example.org'],
    ['APP_VERSION defaults to package.json', SAMPLE_ENV, 'APP_VERSION', '1.2.3'],
    ['APP_VERSION from the environment wins', { ...SAMPLE_ENV, APP_VERSION: '2.0.0' }, 'APP_VERSION', '2.0.0'],
  ])('%s', (_name, env, variable, expected) => {
    expect(deriveManifestVariables(env, '1.2.3')[variable]).toBe(expected);
  });

  test.each([
    ['TEAMS_APP_ID is not a GUID', { ...SAMPLE_ENV, TEAMS_APP_ID: 'my-app' }, 'TEAMS_APP_ID'],
    ['MicrosoftAppId is not a GUID', { ...SAMPLE_ENV, MicrosoftAppId: 'abc' }, 'MicrosoftAppId'],
    ['PUBLIC_URL is plain http', { ...SAMPLE_ENV, PUBLIC_URL: 'http://localhost:3978' }, 'PUBLIC_URL'],
    ['PUBLIC_URL is not a URL', { ...SAMPLE_ENV, PUBLIC_URL: 'bot.example.org' }, 'PUBLIC_URL'],
    ['BOT_DOMAIN has a scheme', { ...SAMPLE_ENV, BOT_DOMAIN: 'https://bot.example.org' }, 'BOT_DOMAIN'],
    ['APP_VERSION is not major.minor.patch', { ...SAMPLE_ENV, APP_VERSION: '1.0.0-beta' }, 'APP_VERSION'],
  ])('rejects settings where %s', (_name, env, variable) => {
    const error = thrownBy(() => deriveManifestVariables(env, '1.2.3'));
    expect(error.code).toBe('INVALID_VARIABLE');
    expect(error.message).toContain(variable);
  });
});

describe('manifest template', () => {
  test('uses exactly the documented placeholders', () => {
    expect(placeholdersIn(TEMPLATE).sort()).toEqual(['APP_VERSION', 'BOT_DOMAIN', 'BOT_ID', 'TEAMS_APP_ID']);
  });

  test('filled with sample values, validates against the schema from @microsoft/app-manifest', () => {
    const manifest = fillAndValidateManifest(TEMPLATE, SAMPLE_VARIABLES);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest).toMatchObject({
      id: TEAMS_APP_ID,
      version: '1.2.3',
      bots: [{ botId: BOT_ID, scopes: ['personal'], supportsFiles: false, isNotificationOnly: false }],
      staticTabs: [{ name: 'Alliantiemonitor', contentUrl: 'https://bot.example.org/tab', scopes: ['personal'] }],
      validDomains: ['bot.example.org'],
      webApplicationInfo: { id: BOT_ID, resource: `api://bot.example.org/${BOT_ID}` },
      developer: { privacyUrl: 'https://bot.example.org/privacy', termsOfUseUrl: 'https://bot.example.org/terms' },
    });
  });

  test.each(['TEAMS_APP_ID', 'APP_VERSION', 'BOT_ID', 'BOT_DOMAIN'])('a missing %s fails with a message naming it', (variable) => {
    const variables = { ...SAMPLE_VARIABLES };
    delete variables[variable];
    const error = thrownBy(() => fillAndValidateManifest(TEMPLATE, variables));
    expect(error.code).toBe('MISSING_VARIABLES');
    expect(error.details).toEqual([variable]);
    expect(error.message).toContain(variable);
  });

  test('names every missing variable at once', () => {
    const error = thrownBy(() => fillPlaceholders(TEMPLATE, {}));
    expect([...error.details].sort()).toEqual(['APP_VERSION', 'BOT_DOMAIN', 'BOT_ID', 'TEAMS_APP_ID']);
  });

  test('escapes values so the JSON stays valid', () => {
    const filled = fillPlaceholders('{ "a": "${{X}}" }', { X: 'say "hi" \\ there' });
    expect(JSON.parse(filled)).toEqual({ a: 'say "hi" \\ there' });
  });

  test('refuses a placeholder it cannot fill', () => {
    expect(thrownBy(() => fillPlaceholders('{ "a": "${{bot-id}}" }', {})).code).toBe('UNKNOWN_PLACEHOLDER');
  });
});

describe('schema validation is not a no-op', () => {
  const validateManifest = createSchemaValidator(loadSchema('1.30', 'manifest'));

  test('the sample manifest passes', () => {
    expect(validateManifest(filledManifest())).toEqual(expect.objectContaining({ valid: true }));
  });

  test.each<[string, (manifest: Record<string, unknown>) => Record<string, unknown>, string]>([
    ['a bot scope "nonsense"', (m) => ({ ...m, bots: [{ botId: BOT_ID, scopes: ['nonsense'] }] }), '/bots/0/scopes/0'],
    ['a bot id that is not a GUID', (m) => ({ ...m, bots: [{ botId: 'not-a-guid', scopes: ['personal'] }] }), '/bots/0/botId'],
    ['another manifestVersion', (m) => ({ ...m, manifestVersion: '1.29' }), '/manifestVersion'],
    ['no developer', ({ developer: _developer, ...rest }) => rest, 'developer'],
    ['an unknown property', (m) => ({ ...m, colour: 'teal' }), 'colour'],
  ])('rejects %s', (_name, breakIt, expected) => {
    const check = validateManifest(breakIt(filledManifest()));
    expect(check.valid).toBe(false);
    if (!check.valid) expect(check.problems.join('\n')).toContain(expected);
  });

  test('the Dutch localization file passes its schema, and a too-long name does not', () => {
    const validateLocalization = createSchemaValidator(loadSchema('1.30', 'localization'));
    const nl: unknown = JSON.parse(readFileSync(path.join(APP_PACKAGE_DIR, 'nl.json'), 'utf8'));
    expect(validateLocalization(nl).valid).toBe(true);
    if (typeof nl !== 'object' || nl === null) throw new Error('nl.json is not an object');
    const broken = { ...nl, 'name.short': 'Een veel te lange naam voor de app in Teams' };
    expect(validateLocalization(broken).valid).toBe(false);
  });
});

describe('buildTeamsAppPackage', () => {
  test('zips a schema-valid manifest, both icons at the right sizes and the Dutch strings', async () => {
    const { zip } = await buildTeamsAppPackage(APP_PACKAGE_DIR, SAMPLE_VARIABLES);
    const archive = await JSZip.loadAsync(zip);
    expect(Object.keys(archive.files).sort()).toEqual(['color.png', 'manifest.json', 'nl.json', 'outline.png']);

    const manifestText = await entryOf(archive, 'manifest.json').async('string');
    expect(manifestText).not.toContain('${{');
    const check = createSchemaValidator(loadSchema('1.30', 'manifest'))(JSON.parse(manifestText));
    expect(check).toEqual(expect.objectContaining({ valid: true }));

    const color = await entryOf(archive, 'color.png').async('nodebuffer');
    const outline = await entryOf(archive, 'outline.png').async('nodebuffer');
    expect(ihdrSize(color)).toEqual({ width: 192, height: 192 });
    expect(ihdrSize(outline)).toEqual({ width: 32, height: 32 });

    const { pixels } = decodePngRgba(outline);
    let white = 0;
    for (let o = 0; o < pixels.length; o += 4) {
      const isWhite = pixels[o] === 255 && pixels[o + 1] === 255 && pixels[o + 2] === 255;
      expect(isWhite || pixels[o + 3] === 0).toBe(true);
      if (isWhite && pixels[o + 3] > 0) white++;
    }
    // Something is drawn, and most of the icon is background.
    expect(white).toBeGreaterThan(50);
    expect(white).toBeLessThan(pixels.length / 4 / 2);
  });

  test('refuses an outline icon with coloured pixels', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'teams-package-'));
    try {
      for (const file of ['manifest.json', 'color.png', 'nl.json']) copyFileSync(path.join(APP_PACKAGE_DIR, file), path.join(dir, file));
      const outline = drawOutlineIcon();
      outline.pixels.set([0x1f, 0x7a, 0x80, 255], 0);
      writeFileSync(path.join(dir, 'outline.png'), encodePng(outline));
      const error = await rejectionOf(buildTeamsAppPackage(dir, SAMPLE_VARIABLES));
      expect(error.code).toBe('ICON_INVALID');
      expect(error.message).toContain('outline.png must be white on transparent');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses icons of the wrong size', () => {
    expect(iconProblems(encodePng(blankImage(48, 48, { r: 255, g: 255, b: 255, a: 0 })), OUTLINE_ICON)).toEqual([
      'must be 32×32 pixels, is 48×48',
    ]);
  });
});

describe('icons', () => {
  test.each<[string, () => RgbaImage]>([
    ['color.png', drawColorIcon],
    ['outline.png', drawOutlineIcon],
  ])('the committed %s is what scripts/drawIcons.ts draws', (file, draw) => {
    const committed = decodePngRgba(readFileSync(path.join(APP_PACKAGE_DIR, file)));
    const drawn = draw();
    expect({ width: committed.width, height: committed.height }).toEqual({ width: drawn.width, height: drawn.height });
    expect(Buffer.from(committed.pixels).equals(Buffer.from(drawn.pixels))).toBe(true);
  });

  // Icons from other tools use all five PNG row filters; check the decoder undoes each one.
  test.each([0, 1, 2, 3, 4])('decodePngRgba undoes row filter %i', (filter) => {
    const width = 3;
    const height = 3;
    const pixels = Uint8Array.from({ length: width * height * 4 }, (_, i) => (i * 37 + 11) % 256);
    const stride = width * 4;
    const raw = Buffer.alloc((stride + 1) * height);
    for (let y = 0; y < height; y++) {
      raw[y * (stride + 1)] = filter;
      for (let x = 0; x < stride; x++) {
        const at = y * stride + x;
        const left = x >= 4 ? pixels[at - 4] : 0;
        const up = y > 0 ? pixels[at - stride] : 0;
        const upLeft = y > 0 && x >= 4 ? pixels[at - stride - 4] : 0;
        const p = left + up - upLeft;
        const paeth =
          Math.abs(p - left) <= Math.abs(p - up) && Math.abs(p - left) <= Math.abs(p - upLeft)
            ? left
            : Math.abs(p - up) <= Math.abs(p - upLeft)
              ? up
              : upLeft;
        const predictor = [0, left, up, (left + up) >> 1, paeth][filter];
        raw[y * (stride + 1) + 1 + x] = (pixels[at] - predictor) & 0xff;
      }
    }
    const chunk = (type: string, data: Buffer): Buffer => {
      const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(data.length);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(body));
      return Buffer.concat([length, body, crc]);
    };
    const header = Buffer.from([0, 0, 0, width, 0, 0, 0, height, 8, 6, 0, 0, 0]);
    const png = Buffer.concat([
      encodePng(blankImage(1, 1, { r: 0, g: 0, b: 0, a: 0 })).subarray(0, 8),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(Array.from(decodePngRgba(png).pixels)).toEqual(Array.from(pixels));
  });
});
