// Learned win probability (Odoo style): naive Bayes over won/lost counts per lead field value, explained per field.
import { z } from 'zod';
import { LeadRuleField } from './automation.schema';
import type { ScoringConfig } from './automation.schema';
import type { ScoreFactor } from './leads.schema';
import type { LeadRuleFields } from './lead-filter';
import { roundTenthsKeepingSum } from './lead-scoring';

const Count = z.number().int().min(0);

/** What training learned: plain JSON, so it can be cached on the desktop and synced. Values are normalised. */
export const WinModel = z.object({
  won: Count,
  lost: Count,
  minSamples: z.number().int().min(1),
  smoothing: z.number().min(0),
  /** Per field, the values seen on at least minSamples closed leads (an array, since values are user text). */
  fields: z.array(z.object({
    field: LeadRuleField,
    values: z.array(z.object({ value: z.string(), won: Count, lost: Count })),
  })),
});
export type WinModel = z.infer<typeof WinModel>;

export interface ClosedLead {
  fields: LeadRuleFields;
  won: boolean;
}

/**
 * A win probability and its explanation, or null when there is too little closed history.
 * Factors are in percentage points: `win:prior` is the base win rate, then one `win:<field>` per field whose value
 * the model knows. Each field's share is its log-odds contribution times one common slope (the change in probability
 * per unit of log-odds between the prior and the result), so the shares keep their sign and relative size, do not
 * depend on field order, and the field factors add up to the move from the prior. Rounded to 0.1 so that all the
 * factors add up to the probability in percent, rounded to 0.1 (the prior is rounded alone, the fields absorb the rest).
 */
export interface WinPrediction {
  probability: number | null;
  factors: ScoreFactor[];
}

export type WinPredictor = (lead: LeadRuleFields) => WinPrediction;

const norm = (v: string | null | undefined) => (v == null ? '' : v.trim().toLowerCase());

/** With no smoothing a count of zero would mean certainty; one piece of evidence is held to a million to one. */
const MAX_LOG_ODDS = Math.log(1e6);
const clampLog = (x: number) => (Number.isNaN(x) ? 0 : Math.min(MAX_LOG_ODDS, Math.max(-MAX_LOG_ODDS, x)));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));

export function trainWinModel(closed: readonly ClosedLead[], config: ScoringConfig['predictive']): WinModel {
  let won = 0;
  let lost = 0;
  const counts = config.fields.map(() => new Map<string, { won: number; lost: number }>());
  for (const lead of closed) {
    if (lead.won) won++;
    else lost++;
    config.fields.forEach((field, i) => {
      const value = norm(lead.fields[field]);
      // A missing value says nothing about this lead.
      if (value === '') return;
      let c = counts[i]!.get(value);
      if (!c) counts[i]!.set(value, (c = { won: 0, lost: 0 }));
      if (lead.won) c.won++;
      else c.lost++;
    });
  }
  const fields = config.fields.map((field, i) => ({
    field,
    values: [...counts[i]!]
      .filter(([, c]) => c.won + c.lost >= config.minSamples)
      .map(([value, c]) => ({ value, won: c.won, lost: c.lost }))
      // Sorted so that the same history always gives the same model (it is cached and compared).
      .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)),
  }));
  return { won, lost, minSamples: config.minSamples, smoothing: config.smoothing, fields };
}

/**
 * Prepares a model once (log likelihood ratios per value) and returns a predictor for many leads.
 *
 * prior odds = (won + s) / (lost + s): smoothed like every other count, so a history with no wins yet is unlikely,
 * not impossible. For a field with K kept values (plus one bucket for everything else),
 * P(v | won) = (won_v + s) / (won + s·(K + 1)), likewise for lost, and the odds are multiplied by their ratio.
 * Values the model does not know (rare, new or missing) leave the odds alone.
 */
export function compileWinModel(model: WinModel): WinPredictor {
  const total = model.won + model.lost;
  if (total === 0 || total < model.minSamples) return () => ({ probability: null, factors: [] });

  const s = model.smoothing;
  const priorLogOdds = clampLog(Math.log((model.won + s) / (model.lost + s)));
  const prior = logistic(priorLogOdds);
  const fields = model.fields
    .filter((f) => f.values.length > 0)
    .map((f) => {
      const buckets = f.values.length + 1;
      const wonTotal = model.won + s * buckets;
      const lostTotal = model.lost + s * buckets;
      const logRatio = new Map<string, number>();
      for (const v of f.values) logRatio.set(v.value, clampLog(Math.log(((v.won + s) / wonTotal) / ((v.lost + s) / lostTotal))));
      return { field: f.field, logRatio };
    });
  const priorPoints = Math.round(prior * 1000) / 10;
  const priorLabel = `base win rate from ${total} closed leads`;

  return (lead) => {
    let logOdds = priorLogOdds;
    const keys: string[] = [];
    const labels: string[] = [];
    const contributions: number[] = [];
    for (const { field, logRatio } of fields) {
      const raw = lead[field];
      const contribution = logRatio.get(norm(raw));
      if (contribution === undefined) continue;
      logOdds += contribution;
      keys.push(`win:${field}`);
      labels.push(`${field} = ${raw!.trim()}`);
      contributions.push(contribution);
    }
    const probability = logistic(logOdds);
    const moved = logOdds - priorLogOdds;
    // The secant slope of the logistic between prior and result; at (almost) no move, its derivative.
    const slope = Math.abs(moved) > 1e-12 ? (probability - prior) / moved : prior * (1 - prior);
    // The prior is rounded on its own so it reads the same on every lead; the fields take up the rounding.
    const points = roundTenthsKeepingSum(contributions.map((c) => c * slope * 100), Math.round(probability * 1000) / 10 - priorPoints);
    const factors: ScoreFactor[] = [{ key: 'win:prior', label: priorLabel, points: priorPoints }];
    for (let i = 0; i < keys.length; i++) factors.push({ key: keys[i]!, label: labels[i]!, points: points[i]! });
    return { probability, factors };
  };
}

/** Predicts one lead; for many leads, compile once with `compileWinModel`. */
export function predictWin(model: WinModel, lead: LeadRuleFields): WinPrediction {
  return compileWinModel(model)(lead);
}
