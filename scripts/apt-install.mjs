// Installs a Debian package for a test's setup script, when this process may: root on a system
// with apt-get, as CI is. Shared by the scripts that make sure the browser tests' needs are met.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Whether `aptInstall` can run here (root, with apt-get). */
export function canInstallWithApt() {
  return process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
}

/** `apt-get update` then `apt-get install` of `packageName`, without prompts or recommended extras. */
export function aptInstall(packageName) {
  const run = (args) =>
    execFileSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  run(['update', '-qq']);
  run(['install', '-y', '-qq', '--no-install-recommends', packageName]);
}
