import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateDemoDataset } from '../../../src-shared/demo/demo-dataset';
import { Tenant, User, Team, Role } from '../../../src-shared/domain/accounts.schema';
import { Lead, Company, Contact } from '../../../src-shared/domain/leads.schema';
import { Deal, Pipeline, Stage, StageHistory, WinLossReason, StageTransitionRule } from '../../../src-shared/domain/deals.schema';
import { Activity } from '../../../src-shared/domain/activities.schema';
import { ApprovalPolicy } from '../../../src-shared/domain/approvals.schema';

const NOW = Date.UTC(2026, 10, 1);
const opts = { seed: 42, now: NOW, leads: 300, deals: 80, activities: 500, extraReps: 2 };

describe('generateDemoDataset', () => {
  const data = generateDemoDataset(opts);

  it('is deterministic for a seed and different for another', () => {
    expect(generateDemoDataset(opts)).toEqual(data);
    expect(generateDemoDataset({ ...opts, seed: 43 }).leads[0]).not.toEqual(data.leads[0]);
  });

  it('produces rows valid against the shared schemas, in the requested sizes', () => {
    Tenant.parse(data.tenant);
    z.array(Role).parse(data.roles);
    z.array(Team).parse(data.teams);
    z.array(User).parse(data.users);
    z.array(Pipeline).parse(data.pipelines);
    z.array(Stage).parse(data.stages);
    z.array(StageTransitionRule).parse(data.transitionRules);
    z.array(WinLossReason).parse(data.winLossReasons);
    z.array(ApprovalPolicy).parse(data.approvalPolicies);
    z.array(Company).parse(data.companies);
    z.array(Contact).parse(data.contacts);
    z.array(Lead).parse(data.leads);
    z.array(Deal).parse(data.deals);
    z.array(StageHistory).parse(data.stageHistory);
    z.array(Activity).parse(data.activities);
    expect([data.leads.length, data.deals.length, data.activities.length]).toEqual([300, 80, 500]);
    expect(data.users.filter((u) => u.role === 'rep')).toHaveLength(4);
  });

  it('gives every deal a consistent stage history ending in its current stage', () => {
    const byDeal = Map.groupBy(data.stageHistory, (h) => h.dealId);
    for (const deal of data.deals) {
      const hist = byDeal.get(deal.id)!;
      expect(hist.at(-1)!.stageId).toBe(deal.stageId);
      expect(hist.at(-1)!.exitedAt).toBeNull();
      for (let i = 1; i < hist.length; i++) expect(hist[i]!.enteredAt).toBeGreaterThanOrEqual(hist[i - 1]!.enteredAt);
      expect(deal.status === 'open').toBe(deal.wonLostReasonId === null);
      expect(deal.stageEnteredAt).toBeLessThanOrEqual(NOW);
    }
  });

  it('has unique ids', () => {
    const ids = [...data.leads, ...data.deals, ...data.activities, ...data.stageHistory, ...data.users].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
