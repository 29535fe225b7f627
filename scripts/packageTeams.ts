/**
 * `npm run package:teams`: writes build/appPackage.zip, the file to upload in Teams.
 *
 * @remarks
 * Reads the settings from the environment, and from `.env` in the repository root for anything
 * the environment does not set (the same precedence as dotenv). See docs/teams.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { buildTeamsAppPackage, deriveManifestVariables, type EnvironmentValues, TeamsPackageError } from './teamsManifest';

const repoRoot = path.resolve(__dirname, '..');

function readEnvironment(): EnvironmentValues {
  const dotenvFile = path.join(repoRoot, '.env');
  const fromFile = existsSync(dotenvFile) ? parseDotenv(readFileSync(dotenvFile, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

function readPackageVersion(): string | undefined {
  const parsed: unknown = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') {
    return parsed.version;
  }
  return undefined;
}

async function main(): Promise<void> {
  const variables = deriveManifestVariables(readEnvironment(), readPackageVersion());
  const appPackage = await buildTeamsAppPackage(path.join(repoRoot, 'appPackage'), variables);
  const outFile = path.join(repoRoot, 'build', 'appPackage.zip');
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, appPackage.zip);
  console.log(
    [
      `Wrote ${path.relative(process.cwd(), outFile) || outFile} (${appPackage.zip.length} bytes)`,
      `  files:      ${appPackage.files.join(', ')}`,
      `  manifest:   v${appPackage.manifest.manifestVersion}, valid against the Teams schema`,
      `  app id:     ${variables.TEAMS_APP_ID}, version ${variables.APP_VERSION}`,
      `  bot id:     ${variables.BOT_ID}`,
      `  domain:     ${variables.BOT_DOMAIN}`,
      'Upload it in Teams: Apps > Manage your apps > Upload an app.',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  // Our own errors already say what to fix; anything else is unexpected and keeps its stack.
  console.error(error instanceof TeamsPackageError ? `Cannot build the Teams app package.\n${error.message}` : error);
  process.exitCode = 1;
});
