/** Log lines and journald records into typed LogEvents: pure functions, no I/O. */
export { parseSyslogLine, type SyslogLineOptions } from './syslog-line';
export { parseJournaldRecord, type JournaldOptions } from './journald-record';
export { parseFail2banLine, type Fail2banLineOptions } from './fail2ban-line';
export { SshdSessions } from './sessions';
export { decodeLogBytes } from './text';
export { normalizeRemote } from './address';
