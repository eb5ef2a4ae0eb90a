/**
 * Control 9 (check only): container isolation and app authentication, from `docker inspect`
 * of the running containers and `docker network inspect` (facts.docker). Flags:
 *
 * - ports published on every address (0.0.0.0, ::, or no HostIp): Docker writes its own
 *   iptables rules, so such a port is open to the network whatever UFW says;
 * - host networking (every port the container listens on is the host's);
 * - AI services (Open WebUI, n8n, Ollama and the like, matched by image name) on a network
 *   that is not `internal` (they reach and are reachable beyond the host);
 * - Open WebUI with WEBUI_AUTH=false (its default is on: an unset variable is not flagged);
 * - n8n before 1.0 without authentication: N8N_BASIC_AUTH_ACTIVE=true, or user management
 *   (0.156 and later, unless N8N_USER_MANAGEMENT_DISABLED=true). n8n 1.0 removed basic auth
 *   and always runs user management: there the owner account guards it (the instance is open
 *   to the first visitor until one is set up, which inspect cannot see: said in the evidence).
 *
 * Not applicable where Docker is absent. The JSON is checked with zod field by field; a
 * container whose JSON does not parse is reported, never guessed about.
 */
import { z } from '../../../../shared/zod';
import { type Control, emptyPlan } from '../control';

export const containersParams = z
  .object({
    /** Host ports the user accepts being published on every address (e.g. a reverse proxy's 443). */
    allowedPorts: z.array(z.number().int().min(1).max(65535)).max(100).default([]),
  })
  .strict();
export type ContainersParams = z.output<typeof containersParams>;

const binding = z.object({ HostIp: z.string().optional(), HostPort: z.string().optional() });
const inspect = z.object({
  Name: z.string(),
  Config: z.object({ Image: z.string(), Env: z.array(z.string()).nullable().optional() }),
  HostConfig: z.object({ NetworkMode: z.string().optional() }).optional(),
  NetworkSettings: z.object({
    Ports: z.record(z.string(), z.array(binding).nullable()).nullable().optional(),
    Networks: z.record(z.string(), z.unknown()).nullable().optional(),
  }),
});
const network = z.object({ Name: z.string(), Internal: z.boolean().optional() });
export type ContainerInspect = z.output<typeof inspect>;

/** Image names of self-hosted AI services: repository path without registry and tag. */
const AI_IMAGES: ReadonlyArray<[RegExp, string]> = [
  [/(^|\/)open-webui$/, 'Open WebUI'],
  [/(^|\/)n8n$/, 'n8n'],
  [/(^|\/)ollama$/, 'Ollama'],
  [/(^|\/)(local-ai|localai)$/, 'LocalAI'],
  [/(^|\/)vllm(-openai)?$/, 'vLLM'],
  [/(^|\/)text-generation-(webui|inference)$/, 'text generation server'],
  [/(^|\/)(flowise|flowiseai)$/, 'Flowise'],
  [/(^|\/)langflow$/, 'Langflow'],
  [/(^|\/)anythingllm$/, 'AnythingLLM'],
  [/(^|\/)librechat$/, 'LibreChat'],
  [/(^|\/)litellm$/, 'LiteLLM'],
  [/(^|\/)dify-(api|web)$/, 'Dify'],
  [/(^|\/)comfyui$/, 'ComfyUI'],
];

/** "ghcr.io/open-webui/open-webui:main" -> repository "open-webui/open-webui", tag "main". */
export function imageParts(image: string): { repo: string; tag: string } {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const tag = colon > slash ? noDigest.slice(colon + 1) : 'latest';
  let repo = colon > slash ? noDigest.slice(0, colon) : noDigest;
  const first = repo.split('/')[0]!;
  // a registry host has a dot or a port, or is localhost
  if (repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) repo = repo.slice(first.length + 1);
  return { repo: repo.toLowerCase(), tag };
}

function aiService(image: string): string | null {
  const { repo } = imageParts(image);
  return AI_IMAGES.find(([re]) => re.test(repo))?.[1] ?? null;
}

function envOf(c: ContainerInspect): Map<string, string> {
  return new Map((c.Config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=') < 0 ? e.length : e.indexOf('=')), e.includes('=') ? e.slice(e.indexOf('=') + 1) : '']));
}

const truthy = (v: string | undefined) => v !== undefined && /^(true|1|yes)$/i.test(v.trim());
const falsy = (v: string | undefined) => v !== undefined && /^(false|0|no)$/i.test(v.trim());

/** n8n's major.minor from the tag ("1.64.3", "0.236.0", "1.64.3-debian"); null for latest/next/unknown. */
function n8nVersion(tag: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)/.exec(tag);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export interface ContainerFinding {
  container: string;
  problem: string;
}

/** Every problem and the evidence lines, for containers and networks as inspect printed them. */
export function auditContainers(containers: readonly unknown[], networks: readonly unknown[], p: ContainersParams): { findings: ContainerFinding[]; evidence: string[] } {
  const internal = new Map<string, boolean>();
  for (const n of networks) {
    const r = network.safeParse(n);
    if (r.success) internal.set(r.data.Name, r.data.Internal === true);
  }
  const findings: ContainerFinding[] = [];
  const evidence: string[] = [];
  for (const raw of containers) {
    const r = inspect.safeParse(raw);
    if (!r.success) {
      const name = typeof raw === 'object' && raw !== null && 'Name' in raw ? String((raw as { Name: unknown }).Name) : '(unnamed)';
      findings.push({ container: name, problem: `docker inspect output not understood (${r.error.issues[0]?.path.join('.') ?? ''}): check it by hand` });
      continue;
    }
    const c = r.data;
    const name = c.Name.replace(/^\//, '');
    const flag = (problem: string) => findings.push({ container: name, problem });
    const service = aiService(c.Config.Image);
    const mode = c.HostConfig?.NetworkMode ?? '';
    if (mode === 'host') flag('uses the host network: every port it listens on is open on the host');

    for (const [containerPort, bindings] of Object.entries(c.NetworkSettings.Ports ?? {})) {
      for (const b of bindings ?? []) {
        const ip = b.HostIp ?? '';
        if (ip !== '' && ip !== '0.0.0.0' && ip !== '::') continue;
        const hostPort = Number(b.HostPort);
        if (p.allowedPorts.includes(hostPort)) continue;
        flag(`publishes ${containerPort} on ${ip === '' ? 'every address' : ip}:${b.HostPort ?? '?'} (Docker bypasses UFW for published ports; bind to 127.0.0.1 or a tunnel)`);
      }
    }

    if (service) {
      const nets = Object.keys(c.NetworkSettings.Networks ?? {});
      const open = mode === 'host' ? [] : nets.filter((n) => n !== 'none' && internal.get(n) !== true);
      if (open.length) flag(`${service} is on a network that is not internal (${open.join(', ')}): it can reach out and be reached beyond its stack`);
      const env = envOf(c);
      if (service === 'Open WebUI') {
        if (falsy(env.get('WEBUI_AUTH'))) flag('Open WebUI runs with WEBUI_AUTH=false: anyone who reaches it is an admin');
        else evidence.push(`${name}: Open WebUI login ${env.has('WEBUI_AUTH') ? `WEBUI_AUTH=${env.get('WEBUI_AUTH') ?? ''}` : 'on (WEBUI_AUTH unset, its default is on)'}`);
      }
      if (service === 'n8n') {
        const v = n8nVersion(imageParts(c.Config.Image).tag);
        if (v && v[0] < 1) {
          const basic = truthy(env.get('N8N_BASIC_AUTH_ACTIVE'));
          const users = (v[1] >= 156 || v[0] > 0) && !truthy(env.get('N8N_USER_MANAGEMENT_DISABLED'));
          if (!basic && !users) flag(`n8n ${v.join('.')} has no authentication (neither N8N_BASIC_AUTH_ACTIVE=true nor user management)`);
          else evidence.push(`${name}: n8n ${v.join('.')} ${basic ? 'basic auth on' : 'user management on'}`);
        } else {
          evidence.push(`${name}: n8n ${v ? v.join('.') : imageParts(c.Config.Image).tag} always requires a login (user management); make sure the owner account is set up${env.has('N8N_BASIC_AUTH_ACTIVE') ? ' (N8N_BASIC_AUTH_ACTIVE is ignored since 1.0)' : ''}`);
        }
      }
    }
    if (!findings.some((f) => f.container === name)) evidence.push(`${name} (${c.Config.Image}): nothing to flag`);
  }
  return { findings, evidence: [...findings.map((f) => `${f.container}: ${f.problem}`), ...evidence] };
}

export const containers: Control<ContainersParams> = {
  id: 'containers',
  title: 'Container isolation and app authentication',
  reason: 'Docker publishes ports past the host firewall, and self-hosted AI tools often run without a login: a container is an open door unless it is bound to localhost, isolated and authenticated.',
  params: containersParams as unknown as z.ZodType<ContainersParams>,
  kind: 'check',
  check({ facts }, p) {
    if (!facts.docker.present) return { status: 'not-applicable', evidence: ['Docker is not installed'] };
    if (facts.docker.containers.length === 0) return { status: 'compliant', evidence: ['no running containers'] };
    const { findings, evidence } = auditContainers(facts.docker.containers, facts.docker.networks, p);
    return { status: findings.length ? 'drift' : 'compliant', evidence };
  },
  plan: () => emptyPlan(),
};
