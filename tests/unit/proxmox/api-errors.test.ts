/** Proxmox error answers (as documented, old and new server styles) to typed errors. */
import { describe, expect, it } from 'vitest';
import { apiError, serverMessage } from '../../../main/services/proxmox/api-errors';

const answer = (status: number, statusText: string, body = '') => ({ node: 'pve1', method: 'GET', path: '/nodes/pve1/qemu/100/config', status, statusText, body });

describe('Proxmox error answers', () => {
  it('401 with its empty body is an auth failure that says what to check', () => {
    const e = apiError(answer(401, 'authentication failure'));
    expect(e.code).toBe('PVE_AUTH_FAILED');
    expect(e.message).toMatch(/pve1 refused the credentials \(HTTP 401: authentication failure\)/);
  });

  it('403 names the missing privilege and path, from the JSON message (new) or the reason phrase (old)', () => {
    const fresh = apiError(answer(403, 'Forbidden', '{"data":null,"message":"Permission check failed (/vms/100, VM.Audit)\\n"}'));
    const old = apiError(answer(403, 'Permission check failed (/vms/100, VM.Audit)', ''));
    for (const e of [fresh, old]) {
      expect(e.code).toBe('PVE_FORBIDDEN');
      expect(e.fields).toEqual({ path: '/vms/100', privilege: 'VM.Audit' });
      expect(e.message).toBe('pve1: the token lacks VM.Audit on /vms/100 (needed for GET /nodes/pve1/qemu/100/config).');
    }
    expect(apiError(answer(403, 'Forbidden')).message).toBe('pve1 denied GET /nodes/pve1/qemu/100/config: Forbidden.');
  });

  it('500s: missing VM, guest agent, digest mismatch, anything else', () => {
    expect(apiError(answer(500, "Configuration file 'nodes/pve1/qemu-server/100.conf' does not exist")).code).toBe('NOT_FOUND');
    expect(apiError(answer(500, 'QEMU guest agent is not running')).code).toBe('PVE_GUEST_AGENT');
    expect(apiError(answer(500, 'Internal Server Error', '{"message":"No QEMU guest agent configured\\n","data":null}')).code).toBe('PVE_GUEST_AGENT');
    const digest = apiError(answer(500, 'detected modified configuration - file changed by other user? Try again.'));
    expect(digest.code).toBe('PVE_DIGEST_MISMATCH');
    expect(digest.message).toMatch(/Nothing was written/);
    expect(apiError(answer(500, 'got timeout')).message).toBe('pve1 answered GET /nodes/pve1/qemu/100/config with HTTP 500: got timeout.');
  });

  it('501 and 595/596', () => {
    expect(apiError(answer(501, "Method 'GET /nodes/pve1/qemu/100/config' not implemented")).code).toBe('PVE_NOT_IMPLEMENTED');
    expect(apiError(answer(595, 'No route to host')).code).toBe('PVE_UNREACHABLE');
    expect(apiError(answer(596, 'Connection timed out')).message).toMatch(/could not reach the cluster node .*HTTP 596/);
  });

  it('parameter errors list each field; a non-JSON body falls back to the reason phrase', () => {
    expect(serverMessage({ statusText: 'Parameter verification failed.', body: '{"errors":{"vmid":"invalid format"},"data":null}' })).toBe('vmid: invalid format');
    expect(serverMessage({ statusText: 'Bad gateway', body: '<html>' })).toBe('Bad gateway');
  });
});
