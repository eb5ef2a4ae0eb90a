/**
 * runs:report: a recorded run as a report file (HTML or JSON) for the renderer to save. The
 * text is built here, in main, so the renderer never assembles HTML from host data.
 */
import type { AppServices } from '../services/app';
import { replyOf } from '../services/hardening/group-plans';
import { runReport } from '../services/hardening/report';
import type { Handlers } from './router';

export function createReportHandlers(s: Pick<AppServices, 'history'>): Pick<Handlers, 'runs:report'> {
  return {
    'runs:report': ({ id, format }) => runReport(replyOf(s.history.require(id)), format),
  };
}
