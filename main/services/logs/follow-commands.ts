/**
 * The shell commands that follow one source from a resume position. Every value in them is
 * validated here (cursor, inode, offset) or a constant (paths come from sources.ts only).
 *
 * Files: where to resume is (inode, byte offset). When the file was rotated since (its inode
 * changed), the rest of the old file is printed first from the rotated name that still has that
 * inode, then a header line (the inode and offset the follow starts at: 0 of the new file),
 * then the new file's bytes: nothing lost, nothing twice. tail's own notices (rotation,
 * truncation) come in-band on the same stream (2>&1), in order with the bytes around them.
 *
 * Journal: resume AT the cursor (`--cursor`), and FollowStream drops the record that carries it.
 * Not `--after-cursor`: journalctl skips one entry past wherever the seek lands, and when the
 * cursor's own entry is not found exactly (seen after a host's reboot) that skips the first
 * entry the follower has not seen. A first start shows the last matching record too, only for
 * its cursor: a follower that has not seen any record yet still has a position to resume from.
 * `--merge`: without it journalctl --follow leaves out the records of earlier boots after the
 * cursor (measured on Debian 12's systemd 252: a line logged just before a reboot was never
 * shown by a follower started after it, though a plain read showed it). --merge also reads other
 * machines' journals (journal-remote), so _MACHINE_ID comes along and FollowStream keeps only
 * this host's.
 */
import { BulwarkError } from '../../../shared/errors';
import { shellQuote } from '../ssh/quote';
import type { FileSource } from './sources';

export interface FilePosition {
  /** The file's inode when the offset was taken; null: the file the name points to now. */
  inode: number | null;
  offset: number;
}

const CURSOR = /^[A-Za-z0-9=;_-]{1,512}$/;

/** sshd under its three names, sudo, and fail2ban's unit: OR-ed journal matches. */
export const JOURNAL_MATCHES = ['SYSLOG_IDENTIFIER=sshd', 'SYSLOG_IDENTIFIER=sshd-session', 'SYSLOG_IDENTIFIER=sshd-auth', 'SYSLOG_IDENTIFIER=sudo', '_SYSTEMD_UNIT=fail2ban.service'];
const JOURNAL_FIELDS = 'MESSAGE,SYSLOG_IDENTIFIER,SYSLOG_PID,_PID,_COMM,_SYSTEMD_UNIT,_MACHINE_ID';

export function journalFollowCommand(cursor: string | null): string {
  if (cursor !== null && !CURSOR.test(cursor)) throw new BulwarkError('VALIDATION', 'not a journald cursor');
  const start = cursor === null ? '-n 1' : `--cursor=${shellQuote(cursor)}`;
  return `exec journalctl --follow --merge --output=json --no-pager --output-fields=${JOURNAL_FIELDS} ${start} ${JOURNAL_MATCHES.join(' + ')}`;
}

/** The header line's marker: `<marker> <inode> <offset>`. */
export const FOLLOW_HEADER = '@@bulwark-follow';

export function fileFollowCommand(src: FileSource, from: FilePosition | null): string {
  if (from && (!Number.isSafeInteger(from.offset) || from.offset < 0 || (from.inode !== null && (!Number.isSafeInteger(from.inode) || from.inode < 0)))) {
    throw new BulwarkError('VALIDATION', 'bad file position');
  }
  const f = shellQuote(src.path);
  const dir = shellQuote(src.path.slice(0, src.path.lastIndexOf('/')));
  const base = shellQuote(`${src.path.slice(src.path.lastIndexOf('/') + 1)}*`);
  const lines = [
    `f=${f}`,
    'ino=$(stat -c %i -- "$f" 2>/dev/null) || { echo "bulwark: cannot read $f" >&2; exit 66; }',
  ];
  if (!from) {
    // a new follower starts at the end
    lines.push('off=$(stat -c %s -- "$f")');
  } else {
    lines.push(`off=${from.offset}`);
    if (from.inode !== null) {
      lines.push(
        `if [ "$ino" != ${from.inode} ]; then`,
        // rotated: the rest of the old file under its new name (same inode), then all of the new one
        `  old=$(find ${dir} -maxdepth 1 -inum ${from.inode} -name ${base} ! -name '*.gz' 2>/dev/null | head -n 1)`,
        `  [ -n "$old" ] && tail -c +$((off + 1)) -- "$old"`,
        '  off=0',
        'fi',
      );
    }
    // a file shorter than the offset was truncated in place (copytruncate): read it all
    lines.push('[ "$(stat -c %s -- "$f")" -lt "$off" ] && off=0');
  }
  // -s 0.1: on file systems tail does not trust for inotify (overlayfs, NFS) it polls, once a
  // second by default: lines then waited ~1 s (measured: auth.log p50 968 ms on the fleet)
  lines.push(`printf '${FOLLOW_HEADER} %s %s\\n' "$ino" "$off"`, 'exec tail -s 0.1 -c +$((off + 1)) -F -- "$f" 2>&1');
  return lines.join('\n');
}
