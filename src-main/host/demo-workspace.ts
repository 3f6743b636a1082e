// The demo workspace a host offers beside the embedded tenant server: its address and the seeded demo users.
import type { DemoWorkspace } from '../../src-shared/api/host.api';
import { DEMO_PASSWORD, generateDemoDataset } from '../../src-shared/demo/demo-dataset';

export function demoWorkspace(serverUrl: string): DemoWorkspace {
  // The users come from the same generator the server seeds from, so names and emails always match.
  const { users } = generateDemoDataset({ seed: 1, now: 0, leads: 0, deals: 0, activities: 0 });
  return { serverUrl, password: DEMO_PASSWORD, users: users.map((u) => ({ email: u.email, name: u.name, role: u.role })) };
}
