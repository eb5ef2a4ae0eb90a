// Maps "METHOD /path/{param}" to a handler, like PVE's RESTHandler path templates.
import type { Caller } from './auth';
import type { SimState } from './types';

export interface RouteContext {
  state: SimState;
  caller: Caller;
  /** Query string and body parameters merged (PVE treats them alike). */
  params: Record<string, string>;
  /** Values of the {placeholders} in the route's path. */
  path: Record<string, string>;
  /** SHA-256 fingerprint of the certificate this node serves (for /nodes ssl_fingerprint). */
  fingerprint: () => string;
  /** PEMs of the cluster CA, the node certificate it issued, and a custom certificate if one is served. */
  certificates: () => { caPem: string; nodePem: string; customPem: string | null };
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler: (ctx: RouteContext) => unknown;
}

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: Route[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      return { route, regex: new RegExp(`^${source}$`), names };
    });
  }

  match(method: string, path: string): { route: Route; path: Record<string, string> } | undefined {
    for (const { route, regex, names } of this.compiled) {
      if (route.method !== method) continue;
      const m = regex.exec(path);
      if (!m) continue;
      const values: Record<string, string> = {};
      names.forEach((name, i) => (values[name] = decodeURIComponent(m[i + 1] ?? '')));
      return { route, path: values };
    }
    return undefined;
  }
}
