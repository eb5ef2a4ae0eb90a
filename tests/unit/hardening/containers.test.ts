/**
 * The container audit against `docker inspect` / `docker network inspect` JSON. Docker cannot run
 * in the fleet's containers, so these fixtures are written by hand after the Docker Engine API's
 * ContainerInspect and NetworkInspect schemas (the fields `docker inspect` prints: Name,
 * Config.Image, Config.Env, HostConfig.NetworkMode, NetworkSettings.Ports/Networks; Name and
 * Internal of a network), trimmed to what the audit reads plus some of what it ignores.
 */
import { describe, expect, it } from 'vitest';
import { auditContainers, containers, containersParams, imageParts } from '../../../main/services/hardening/controls/containers';
import { parseFacts } from '../../../main/services/hardening/facts';
import { debianFacts } from './facts-fixture';

const login = { user: 'admin', port: 22, method: 'publickey' as const, pinnedKeyTypes: ['ssh-ed25519'] };

function container(o: { name: string; image: string; env?: string[]; ports?: Record<string, Array<{ HostIp: string; HostPort: string }> | null>; networks?: string[]; mode?: string }) {
  return {
    Id: 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f',
    Created: '2025-05-02T09:12:44.123456789Z',
    Name: `/${o.name}`,
    State: { Status: 'running', Running: true, Pid: 4242 },
    Image: 'sha256:3b1c7e0f2a9d',
    Config: { Hostname: 'f0e1d2c3b4a5', Image: o.image, Env: o.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ExposedPorts: { '8080/tcp': {} } },
    HostConfig: { NetworkMode: o.mode ?? o.networks?.[0] ?? 'bridge', PortBindings: {}, RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 } },
    NetworkSettings: {
      Ports: o.ports ?? {},
      Networks: Object.fromEntries((o.networks ?? ['bridge']).map((n) => [n, { IPAMConfig: null, NetworkID: `id-${n}`, IPAddress: '172.18.0.2', Gateway: '172.18.0.1' }])),
    },
  };
}

const NETWORKS = [
  { Name: 'bridge', Id: 'id-bridge', Driver: 'bridge', Internal: false, Scope: 'local' },
  { Name: 'ai_backend', Id: 'id-ai_backend', Driver: 'bridge', Internal: true, Scope: 'local' },
  { Name: 'proxy', Id: 'id-proxy', Driver: 'bridge', Internal: false, Scope: 'local' },
  { Name: 'host', Id: 'id-host', Driver: 'host', Internal: false, Scope: 'local' },
];

const audit = (cs: unknown[], allowedPorts: number[] = []) => auditContainers(cs, NETWORKS, containersParams.parse({ allowedPorts }));

describe('containers audit', () => {
  it('flags ports published on every address (v4, v6 and empty HostIp), not those on 127.0.0.1', () => {
    const { findings } = audit([
      container({ name: 'web', image: 'nginx:1.27', ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }, { HostIp: '::', HostPort: '8080' }], '443/tcp': [{ HostIp: '', HostPort: '8443' }] } }),
      container({ name: 'db', image: 'postgres:16', ports: { '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: '5432' }], '5433/tcp': null } }),
    ]);
    expect(findings.map((f) => `${f.container}: ${f.problem.split(' (')[0]}`)).toEqual([
      'web: publishes 80/tcp on 0.0.0.0:8080',
      'web: publishes 80/tcp on :::8080',
      'web: publishes 443/tcp on every address:8443',
    ]);
    expect(audit([container({ name: 'web', image: 'nginx', ports: { '443/tcp': [{ HostIp: '0.0.0.0', HostPort: '443' }] } })], [443]).findings).toEqual([]);
  });

  it('flags AI services on non-internal networks, and host networking', () => {
    const { findings } = audit([
      container({ name: 'ollama', image: 'ollama/ollama:0.6.8', networks: ['ai_backend'] }),
      container({ name: 'open-webui', image: 'ghcr.io/open-webui/open-webui:main', networks: ['ai_backend', 'proxy'], env: ['WEBUI_AUTH=true'] }),
      container({ name: 'ollama-host', image: 'docker.io/ollama/ollama', mode: 'host', networks: ['host'] }),
    ]);
    expect(findings.map((f) => f.container)).toEqual(['open-webui', 'ollama-host']);
    expect(findings[0]!.problem).toMatch(/Open WebUI is on a network that is not internal \(proxy\)/);
    expect(findings[1]!.problem).toMatch(/host network/);
  });

  it('flags Open WebUI with WEBUI_AUTH=false; unset is its default (on)', () => {
    const off = audit([container({ name: 'owui', image: 'ghcr.io/open-webui/open-webui:v0.6.5', networks: ['ai_backend'], env: ['WEBUI_AUTH=False', 'OLLAMA_BASE_URL=http://ollama:11434'] })]);
    expect(off.findings.map((f) => f.problem)).toEqual(['Open WebUI runs with WEBUI_AUTH=false: anyone who reaches it is an admin']);
    const unset = audit([container({ name: 'owui', image: 'ghcr.io/open-webui/open-webui:main', networks: ['ai_backend'] })]);
    expect(unset.findings).toEqual([]);
    expect(unset.evidence).toContain('owui: Open WebUI login on (WEBUI_AUTH unset, its default is on)');
  });

  it('n8n: before 1.0 needs basic auth or user management; 1.x always has a login', () => {
    const old = (env: string[]) => audit([container({ name: 'n8n', image: 'n8nio/n8n:0.150.0', networks: ['ai_backend'], env })]).findings.map((f) => f.problem);
    expect(old([])).toEqual(['n8n 0.150 has no authentication (neither N8N_BASIC_AUTH_ACTIVE=true nor user management)']);
    expect(old(['N8N_BASIC_AUTH_ACTIVE=true', 'N8N_BASIC_AUTH_USER=admin', 'N8N_BASIC_AUTH_PASSWORD=x'])).toEqual([]);
    const um = audit([container({ name: 'n8n', image: 'n8nio/n8n:0.236.3', networks: ['ai_backend'], env: ['N8N_USER_MANAGEMENT_DISABLED=true'] })]);
    expect(um.findings.map((f) => f.problem)).toEqual(['n8n 0.236 has no authentication (neither N8N_BASIC_AUTH_ACTIVE=true nor user management)']);
    const v1 = audit([container({ name: 'n8n', image: 'docker.n8n.io/n8nio/n8n:1.91.3', networks: ['ai_backend'], env: ['N8N_BASIC_AUTH_ACTIVE=true'] })]);
    expect(v1.findings).toEqual([]);
    expect(v1.evidence.join('\n')).toMatch(/n8n 1\.91 always requires a login.*N8N_BASIC_AUTH_ACTIVE is ignored since 1\.0/);
  });

  it('reports JSON it cannot read instead of guessing', () => {
    expect(audit([{ Name: '/odd', Config: {} }]).findings[0]).toEqual({ container: '/odd', problem: expect.stringMatching(/not understood \(Config\.Image\)/) });
  });

  it('splits image names with registries, ports and digests', () => {
    expect(imageParts('ghcr.io/open-webui/open-webui:main')).toEqual({ repo: 'open-webui/open-webui', tag: 'main' });
    expect(imageParts('localhost:5000/n8n')).toEqual({ repo: 'n8n', tag: 'latest' });
    expect(imageParts('ollama/ollama@sha256:abc')).toEqual({ repo: 'ollama/ollama', tag: 'latest' });
  });

  it('as a control: not applicable without Docker; drift with findings; the parse path from the facts script', () => {
    const ctx = (docker: ReturnType<typeof debianFacts>['docker']) => ({ facts: debianFacts({ docker }), login });
    const p = containersParams.parse({});
    expect(containers.check(ctx({ present: false, containers: [], networks: [] }), p).status).toBe('not-applicable');
    const m = '@@m';
    const out = `${m} docker\npresent\n${JSON.stringify([container({ name: 'n8n', image: 'n8nio/n8n:latest', networks: ['proxy'] })], null, 4)}\n${m} docker-networks\n${JSON.stringify(NETWORKS, null, 4)}\n`;
    const facts = parseFacts(out, m, '');
    expect(facts.docker.containers).toHaveLength(1);
    expect(facts.docker.networks).toHaveLength(4);
    const r = containers.check({ facts, login }, p);
    expect(r.status).toBe('drift');
    expect(r.evidence[0]).toMatch(/^n8n: n8n is on a network that is not internal \(proxy\)/);
  });
});
