/**
 * Ansible inventory import: detects INI or YAML, parses into the shared model and maps it to
 * host entries. Export lives in ansible-export.ts.
 */
import { parseAnsibleIni } from './ansible-ini';
import { parseAnsibleYaml } from './ansible-yaml';
import { inventoryToEntries } from './ansible-entries';
import type { ParsedImport } from './types';

export type InventoryFormat = 'ini' | 'yaml';

/**
 * The file name decides when it has a telling extension; otherwise the first meaningful line:
 * `---` or `key:` followed by a space or line end is YAML (an INI host line `h:2222` has no
 * space after the colon, an INI section starts with `[`).
 */
export function detectInventoryFormat(text: string, fileName?: string): InventoryFormat {
  const ext = fileName?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'yml' || ext === 'yaml' || ext === 'json') return 'yaml';
  if (ext === 'ini' || ext === 'cfg') return 'ini';
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('---') || line.startsWith('{')) return 'yaml';
    return /^[^\s=[#;][^=]*?:(\s|$)/.test(line) && !line.includes('=') ? 'yaml' : 'ini';
  }
  return 'ini';
}

export function parseAnsibleInventory(text: string, options: { fileName?: string } = {}): ParsedImport {
  const format = detectInventoryFormat(text, options.fileName);
  const inv = format === 'yaml' ? parseAnsibleYaml(text) : parseAnsibleIni(text);
  return inventoryToEntries(inv, options.fileName ?? 'inventory');
}
