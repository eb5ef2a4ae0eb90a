/**
 * Where Bulwark keeps its files. Shared by the desktop app and the CLI so both open the same
 * vault. Pure: everything it depends on is a parameter, so every platform is testable anywhere.
 */
import os from 'node:os';
import path from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

export const VAULT_FILE_NAME = 'vault.db';

/** Environment variable that names the vault file explicitly (the CLI's --vault beats it). */
export const VAULT_ENV = 'BULWARK_VAULT';

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v : undefined;
}

/** Bulwark's per-user data directory for the given platform. */
export function defaultDataDir(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') {
    const p = path.win32;
    const appData = nonEmpty(env.APPDATA) ?? p.join(home, 'AppData', 'Roaming');
    return p.join(appData, 'Bulwark');
  }
  const p = path.posix;
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', 'Bulwark');
  // Linux, the BSDs and everything else XDG-ish. The XDG spec says a relative
  // $XDG_DATA_HOME is invalid and must be ignored.
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  const base = xdg !== undefined && p.isAbsolute(xdg) ? xdg : p.join(home, '.local', 'share');
  return p.join(base, 'bulwark');
}

/**
 * The vault file: $BULWARK_VAULT when set, else
 * - Linux/BSD: $XDG_DATA_HOME/bulwark/vault.db (fallback ~/.local/share/bulwark/vault.db)
 * - macOS:     ~/Library/Application Support/Bulwark/vault.db
 * - Windows:   %APPDATA%\Bulwark\vault.db
 */
export function defaultVaultPath(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const override = nonEmpty(env[VAULT_ENV]);
  if (override !== undefined) return override;
  const dir = defaultDataDir(env, platform, home);
  return platform === 'win32' ? path.win32.join(dir, VAULT_FILE_NAME) : path.posix.join(dir, VAULT_FILE_NAME);
}
