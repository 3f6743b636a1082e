// Rule-based lead score (HubSpot style): fit rules plus decaying engagement, explained factor by factor.
import type { ScoringConfig } from './automation.schema';
import type { ActivityKind } from './activities.schema';
import type { ScoreFactor } from './leads.schema';
import { DAY_MS } from './common.schema';
import { compileFilter } from './lead-filter';
import type { LeadRuleFields } from './lead-filter';

export interface ScoredActivity {
  kind: ActivityKind;
  occurredAt: number;
}

/**
 * A lead's score and its explanation.
 * - `fit` is the sum of the matching fit rules' points (whole numbers).
 * - `engagement` is the decayed, capped engagement, rounded to 0.1, so `score = clamp(round(fit + engagement), 0, 100)`
 *   holds for the returned numbers.
 * - `factors`: one per matching fit rule (`fit:<rule key>`), one per activity kind with engagement points
 *   (`engagement:<kind>`), and, only when clamping to 0..100 changed the total, a last `clamp` factor. Points are
 *   in tenths; the engagement factors add up exactly to `engagement`, so the factors add up to `fit + engagement`
 *   (which rounds to `score`), or, with a `clamp` factor, to `score` itself.
 */
export interface LeadScore {
  score: number;
  fit: number;
  engagement: number;
  factors: ScoreFactor[];
}

export type LeadScorer = (lead: LeadRuleFields, activities: readonly ScoredActivity[], now: number) => LeadScore;

const ACTIVITY_KINDS: readonly ActivityKind[] = ['call', 'email', 'meeting', 'note', 'task'];
const KIND_INDEX: Readonly<Record<ActivityKind, number>> = { call: 0, email: 1, meeting: 2, note: 3, task: 4 };
const KIND_PLURAL: Readonly<Record<ActivityKind, string>> = { call: 'calls', email: 'emails', meeting: 'meetings', note: 'notes', task: 'tasks' };

/**
 * Rounds each value to one decimal so that the rounded values add up to `total` (by default the rounded sum of the
 * values): largest remainder, so a list of factors never disagrees with its total by a rounding step.
 */
export function roundTenthsKeepingSum(values: readonly number[], total?: number): number[] {
  let exact = 0;
  let floorSum = 0;
  const tenths = values.map((v) => {
    exact += v * 10;
    // The epsilon keeps 2.3 * 10 = 22.999… from flooring to 22.
    const f = Math.floor(v * 10 + 1e-9);
    floorSum += f;
    return f;
  });
  let missing = Math.round((total ?? exact / 10) * 10) - floorSum;
  if (values.length === 0 || missing === 0) return tenths.map((t) => t / 10);
  // Tenths go first to the values that lost most to flooring, and are taken back first from those that lost least.
  const order = values.map((_, i) => i).sort((a, b) => values[b]! * 10 - tenths[b]! - (values[a]! * 10 - tenths[a]!) || a - b);
  for (let i = 0; missing > 0; i = (i + 1) % order.length, missing--) tenths[order[i]!]! += 1;
  for (let i = order.length - 1; missing < 0; i = (i - 1 + order.length) % order.length, missing++) tenths[order[i]!]! -= 1;
  return tenths.map((t) => t / 10);
}

/**
 * Prepares a configuration once (normalised rule values, sets, decay constant, reusable factor objects) and returns
 * a scorer for many leads; rescoring a whole tenant should compile once.
 */
export function compileScoring(config: ScoringConfig): LeadScorer {
  const rules = config.fitRules.map((rule) => ({
    points: rule.points,
    matches: compileFilter(rule.when),
    // Shared by every result that matches; frozen so one caller cannot change another's explanation.
    factor: Object.freeze<ScoreFactor>({ key: `fit:${rule.key}`, label: rule.label, points: rule.points }),
  }));

  // Several rules for one kind add up.
  const kindPoints = new Float64Array(ACTIVITY_KINDS.length);
  for (const rule of config.engagementRules) kindPoints[KIND_INDEX[rule.kind]]! += rule.points;
  const hasEngagement = kindPoints.some((p) => p !== 0);
  const decayPerMs = Math.LN2 / (config.engagementHalfLifeDays * DAY_MS);
  const cap = config.maxEngagementPoints;
  const kindSum = new Float64Array(ACTIVITY_KINDS.length);
  const kindCount = new Uint32Array(ACTIVITY_KINDS.length);

  return (lead, activities, now) => {
    const factors: ScoreFactor[] = [];

    let fit = 0;
    for (const rule of rules) {
      if (rule.matches(lead)) {
        fit += rule.points;
        factors.push(rule.factor);
      }
    }

    let engagement = 0;
    if (hasEngagement && activities.length > 0) {
      kindSum.fill(0);
      kindCount.fill(0);
      for (const activity of activities) {
        const k = KIND_INDEX[activity.kind];
        const points = kindPoints[k]!;
        if (points === 0) continue;
        // Activities dated in the future (clock skew, scheduled meetings) count as fresh, never as more than fresh.
        const age = now - activity.occurredAt;
        kindSum[k]! += age > 0 ? points * Math.exp(-decayPerMs * age) : points;
        kindCount[k]! += 1;
      }
      let total = 0;
      for (let k = 0; k < kindSum.length; k++) total += kindSum[k]!;
      // Proportional scaling keeps each kind's share when the cap applies, so the factors still add up to the cap.
      const capped = total > cap;
      const scale = capped ? cap / total : 1;
      const used: number[] = [];
      const values: number[] = [];
      for (let k = 0; k < kindSum.length; k++) {
        if (kindCount[k]! > 0) {
          used.push(k);
          values.push(kindSum[k]! * scale);
        }
      }
      const rounded = roundTenthsKeepingSum(values);
      for (let i = 0; i < used.length; i++) {
        const k = used[i]!;
        const count = kindCount[k]!;
        const kind = ACTIVITY_KINDS[k]!;
        const noun = count === 1 ? kind : KIND_PLURAL[kind];
        factors.push({ key: `engagement:${kind}`, label: `${count} ${noun} (decayed${capped ? `, capped at ${cap}` : ''})`, points: rounded[i]! });
        engagement += rounded[i]! * 10;
      }
      // Summed in tenths so the total is exact, then back to points.
      engagement = Math.round(engagement) / 10;
    }

    const total = fit + engagement;
    const rounded = Math.round(total);
    const score = Math.min(100, Math.max(0, rounded));
    if (score !== rounded) {
      factors.push({ key: 'clamp', label: score === 100 ? 'capped at 100' : 'raised to 0', points: Math.round((score - total) * 10) / 10 });
    }
    return { score, fit, engagement, factors };
  };
}

/** Scores one lead; for many leads, compile once with `compileScoring`. */
export function scoreLead(lead: LeadRuleFields, activities: readonly ScoredActivity[], config: ScoringConfig, now: number): LeadScore {
  return compileScoring(config)(lead, activities, now);
}

const FREE_MAIL_DOMAINS = [
  'gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com',
  'me.com', 'gmx.de', 'gmx.net', 'web.de', 't-online.de', 'orange.fr', 'free.fr', 'mail.ru', 'yandex.ru', 'proton.me',
  'protonmail.com', 'qq.com', '163.com',
];

/** A reasonable starting configuration for a new tenant: fit and engagement can each reach about half of 100. */
export function DEFAULT_SCORING_CONFIG(tenantId: string): ScoringConfig {
  return {
    tenantId,
    configVersion: 1,
    fitRules: [
      {
        key: 'senior-title',
        label: 'Senior title',
        // 'coo' and 'owner' are left out: they match "coordinator" and "product owner".
        when: { field: 'title', op: 'contains', values: ['vp', 'vice president', 'president', 'director', 'head', 'chief', 'ceo', 'cto', 'cfo', 'founder'] },
        points: 20,
      },
      { key: 'has-phone', label: 'Has a phone number', when: { field: 'phone', op: 'present', values: [] }, points: 10 },
      { key: 'has-company', label: 'Has a company name', when: { field: 'companyName', op: 'present', values: [] }, points: 5 },
      { key: 'free-mail', label: 'Free-mail address, not a business one', when: { field: 'email', op: 'emailDomainIn', values: FREE_MAIL_DOMAINS }, points: -10 },
      { key: 'referral', label: 'Came through a referral', when: { field: 'source', op: 'in', values: ['referral', 'partner'] }, points: 15 },
      { key: 'target-country', label: 'In a target country', when: { field: 'country', op: 'in', values: ['us', 'ca', 'gb', 'de', 'fr', 'nl', 'at', 'ch'] }, points: 10 },
    ],
    engagementRules: [
      { kind: 'call', points: 8 },
      { kind: 'meeting', points: 15 },
      { kind: 'email', points: 4 },
      { kind: 'note', points: 1 },
      { kind: 'task', points: 2 },
    ],
    engagementHalfLifeDays: 14,
    maxEngagementPoints: 40,
    // Title is left out: nearly every value is unique, so it would never reach minSamples.
    predictive: { fields: ['source', 'medium', 'campaign', 'country', 'formKey'], minSamples: 5, smoothing: 1 },
  };
}
