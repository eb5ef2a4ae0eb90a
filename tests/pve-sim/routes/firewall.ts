// /cluster/firewall: options, rules, ipsets, following pve-firewall's API handlers
// (src/PVE/API2/Firewall/{Cluster,Rules,IPSet}.pm). Reads need Sys.Audit on /, writes Sys.Modify.
import { listDigest, objectDigest } from '../digest';
import { PveError, parameterError } from '../errors';
import { findIpset, nowSeconds, readOptions } from '../firewall';
import { requirePrivilege } from '../privileges';
import type { Route, RouteContext } from '../router';
import type { FirewallRule, Ipset, SimState } from '../types';

const audit = (ctx: RouteContext) => requirePrivilege(ctx.caller.privileges, '/', 'Sys.Audit');
const modify = (ctx: RouteContext) => requirePrivilege(ctx.caller.privileges, '/', 'Sys.Modify');

/** PVE::Tools::assert_if_modified: only checked when the client sends a digest. */
function assertUnmodified(current: string, sent: string | undefined): void {
  if (sent !== undefined && sent !== current) {
    throw new PveError(500, 'detected modified configuration - file changed by other user? Try again.');
  }
}

function rejectUnknown(params: Record<string, string>, allowed: string[]): void {
  const errors: Record<string, string> = {};
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) errors[key] = 'property is not defined in schema and the schema does not allow additional properties';
  }
  if (Object.keys(errors).length) throw parameterError(errors);
}

// ---- options ----

const POLICY = /^(ACCEPT|DROP|REJECT)$/;
const OPTION_KEYS = ['enable', 'policy_in', 'policy_out', 'ebtables', 'log_ratelimit'];

function getOptions(ctx: RouteContext): unknown {
  audit(ctx);
  const options = readOptions(ctx.state);
  return { ...options, digest: objectDigest(options) };
}

function validateOptions(params: Record<string, string>): void {
  const errors: Record<string, string> = {};
  if (params.enable !== undefined && !/^\d+$/.test(params.enable)) errors.enable = 'type check (\'integer\') failed';
  for (const key of ['policy_in', 'policy_out'] as const) {
    const value = params[key];
    if (value !== undefined && !POLICY.test(value)) errors[key] = `value '${value}' does not have a value in the enumeration 'ACCEPT, REJECT, DROP'`;
  }
  if (params.ebtables !== undefined && !/^[01]$/.test(params.ebtables)) errors.ebtables = 'type check (\'boolean\') failed';
  if (Object.keys(errors).length) throw parameterError(errors);
}

/** set_options: enable > 1 stores the current time, starting the safety-net window; enable=1 confirms. */
function putOptions(ctx: RouteContext): null {
  modify(ctx);
  rejectUnknown(ctx.params, [...OPTION_KEYS, 'delete', 'digest']);
  validateOptions(ctx.params);
  const options = readOptions(ctx.state);
  assertUnmodified(objectDigest(options), ctx.params.digest);
  for (const key of (ctx.params.delete ?? '').split(/[,; ]/).filter(Boolean)) {
    if (!OPTION_KEYS.includes(key)) throw parameterError({ delete: `no such option '${key}'` });
    delete options[key];
  }
  for (const key of OPTION_KEYS) {
    const value = ctx.params[key];
    if (value === undefined) continue;
    options[key] = key === 'enable' || key === 'ebtables' ? Number(value) : value;
  }
  if (Number(ctx.params.enable ?? 0) > 1) options.enable = nowSeconds();
  ctx.state.firewall.options = options;
  return null;
}

// ---- rules ----

const RULE_KEYS = ['type', 'action', 'macro', 'proto', 'dport', 'sport', 'source', 'dest', 'iface', 'comment', 'enable', 'log'] as const;

function rulesWithDigest(state: SimState) {
  const digest = listDigest(state.firewall.rules);
  return state.firewall.rules.map((rule, pos) => ({ ...rule, pos, digest }));
}

/** PVE::Firewall::copy_rule_data: '' or '-' deletes a field, anything else sets it. */
function copyRuleData(rule: Record<string, string | number | undefined>, params: Record<string, string>): void {
  for (const key of RULE_KEYS) {
    const value = params[key];
    if (value === undefined) continue;
    if (value === '' || value === '-') delete rule[key];
    else rule[key] = key === 'enable' ? Number(value) : value;
  }
}

function verifyRule(rule: FirewallRule): void {
  const errors: Record<string, string> = {};
  if (!['in', 'out', 'group'].includes(rule.type)) errors.type = `value '${rule.type ?? ''}' does not have a value in the enumeration 'in, out, forward, group'`;
  if (rule.type !== 'group' && !/^(ACCEPT|DROP|REJECT)$/.test(rule.action ?? '')) errors.action = `value '${rule.action ?? ''}' does not match the regex pattern`;
  if (rule.dport && !rule.proto && !rule.macro) errors.dport = 'protocol required for dport';
  if (Object.keys(errors).length) throw parameterError(errors);
}

function ruleAt(state: SimState, posText: string | undefined): FirewallRule {
  const rule = state.firewall.rules[Number(posText)];
  if (!rule) throw new PveError(500, `no rule at position ${posText ?? ''}`);
  return rule;
}

function getRule(ctx: RouteContext): unknown {
  audit(ctx);
  ruleAt(ctx.state, ctx.path.pos);
  return rulesWithDigest(ctx.state)[Number(ctx.path.pos)];
}

/**
 * create_rule: PVE always unshifts the new rule to position 0 (a `pos` parameter is accepted by the
 * schema but ignored) and checks no digest; a rule is disabled unless enable is given.
 */
function createRule(ctx: RouteContext): null {
  modify(ctx);
  rejectUnknown(ctx.params, [...RULE_KEYS, 'pos', 'digest']);
  const rule = {} as FirewallRule;
  copyRuleData(rule as unknown as Record<string, string | number>, ctx.params);
  if (rule.enable === undefined) rule.enable = 0;
  verifyRule(rule);
  ctx.state.firewall.rules.unshift(rule);
  return null;
}

/** update_rule: with `moveto` only moves (other fields ignored), as in Rules.pm. */
function updateRule(ctx: RouteContext): null {
  modify(ctx);
  rejectUnknown(ctx.params, [...RULE_KEYS, 'pos', 'digest', 'moveto', 'delete']);
  const rules = ctx.state.firewall.rules;
  assertUnmodified(listDigest(rules), ctx.params.digest);
  const pos = Number(ctx.path.pos);
  const rule = ruleAt(ctx.state, ctx.path.pos);
  if (ctx.params.moveto !== undefined) {
    const moveto = Number(ctx.params.moveto);
    if (moveto === pos) return null;
    const others = rules.filter((_, i) => i !== pos);
    // Rules.pm inserts before the rule that was at `moveto` in the old list, or appends.
    const oldAtTarget = rules[moveto];
    const index = oldAtTarget === undefined ? others.length : others.indexOf(oldAtTarget);
    others.splice(index, 0, rule);
    ctx.state.firewall.rules = others;
    return null;
  }
  const updated = { ...rule } as unknown as Record<string, string | number | undefined>;
  copyRuleData(updated, ctx.params);
  for (const key of (ctx.params.delete ?? '').split(/[,; ]/).filter(Boolean)) {
    if (key === 'type' || key === 'action') throw parameterError({ delete: `unable to delete required property '${key}'` });
    delete updated[key];
  }
  verifyRule(updated as unknown as FirewallRule);
  rules[pos] = updated as unknown as FirewallRule;
  return null;
}

function deleteRule(ctx: RouteContext): null {
  modify(ctx);
  assertUnmodified(listDigest(ctx.state.firewall.rules), ctx.params.digest);
  ruleAt(ctx.state, ctx.path.pos);
  ctx.state.firewall.rules.splice(Number(ctx.path.pos), 1);
  return null;
}

// ---- ipsets ----

const IPSET_NAME = /^[A-Za-z][A-Za-z0-9\-_]+$/;

function ipsetIndex(state: SimState) {
  const list = [...state.firewall.ipsets]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => ({ name: s.name, ...(s.comment ? { comment: s.comment } : {}) }));
  const digest = listDigest(list);
  return { list: list.map((entry) => ({ ...entry, digest })), digest };
}

function namedIpset(state: SimState, name: string | undefined): Ipset {
  const ipset = findIpset(state, name ?? '');
  if (!ipset) throw new PveError(500, `no such IPSet '${name ?? ''}'`);
  return ipset;
}

/** create_ipset, or a rename when `rename` names an existing set (then the index digest is checked). */
function createIpset(ctx: RouteContext): null {
  modify(ctx);
  const { name = '', comment, rename, digest } = ctx.params;
  if (!IPSET_NAME.test(name)) throw parameterError({ name: 'value does not match the regex pattern' });
  if (rename !== undefined) {
    assertUnmodified(ipsetIndex(ctx.state).digest, digest);
    const existing = findIpset(ctx.state, rename);
    if (!existing) throw parameterError({ name: `IPSet '${rename}' does not exist` });
    if (name !== rename && findIpset(ctx.state, name)) throw parameterError({ name: `IPSet '${name}' does already exist` });
    existing.name = name;
    if (comment !== undefined) existing.comment = comment;
    return null;
  }
  if (findIpset(ctx.state, name)) throw parameterError({ name: `IPSet '${name}' already exists` });
  ctx.state.firewall.ipsets.push({ name, ...(comment !== undefined ? { comment } : {}), entries: [] });
  return null;
}

function getIpset(ctx: RouteContext): unknown {
  audit(ctx);
  const entries = namedIpset(ctx.state, ctx.path.name).entries;
  const digest = listDigest(entries);
  return entries.map((entry) => ({ ...entry, digest }));
}

/** create_ip: new entries go to the front; duplicates and /0 are parameter errors. */
function addIpsetEntry(ctx: RouteContext): null {
  modify(ctx);
  const ipset = namedIpset(ctx.state, ctx.path.name);
  const { cidr = '', comment, nomatch } = ctx.params;
  if (ipset.entries.some((e) => e.cidr === cidr)) throw parameterError({ cidr: `address '${cidr}' already exists` });
  if (/\/0+$/.test(cidr)) throw parameterError({ cidr: 'a zero prefix is not allowed in ipset entries' });
  ipset.entries.unshift({ cidr, ...(nomatch === '1' ? { nomatch: 1 } : {}), ...(comment ? { comment } : {}) });
  return null;
}

function deleteIpsetEntry(ctx: RouteContext): null {
  modify(ctx);
  const ipset = namedIpset(ctx.state, ctx.path.name);
  assertUnmodified(listDigest(ipset.entries), ctx.params.digest);
  ipset.entries = ipset.entries.filter((e) => e.cidr !== ctx.path.cidr);
  return null;
}

function deleteIpset(ctx: RouteContext): null {
  modify(ctx);
  const ipset = namedIpset(ctx.state, ctx.path.name);
  if (ipset.entries.length && ctx.params.force !== '1') throw new PveError(500, `IPSet '${ipset.name}' is not empty`);
  ctx.state.firewall.ipsets = ctx.state.firewall.ipsets.filter((s) => s !== ipset);
  return null;
}

export const firewallRoutes: Route[] = [
  { method: 'GET', path: '/cluster/firewall/options', handler: getOptions },
  { method: 'PUT', path: '/cluster/firewall/options', handler: putOptions },
  { method: 'GET', path: '/cluster/firewall/rules', handler: (ctx) => (audit(ctx), rulesWithDigest(ctx.state)) },
  { method: 'POST', path: '/cluster/firewall/rules', handler: createRule },
  { method: 'GET', path: '/cluster/firewall/rules/{pos}', handler: getRule },
  { method: 'PUT', path: '/cluster/firewall/rules/{pos}', handler: updateRule },
  { method: 'DELETE', path: '/cluster/firewall/rules/{pos}', handler: deleteRule },
  { method: 'GET', path: '/cluster/firewall/ipset', handler: (ctx) => (audit(ctx), ipsetIndex(ctx.state).list) },
  { method: 'POST', path: '/cluster/firewall/ipset', handler: createIpset },
  { method: 'GET', path: '/cluster/firewall/ipset/{name}', handler: getIpset },
  { method: 'POST', path: '/cluster/firewall/ipset/{name}', handler: addIpsetEntry },
  { method: 'DELETE', path: '/cluster/firewall/ipset/{name}', handler: deleteIpset },
  { method: 'DELETE', path: '/cluster/firewall/ipset/{name}/{cidr}', handler: deleteIpsetEntry },
];
