import { describe, expect, it } from 'vitest';
import {
  BULWARK_DROPIN,
  commentOut,
  conflictsFor,
  hasDropinInclude,
  parseConfigLines,
  readOrder,
  renderDropin,
  withInclude,
} from '../../../main/services/hardening/sshd-config';

const DEBIAN_MAIN = `# This is the sshd server system-wide configuration file.
Include /etc/ssh/sshd_config.d/*.conf

KbdInteractiveAuthentication no
UsePAM yes
X11Forwarding yes
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
PermitRootLogin yes
PasswordAuthentication yes
`;
const wanted = new Map([
  ['PasswordAuthentication', 'no'],
  ['PermitRootLogin', 'no'],
]);

describe('sshd_config read order', () => {
  it('reads drop-ins where the Include stands, sorted byte-wise, and skips Match blocks', () => {
    const order = readOrder({
      mainConfig: `Port 22\n${DEBIAN_MAIN}Match User backup\n  PasswordAuthentication yes\n`,
      dropins: [
        { path: '/etc/ssh/sshd_config.d/50-cloud-init.conf', content: 'PasswordAuthentication yes\n' },
        { path: '/etc/ssh/sshd_config.d/10-a.conf', content: 'LogLevel VERBOSE\nMatch Address 10.0.0.0/8\nPermitRootLogin yes\n' },
        { path: '/etc/ssh/sshd_config.d/notes.txt', content: 'PasswordAuthentication yes\n' },
      ],
    });
    expect(order.map((l) => `${l.file.replace('/etc/ssh/', '')}:${l.keyword}`)).toEqual([
      'sshd_config:port',
      'sshd_config.d/10-a.conf:loglevel',
      'sshd_config.d/50-cloud-init.conf:passwordauthentication',
      'sshd_config:kbdinteractiveauthentication',
      'sshd_config:usepam',
      'sshd_config:x11forwarding',
      'sshd_config:printmotd',
      'sshd_config:acceptenv',
      'sshd_config:subsystem',
      'sshd_config:permitrootlogin',
      'sshd_config:passwordauthentication',
    ]);
  });

  it('accepts "Keyword=value" and any case, as sshd does', () => {
    expect(parseConfigLines('f', 'passwordAuthentication=no\n  PORT   2222 \n# Port 1\n')).toEqual([
      { file: 'f', line: 1, keyword: 'passwordauthentication', value: 'no', inMatch: false },
      { file: 'f', line: 2, keyword: 'port', value: '2222', inMatch: false },
    ]);
  });
});

describe('conflicts with the Bulwark drop-in', () => {
  it('none on stock Debian: the drop-in is read before the main file sets its values', () => {
    expect(conflictsFor({ mainConfig: DEBIAN_MAIN, dropins: [] }, wanted)).toEqual([]);
  });

  it('a later cloud-init drop-in loses to ours and is no conflict', () => {
    const dropins = [{ path: '/etc/ssh/sshd_config.d/50-cloud-init.conf', content: 'PasswordAuthentication yes\n' }];
    expect(conflictsFor({ mainConfig: DEBIAN_MAIN, dropins }, wanted)).toEqual([]);
  });

  it('a drop-in sorting before ours, or a main-file line above the Include, decides first', () => {
    const dropins = [{ path: '/etc/ssh/sshd_config.d/0-early.conf', content: 'PasswordAuthentication yes\n' }];
    const main = `PermitRootLogin prohibit-password\n${DEBIAN_MAIN}`;
    expect(conflictsFor({ mainConfig: main, dropins }, wanted)).toEqual([
      { keyword: 'PasswordAuthentication', file: '/etc/ssh/sshd_config.d/0-early.conf', line: 1, value: 'yes' },
      { keyword: 'PermitRootLogin', file: '/etc/ssh/sshd_config', line: 1, value: 'prohibit-password' },
    ]);
  });

  it('an earlier line with the same value is no conflict', () => {
    expect(conflictsFor({ mainConfig: `PasswordAuthentication no\n${DEBIAN_MAIN}`, dropins: [] }, wanted)).toEqual([]);
  });

  it('without an Include the drop-in is never read, so every main-file value wins', () => {
    const main = DEBIAN_MAIN.replace(/^Include .*$/m, '');
    expect(hasDropinInclude(main)).toBe(false);
    expect(conflictsFor({ mainConfig: main, dropins: [] }, wanted).map((c) => c.keyword)).toEqual(['PasswordAuthentication', 'PermitRootLogin']);
    const fixed = withInclude(main);
    expect(hasDropinInclude(fixed)).toBe(true);
    expect(conflictsFor({ mainConfig: fixed, dropins: [] }, wanted)).toEqual([]);
    expect(withInclude(fixed)).toBe(fixed);
  });
});

describe('editing', () => {
  it('renders the drop-in with a header and one line per setting', () => {
    expect(renderDropin(wanted)).toBe(
      '# Managed by Bulwark: changes here are replaced on the next apply.\n# sshd uses the first value it reads; this file sorts first in sshd_config.d.\nPasswordAuthentication no\nPermitRootLogin no\n',
    );
    expect(BULWARK_DROPIN < '/etc/ssh/sshd_config.d/01-x.conf').toBe(true);
  });

  it('comments out exactly the given lines, keeping their text', () => {
    expect(commentOut('A 1\nPermitRootLogin yes\nB 2', new Set([2]))).toBe('A 1\n# PermitRootLogin yes  # disabled by Bulwark: its drop-in decides this setting\nB 2');
  });
});
