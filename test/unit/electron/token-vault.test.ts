// Sign-in tokens at rest: encrypted with safeStorage, or kept in memory only when the OS offers no real keychain.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { generateDemoDataset } from '../../../src-shared/demo/demo-dataset';
import { resetElectron, state } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { createTokenVault } = await import('../../../src-main/electron/token-vault');

const demo = generateDemoDataset({ seed: 1, now: Date.UTC(2026, 0, 1), leads: 0, deals: 0, activities: 0 });
/** A server session as sign-in returns it. */
const tokens = {
  accessToken: 'access-secret-123',
  accessTokenExpiresAt: 1_000,
  refreshToken: 'refresh-secret-456-long-enough',
  refreshTokenExpiresAt: 2_000,
  user: demo.users[2]!,
  tenant: demo.tenant,
  clientId: '0190a0b0-0000-7000-8000-000000000001',
};

describe('the token vault', () => {
  beforeEach(resetElectron);

  it('writes only encrypted bytes, and reads them back', async () => {
    const dir = join(state.userData, 'tokens');
    const vault = createTokenVault(dir, () => {});
    await vault.save('profile-1', tokens);
    const files = readdirSync(dir);
    expect(files).toEqual(['profile-1.bin']);
    const bytes = readFileSync(join(dir, files[0]!)).toString();
    expect(bytes).not.toContain('secret');
    expect(await vault.load('profile-1')).toEqual(tokens);
    await vault.remove('profile-1');
    expect(await vault.load('profile-1')).toBeNull();
  });

  it('treats a file it cannot decrypt as signed out', async () => {
    const dir = join(state.userData, 'tokens');
    const vault = createTokenVault(dir, () => {});
    await vault.save('profile-1', tokens);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'profile-1.bin'), 'garbage');
    expect(await vault.load('profile-1')).toBeNull();
  });

  const weakKeychains: [string, boolean, string][] = [
    ['no encryption at all', false, 'gnome_libsecret'],
    ...(process.platform === 'linux' ? [['the fixed-key fallback of Linux without a keyring', true, 'basic_text'] as [string, boolean, string]] : []),
  ];
  it.each(weakKeychains)('keeps tokens in memory only with %s', async (_what, available, backend) => {
    state.encryptionAvailable = available;
    state.storageBackend = backend;
    const warnings: string[] = [];
    const dir = join(state.userData, 'tokens');
    const vault = createTokenVault(dir, (line) => warnings.push(line));
    await vault.save('profile-1', tokens);
    expect(await vault.load('profile-1')).toEqual(tokens);
    expect(existsSync(dir)).toBe(false);
    expect(warnings.join()).toContain('in memory only');
  });
});
