// The desktop's token store: files encrypted with Electron's safeStorage (the OS keychain), or memory only when there is none.
import { safeStorage } from 'electron';
import { createFileTokenStore, createMemoryTokenStore } from '../host/token-store';
import type { TokenStore } from '../host/token-store';

/** Call after the app is ready (safeStorage asks the OS keychain). */
export function createTokenVault(dir: string, log: (line: string) => void = (l) => console.warn(l)): TokenStore {
  // On Linux without a keyring, safeStorage falls back to a fixed key: no better than plain text, so we do not write.
  const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || weak) {
    log('no OS keychain is available: sign-in tokens are kept in memory only, so you will sign in again after a restart');
    return createMemoryTokenStore();
  }
  return createFileTokenStore(dir, {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  });
}
