// Runs npm scripts side by side and fails when any of them fails: `npm test` type-checks, lints and
// builds at once (each waits on the disk or one core); its build only emits (build:emit), since the
// type check beside it covers src and test. node scripts/parallel.mjs typecheck lint build:emit
import { spawn } from 'node:child_process';

const npm = process.env.npm_execpath;
const codes = await Promise.all(
  process.argv.slice(2).map(
    (script) =>
      new Promise((resolve) => {
        const child = npm ? spawn(process.execPath, [npm, 'run', '--silent', script], { stdio: 'inherit' }) : spawn('npm', ['run', '--silent', script], { stdio: 'inherit', shell: true });
        child.on('error', () => resolve(1));
        child.on('close', (code) => {
          if (code !== 0) console.error(`npm run ${script} failed (exit ${code})`);
          resolve(code ?? 1);
        });
      }),
  ),
);
process.exit(codes.find((c) => c !== 0) ?? 0);
