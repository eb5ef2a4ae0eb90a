/**
 * Profiles as YAML: every built-in profile and a custom one round-trip (export, import, same
 * profile), the file reads the same under YAML 1.1 (PyYAML) as under 1.2, and hostile files are
 * refused with the line and, for parameters, the control and the field: syntax errors, wrong
 * markers, duplicate keys, alias bombs, huge files, wrong types, shell metacharacters.
 */
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../../main/services/hardening/profile-store';
import { MAX_PROFILE_YAML, profileFromYaml, profileToYaml } from '../../../main/services/hardening/profile-yaml';
import { BUILT_IN_PROFILES, type Profile } from '../../../main/services/hardening/profiles';
import { expectCode } from '../../helpers/expect-error';
import { type OpenVault, openVault } from '../inventory/vault-fixture';

let v: OpenVault | undefined;
afterEach(() => {
  v?.close();
  v = undefined;
});

const custom: Profile = {
  id: 'web-strict',
  name: 'Web: strict, "yes" & no',
  description: 'Multi-line\ndescription: with a colon, # a hash and {{ braces }}',
  controls: [
    { id: 'ssh-key-access' },
    { id: 'sshd-auth', params: { permitRootLogin: 'no' } },
    { id: 'sshd-strict', params: { maxAuthTries: 5, allowTcpForwarding: true, hostKeys: ['ed25519'] } },
    { id: 'ufw', params: { sshFrom: '10.0.0.0/8', lanCidr: null } },
    { id: 'fail2ban', params: { maxretry: 5, bantime: 86400, findtime: 600 } },
    { id: 'exposure', params: { allowedPorts: [443, 80] } },
  ],
};

const head = 'bulwark-profile: 1\nid: my-prof\nname: Mine\n';

describe('profile YAML', () => {
  it('round-trips every built-in profile (as a copy) and a custom one', () => {
    for (const p of [...BUILT_IN_PROFILES, custom]) {
      const file = profileToYaml(p);
      expect(file.fileName).toBe(`${p.id}.bulwark-profile.yml`);
      expect(file.text).toMatch(/^# Bulwark hardening profile/);
      expect(file.text).toMatch(/^bulwark-profile: 1$/m);
      expect(profileFromYaml(file.text)).toEqual(p);
    }
    expect(profileToYaml(BUILT_IN_PROFILES[0]!).text).toContain('a built-in profile: import it under another id');
  });

  it('quotes what YAML 1.1 (Ansible, PyYAML) would read as booleans', () => {
    const text = profileToYaml(custom).text;
    expect(text).toContain('permitRootLogin: "no"');
    // a 1.1 reading gives the same values
    expect(parse(text, { version: '1.1' })).toMatchObject({ controls: expect.arrayContaining([{ id: 'sshd-auth', params: { permitRootLogin: 'no' } }]) });
  });

  it('imports what a person writes: parameters left out take defaults, unquoted no is a string', () => {
    const p = profileFromYaml(`${head}controls:\n  - id: sshd-auth\n    params: { permitRootLogin: no }\n  - id: fail2ban\n`);
    expect(p).toEqual({ id: 'my-prof', name: 'Mine', description: '', controls: [{ id: 'sshd-auth', params: { permitRootLogin: 'no' } }, { id: 'fail2ban' }] });
  });

  it('saves through the store: CONFLICT on an existing id unless replace, built-in ids refused', () => {
    v = openVault();
    const s = new ProfileStore(v.vault);
    const text = profileToYaml(custom).text;
    s.save(profileFromYaml(text));
    expectCode(() => s.save(profileFromYaml(text)), 'CONFLICT', /already exists/);
    s.save(profileFromYaml(text.replace('maxretry: 5', 'maxretry: 6')), { replace: true });
    expect(s.get('web-strict')!.controls.find((c) => c.id === 'fail2ban')!.params).toMatchObject({ maxretry: 6 });
    expectCode(() => s.save(profileFromYaml(profileToYaml(BUILT_IN_PROFILES[0]!).text)), 'CONFLICT', /built-in profile/);
  });

  it('names the line of a syntax error, a duplicate key and a bad marker', () => {
    expectCode(() => profileFromYaml(`${head}controls:\n  - id: ufw\n    params: [1\n`), 'IMPORT_PARSE', /^Profile YAML line \d+: /);
    expectCode(() => profileFromYaml(`${head}name: Again\ncontrols:\n  - id: ufw\n`), 'IMPORT_PARSE', /line 4: Map keys must be unique/);
    expectCode(() => profileFromYaml(`${head}controls:\n  - id: ufw\n    params:\n      lanCidr: 10.0.0.0/8\n      lanCidr: 0.0.0.0/0\n`), 'IMPORT_PARSE', /line 8: Map keys must be unique/);
    expectCode(() => profileFromYaml('id: x\nname: y\n'), 'IMPORT_PARSE', /"bulwark-profile: 1" is missing/);
    expectCode(() => profileFromYaml('bulwark-profile: 2\nid: x\n'), 'IMPORT_PARSE', /line 1: format 2 is newer/);
    expectCode(() => profileFromYaml('bulwark-profile: "1"\nid: x\n'), 'IMPORT_PARSE', /must be 1/);
    expectCode(() => profileFromYaml('- just\n- a list\n'), 'IMPORT_PARSE', /line 1: not a Bulwark profile/);
    expectCode(() => profileFromYaml(''), 'IMPORT_PARSE', /not a Bulwark profile/);
    expectCode(() => profileFromYaml(`${head}---\n${head}`), 'IMPORT_PARSE', /line \d+/);
  });

  it('names the line, the control and the field of a bad parameter', () => {
    const bad = (params: string) => `${head}controls:\n  - id: ssh-key-access\n  - id: ufw\n    params:\n${params}`;
    const e = expectCode(() => profileFromYaml(bad('      sshFrom: anywhere\n      lanCidr: "10.0.0.0/8; rm -rf /"\n')), 'VALIDATION', /^Profile YAML line 9: control ufw: lanCidr/);
    expect(e.fields).toEqual({ 'controls.1.params.lanCidr': expect.any(String) });
    expectCode(() => profileFromYaml(`${head}controls:\n  - id: sshd-port\n    params:\n      port: 65536\n`), 'VALIDATION', /line 7: control sshd-port: port Too big/);
    expectCode(() => profileFromYaml(`${head}controls:\n  - id: fail2ban\n    params:\n      maxretry: [3]\n`), 'VALIDATION', /line 7: control fail2ban: maxretry .*expected number/);
    expectCode(() => profileFromYaml(`${head}controls:\n  - id: fail2ban\n  - id: telnetd\n`), 'VALIDATION', /line 6: unknown control "telnetd"/);
    expectCode(() => profileFromYaml(`${head}controls:\n  - id: ufw\n    params: 7\n`), 'VALIDATION', /line 6: controls\.0\.params/);
    expectCode(() => profileFromYaml(`${head}controls: ufw\n`), 'VALIDATION', /line 4: controls: /);
    expectCode(() => profileFromYaml(`bulwark-profile: 1\nid: Not A Slug\nname: x\ncontrols:\n  - id: ufw\n`), 'VALIDATION', /line 2: id: must be/);
    // a missing field is reported where the document is
    expectCode(() => profileFromYaml(`bulwark-profile: 1\nid: my-prof\ncontrols:\n  - id: ufw\n`), 'VALIDATION', /line 1: name: /);
    expectCode(() => profileFromYaml(`${head}controls:\n  - id: ufw\n    run: rm -rf /\n`), 'VALIDATION', /Unrecognized key/);
  });

  it('refuses alias bombs and huge files before expanding them', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`), 'bulwark-profile: 1'].join('\n');
    const t0 = performance.now();
    expectCode(() => profileFromYaml(bomb), 'IMPORT_PARSE', /Excessive alias count.*aliases are limited/);
    expect(performance.now() - t0).toBeLessThan(2000);
    expectCode(() => profileFromYaml(`${head}description: "${'x'.repeat(MAX_PROFILE_YAML)}"\n`), 'IMPORT_PARSE', /a profile is at most 262144/);
    // within the size limit but over the schema's: the field is named
    expectCode(() => profileFromYaml(`${head}description: "${'x'.repeat(2000)}"\ncontrols:\n  - id: ufw\n`), 'VALIDATION', /line 4: description: /);
    // an alias or two is fine
    expect(profileFromYaml('bulwark-profile: 1\nid: my-prof\nname: &n Mine\ndescription: *n\ncontrols:\n  - id: fail2ban\n').description).toBe('Mine');
  });
});
