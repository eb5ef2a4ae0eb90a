/**
 * What to do next, appended to SSH errors the CLI reports. The engine's messages say what went
 * wrong; only the CLI knows which command fixes it.
 */
import { BulwarkError, isBulwarkError } from '../../shared/errors';

/** The engine's messages name a failing jump hop "jump host NAME (...)" (describeHop). */
const JUMP = /\bjump host\b/;

/** An engine error with the next step appended when there is one; anything else unchanged. */
export function withNextStep(e: unknown, host: string): unknown {
  if (!isBulwarkError(e)) return e;
  // The hop that failed, by inventory name: the target, or a jump host from the inventory.
  const failed = e.fields?.name ?? (JUMP.test(e.message) ? undefined : host);
  const hint = nextStep(e.code, e.message, host, failed);
  return hint ? new BulwarkError(e.code, `${e.message} ${hint}`) : e;
}

/**
 * The next step for a per-host fleet error ({code, message}: no hop details), or ''. A failure
 * on a jump host names it in the message; the hint then cannot name the command's host.
 */
export function fleetNextStep(code: string, message: string, host: string): string {
  return nextStep(code, message, host, JUMP.test(message) ? undefined : host) ?? '';
}

/** `failed`: the inventory name of the hop that failed, when known. */
function nextStep(code: string, message: string, host: string, failed: string | undefined): string | undefined {
  switch (code) {
    case 'UNKNOWN_HOST_KEY':
      return failed
        ? `Run "bulwark ssh trust ${failed}" to see its fingerprint and pin it; bulwark never trusts a key implicitly.`
        : 'Pin the jump host\'s key first ("bulwark ssh trust JUMPHOST"; it must be in the inventory).';
    case 'HOST_KEY_CHANGED':
      return `If ${failed ?? 'the host'} was reinstalled, check the new fingerprint out of band, then run "bulwark ssh trust ${failed ?? 'HOST'} --replace".`;
    case 'SUDO_AUTH_FAILED':
      return /none was given/.test(message)
        ? `Store it with "bulwark hosts set-sudo-password ${host}".`
        : `Update it with "bulwark hosts set-sudo-password ${host}".`;
    case 'SSH_AUTH_FAILED':
      return `Check the host's user ("bulwark hosts list") and login key ("bulwark hosts set-login-key ${host}"), and that one of the vault's keys is in its authorized_keys.`;
    default:
      return undefined;
  }
}
