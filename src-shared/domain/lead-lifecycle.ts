// The lead lifecycle as one state machine, the same on desktop and server: a transition table plus its checks.
import { ErrorCode } from '../api/errors';
import type { Permission, QualificationCriteria } from './accounts.schema';
import type { Lead, LeadStatus } from './leads.schema';
import type { FieldProblem, Result } from './result';
import { ok, refuse } from './result';

/**
 * Where a lead may go from each status.
 * - Forward one step at a time, with two skips reps ask for: NEW → CONTACTED (they called before qualifying; the
 *   qualification criteria still apply) and QUALIFIED → NEGOTIATING (the lead came back ready to talk terms).
 * - Back one step (QUALIFIED → NEW, CONTACTED → QUALIFIED, NEGOTIATING → CONTACTED) to undo a premature move.
 * - Every live status may be DISQUALIFIED (with a reason).
 * - CONVERTED only through conversion, and only from QUALIFIED, CONTACTED or NEGOTIATING.
 * - DISQUALIFIED reopens to NEW with the 'leads.reopen' permission; CONVERTED never reopens (its contact, company
 *   and deal exist now; the deal carries the story from here).
 */
export const LEAD_TRANSITIONS: Readonly<Record<LeadStatus, readonly LeadStatus[]>> = {
  NEW: ['QUALIFIED', 'CONTACTED', 'DISQUALIFIED'],
  QUALIFIED: ['NEW', 'CONTACTED', 'NEGOTIATING', 'CONVERTED', 'DISQUALIFIED'],
  CONTACTED: ['QUALIFIED', 'NEGOTIATING', 'CONVERTED', 'DISQUALIFIED'],
  NEGOTIATING: ['CONTACTED', 'CONVERTED', 'DISQUALIFIED'],
  CONVERTED: [],
  DISQUALIFIED: ['NEW'],
};

/** The permission a reopen (DISQUALIFIED → NEW) needs. */
export const REOPEN_PERMISSION: Permission = 'leads.reopen';

/** Statuses past qualification: entering one of them from NEW means the lead must meet the criteria. */
const QUALIFIED_OR_LATER: ReadonlySet<LeadStatus> = new Set(['QUALIFIED', 'CONTACTED', 'NEGOTIATING', 'CONVERTED']);

export function isTerminalLeadStatus(status: LeadStatus): boolean {
  return status === 'CONVERTED' || status === 'DISQUALIFIED';
}

export type LeadLifecycleFields = Pick<Lead, 'status' | 'email' | 'phone' | 'companyName' | 'title' | 'country' | 'score'>;

export interface LeadTransitionContext {
  criteria: QualificationCriteria;
  permissions: readonly Permission[];
  /** The disqualification reason; required (non-blank) when moving to DISQUALIFIED. */
  reason?: string | null;
  /** Set only by lead conversion: the one path into CONVERTED. */
  viaConversion?: boolean;
}

export interface LeadTransition {
  status: LeadStatus;
  disqualifyReason: string | null;
}

const blank = (v: string | null | undefined) => v == null || v.trim() === '';

/** What keeps a lead from meeting the criteria: one problem per missing field, then the score shortfall. */
export function qualificationProblems(lead: Omit<LeadLifecycleFields, 'status'>, criteria: QualificationCriteria): FieldProblem[] {
  const problems: FieldProblem[] = criteria.requiredFields
    .filter((field) => blank(lead[field]))
    .map((field) => ({ path: field, message: `${field} is required to qualify` }));
  if (lead.score < criteria.minScore) {
    problems.push({ path: 'score', message: `score ${lead.score} is ${criteria.minScore - lead.score} below the minimum ${criteria.minScore}` });
  }
  return problems;
}

export function transitionLead(lead: LeadLifecycleFields, to: LeadStatus, ctx: LeadTransitionContext): Result<LeadTransition> {
  const from = lead.status;
  if (!LEAD_TRANSITIONS[from].includes(to)) {
    const why = from === 'CONVERTED' ? ' (a converted lead cannot reopen)' : '';
    return refuse(ErrorCode.INVALID_TRANSITION, `a lead cannot move from ${from} to ${to}${why}`, { details: { from, to } });
  }
  if (to === 'CONVERTED' && !ctx.viaConversion) {
    return refuse(ErrorCode.INVALID_TRANSITION, `a lead moves from ${from} to CONVERTED only by converting it`, { details: { from, to } });
  }
  if (from === 'DISQUALIFIED' && !ctx.permissions.includes(REOPEN_PERMISSION)) {
    return refuse(ErrorCode.FORBIDDEN, `reopening a disqualified lead needs the '${REOPEN_PERMISSION}' permission`, {
      details: { from, to, permission: REOPEN_PERMISSION },
    });
  }
  if (to === 'DISQUALIFIED') {
    const reason = ctx.reason?.trim() ?? '';
    if (reason === '') {
      return refuse(ErrorCode.REASON_REQUIRED, 'disqualifying a lead needs a reason', {
        fields: [{ path: 'reason', message: 'a reason is required' }],
      });
    }
    return ok({ status: to, disqualifyReason: reason });
  }
  if (from === 'NEW' && QUALIFIED_OR_LATER.has(to)) {
    const problems = qualificationProblems(lead, ctx.criteria);
    if (problems.length > 0) {
      const missing = problems.filter((p) => p.path !== 'score').map((p) => p.path);
      const shortfall = Math.max(0, ctx.criteria.minScore - lead.score);
      return refuse(ErrorCode.QUALIFICATION_FAILED, `the lead does not meet the qualification criteria: ${problems.map((p) => p.message).join('; ')}`, {
        fields: problems,
        details: { missing, score: lead.score, minScore: ctx.criteria.minScore, shortfall },
      });
    }
  }
  // Leaving DISQUALIFIED (the only source with a reason) clears the reason.
  return ok({ status: to, disqualifyReason: null });
}
