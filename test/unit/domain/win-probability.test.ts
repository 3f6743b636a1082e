import { describe, expect, it } from 'vitest';
import { compileWinModel, predictWin, trainWinModel, WinModel } from '../../../src-shared/domain/win-probability';
import type { ClosedLead } from '../../../src-shared/domain/win-probability';
import type { ScoringConfig } from '../../../src-shared/domain/automation.schema';
import type { LeadRuleFields } from '../../../src-shared/domain/lead-filter';

type Predictive = ScoringConfig['predictive'];
const predictive = (over: Partial<Predictive> = {}): Predictive => ({ fields: ['source', 'country'], minSamples: 5, smoothing: 1, ...over });

/** `n` closed leads with the given fields and outcome. */
const closed = (n: number, fields: LeadRuleFields, won: boolean): ClosedLead[] => Array.from({ length: n }, () => ({ fields, won }));

// 10 won, 10 lost; referrals mostly won, web leads mostly lost.
const SPLIT = [
  ...closed(8, { source: 'referral' }, true), ...closed(2, { source: 'referral' }, false),
  ...closed(2, { source: 'web' }, true), ...closed(8, { source: 'web' }, false),
];

const logit = (p: number) => Math.log(p / (1 - p));
const fieldFactors = (factors: { key: string; points: number }[]) => factors.filter((f) => f.key !== 'win:prior');
const tenthsSum = (factors: { points: number }[]) => factors.reduce((s, f) => s + Math.round(f.points * 10), 0) / 10;

describe('trainWinModel', () => {
  it('counts won and lost per normalised value, keeping only values seen often enough', () => {
    const model = trainWinModel([
      ...closed(3, { source: 'Referral ', country: 'DE' }, true), ...closed(2, { source: ' referral', country: 'de' }, false),
      ...closed(4, { source: 'fair', country: null }, true),
    ], predictive());
    expect(model).toEqual({
      won: 7, lost: 2, minSamples: 5, smoothing: 1,
      fields: [
        { field: 'source', values: [{ value: 'referral', won: 3, lost: 2 }] },
        { field: 'country', values: [{ value: 'de', won: 3, lost: 2 }] },
      ],
    });
  });

  it('is plain data that survives JSON and validates as a WinModel', () => {
    const model = trainWinModel([...SPLIT, ...closed(6, { source: '__proto__', country: 'constructor' }, true)], predictive());
    const copy = WinModel.parse(JSON.parse(JSON.stringify(model)));
    expect(copy).toEqual(model);
    expect(predictWin(copy, { source: '__proto__' })).toEqual(predictWin(model, { source: '__proto__' }));
  });

  it('gives the same model whatever the order of the history', () => {
    expect(trainWinModel([...SPLIT].reverse(), predictive())).toEqual(trainWinModel(SPLIT, predictive()));
  });
});

describe('predictWin', () => {
  // Hand computed with K = 2 kept values + 1 other bucket:
  // s = 1: P(referral|won) = 9/13, P(referral|lost) = 3/13, ratio 3, prior odds 11/11 → 3/4.
  // s = 0: ratio 8/2 = 4 → 4/5.  s = 10: ratio 18/12 = 1.5 → 3/5.
  it.each<[string, number, LeadRuleFields, number]>([
    ['referral, s = 1', 1, { source: 'referral' }, 0.75],
    ['web, s = 1', 1, { source: 'Web' }, 0.25],
    ['referral, s = 0', 0, { source: 'referral' }, 0.8],
    ['web, s = 0', 0, { source: 'web' }, 0.2],
    ['referral, s = 10', 10, { source: 'referral' }, 0.6],
    ['an unknown source', 1, { source: 'google' }, 0.5],
    ['no source', 1, {}, 0.5],
  ])('%s → %s', (_name, smoothing, lead, expected) => {
    const model = trainWinModel(SPLIT, predictive({ smoothing }));
    expect(predictWin(model, lead).probability).toBeCloseTo(expected, 10);
  });

  it('explains a prediction with the base rate and the field that moved it', () => {
    const model = trainWinModel(SPLIT, predictive());
    expect(predictWin(model, { source: 'Referral', country: 'FR' }).factors).toEqual([
      { key: 'win:prior', label: 'base win rate from 20 closed leads', points: 50 },
      { key: 'win:source', label: 'source = Referral', points: 25 },
    ]);
  });

  it('smooths the base rate too, so a history without wins is unlikely but not impossible', () => {
    const p = predictWin(trainWinModel(closed(8, { source: 'web' }, false), predictive()), {}).probability;
    expect(p).toBeCloseTo(1 / 10, 10); // (0 + 1) / (8 + 2)
  });

  it('stays finite without smoothing when a value was always won', () => {
    const model = trainWinModel([...SPLIT, ...closed(5, { source: 'partner' }, true)], predictive({ smoothing: 0 }));
    const p = predictWin(model, { source: 'partner' }).probability!;
    expect(p).toBeGreaterThan(0.99);
    expect(p).toBeLessThan(1);
  });

  it('ignores values seen on fewer than minSamples closed leads', () => {
    const history = [...SPLIT, ...closed(4, { source: 'fair' }, true)];
    const rare = predictWin(trainWinModel(history, predictive()), { source: 'fair' });
    expect(rare.probability).toBeCloseTo(15 / 26, 10); // only the prior: (14 + 1) / (10 + 1) odds
    expect(rare.factors.map((f) => f.key)).toEqual(['win:prior']);
    const kept = predictWin(trainWinModel([...history, ...closed(1, { source: 'fair' }, true)], predictive()), { source: 'fair' });
    expect(kept.probability!).toBeGreaterThan(rare.probability!);
  });

  it.each<[string, ClosedLead[], Partial<Predictive>]>([
    ['no closed history', [], {}],
    ['fewer closed leads than minSamples', closed(4, { source: 'web' }, true), {}],
    ['fewer closed leads than a large minSamples', SPLIT, { minSamples: 21 }],
  ])('has no probability with %s', (_name, history, over) => {
    expect(predictWin(trainWinModel(history, predictive(over)), { source: 'web' })).toEqual({ probability: null, factors: [] });
  });

  it('ranks values by their win rate', () => {
    // Six sources with 0..5 wins out of 5 closed leads each.
    const history = [0, 1, 2, 3, 4, 5].flatMap((w) => [...closed(w, { source: `s${w}` }, true), ...closed(5 - w, { source: `s${w}` }, false)]);
    const predict = compileWinModel(trainWinModel(history, predictive()));
    const probabilities = [0, 1, 2, 3, 4, 5].map((w) => predict({ source: `s${w}` }).probability!);
    for (let i = 1; i < probabilities.length; i++) expect(probabilities[i]).toBeGreaterThan(probabilities[i - 1]!);
  });

  describe('factors', () => {
    // Two fields pulling in opposite directions: source favours referral, country disfavours FR.
    const history = [
      ...closed(6, { source: 'referral', country: 'DE' }, true), ...closed(2, { source: 'referral', country: 'FR' }, true),
      ...closed(1, { source: 'referral', country: 'FR' }, false), ...closed(3, { source: 'web', country: 'DE' }, true),
      ...closed(2, { source: 'web', country: 'DE' }, false), ...closed(6, { source: 'web', country: 'FR' }, false),
    ];
    const model = trainWinModel(history, predictive());
    const ratio = (field: 'source' | 'country', value: string) => {
      const values = model.fields.find((f) => f.field === field)!.values;
      const v = values.find((x) => x.value === value)!;
      const k = values.length + 1;
      return ((v.won + 1) / (model.won + k)) / ((v.lost + 1) / (model.lost + k));
    };
    const leads: LeadRuleFields[] = [
      { source: 'referral', country: 'FR' }, { source: 'web', country: 'FR' }, { source: 'referral', country: 'DE' },
      { source: 'web', country: 'DE' }, { source: 'web' }, { country: 'FR' },
    ];

    it.each(leads)('for %j: multiply the prior odds by each likelihood ratio', (lead) => {
      const prior = (model.won + 1) / (model.lost + 1);
      let odds = prior;
      if (lead.source) odds *= ratio('source', lead.source);
      if (lead.country) odds *= ratio('country', lead.country.toLowerCase());
      const { probability, factors } = predictWin(model, lead);
      expect(probability).toBeCloseTo(odds / (1 + odds), 10);
      expect(factors[0]!.points).toBeCloseTo((100 * prior) / (1 + prior), 1);
    });

    it.each(leads)('for %j: the field factors add up to the move from the prior, shared in proportion to log-odds', (lead) => {
      const { probability, factors } = predictWin(model, lead);
      const prior = factors[0]!.points / 100;
      const fields = fieldFactors(factors);
      // All factors add up to the probability in percent (to 0.1); the fields alone to the move from the prior.
      expect(tenthsSum(factors)).toBe(Math.round(probability! * 1000) / 10);
      expect(tenthsSum(fields)).toBeCloseTo((probability! - prior) * 100, 0);
      // Each field's share has the sign and relative size of its log-likelihood ratio, which add up to the log-odds move.
      const logs = fields.map((f) => Math.log(f.key === 'win:source' ? ratio('source', lead.source!) : ratio('country', lead.country!.toLowerCase())));
      expect(logs.reduce((s, x) => s + x, 0)).toBeCloseTo(logit(probability!) - logit((model.won + 1) / (model.won + model.lost + 2)), 10);
      fields.forEach((f, i) => expect(Math.sign(f.points)).toBe(Math.sign(logs[i]!)));
      if (fields.length === 2 && Math.abs(fields[1]!.points) > 1) {
        expect(fields[0]!.points / fields[1]!.points).toBeCloseTo(logs[0]! / logs[1]!, 1);
      }
    });

    it('labels each field with the lead\'s value', () => {
      expect(predictWin(model, { source: ' Referral ', country: 'FR' }).factors.map((f) => [f.key, f.label])).toEqual([
        ['win:prior', 'base win rate from 20 closed leads'],
        ['win:source', 'source = Referral'],
        ['win:country', 'country = FR'],
      ]);
    });
  });
});
