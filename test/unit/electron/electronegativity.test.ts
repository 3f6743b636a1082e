// The Electron security scan (@doyensec/electronegativity) over the shell and the renderer: no high-severity finding.
// The tool exits 0 whatever it finds, so its CSV report is read here; a known-bad window proves the gate can fail.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(ROOT, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');

interface Finding {
  issue: string;
  severity: string;
  confidence: string;
  filename: string;
  location: string;
  description: string;
}

/** Scans a folder; the release-notes check is skipped because it needs the network (CI may have none). */
async function scan(dir: string): Promise<Finding[]> {
  const report = join(dir, '..', `${Math.random().toString(36).slice(2)}.csv`);
  await promisify(execFile)(process.execPath, [CLI, '-i', dir, '-o', report, '-r', '-v', 'false', '-x', 'AvailableSecurityFixesGlobalCheck'], { timeout: 120_000 });
  const parsed = Papa.parse<Record<string, string>>(readFileSync(report, 'utf8').trim(), { header: true, transformHeader: (h) => h.trim() });
  return parsed.data.map((r) => ({ issue: r.issue!, severity: r.severity!, confidence: r.confidence!, filename: r.filename!, location: r.location!, description: r.description! }));
}

/** The shell, the renderer, and package.json (for the Electron version), as one application. */
function appUnderScan(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'fieldcrm-scan-')), 'app');
  cpSync(join(ROOT, 'src-main', 'electron'), join(dir, 'electron'), { recursive: true });
  cpSync(join(ROOT, 'src-renderer'), join(dir, 'renderer'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return dir;
}

function badApp(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'fieldcrm-scan-bad-')), 'app');
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  writeFileSync(join(dir, 'main.js'), "const { BrowserWindow } = require('electron');\nconst win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\nwin.loadURL('http://example.com');\n");
  return dir;
}

const high = (findings: Finding[]) => findings.filter((f) => f.severity.toUpperCase() === 'HIGH');

describe('electronegativity', () => {
  it('finds nothing of high severity in the shell and the renderer (and flags a known-bad window)', async () => {
    const [ours, bad] = await Promise.all([scan(appUnderScan()), scan(badApp())]);
    expect(high(bad).map((f) => f.issue)).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']));
    expect(ours.length).toBeGreaterThan(0);
    expect(high(ours), JSON.stringify(high(ours), null, 2)).toEqual([]);
  }, 180_000);
});
