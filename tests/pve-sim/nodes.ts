// Node lookup with the failures pveproxy reports when it cannot proxy a /nodes/{node} call.
import { PveError } from './errors';
import type { SimNode, SimState } from './types';

export function reachableNode(state: SimState, name: string): SimNode {
  const node = state.nodes.find((n) => n.name === name);
  if (!node) {
    throw new PveError(500, `hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`);
  }
  if (node.online === false) throw new PveError(595, 'No route to host');
  return node;
}

export function isOnline(state: SimState, nodeName: string): boolean {
  return state.nodes.find((n) => n.name === nodeName)?.online !== false;
}
