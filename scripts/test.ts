/**
 * `npm test`: the static checks (`npm run check`) and the test suite (`vitest run`) side by side,
 * since the suite spends much of its time waiting on child processes, PostgreSQL and the browser.
 * The suite's output streams as it runs; the checks' output is printed when they end. Prints each
 * part's duration and the whole, and fails when either part fails. Arguments go to vitest.
 */
import { spawn } from 'node:child_process';

interface Outcome {
  name: string;
  code: number;
  seconds: number;
}

const started = performance.now();

function run(name: string, command: string, args: string[], options: { buffered: boolean }): Promise<Outcome> {
  return new Promise((resolve) => {
    const begin = performance.now();
    const child = spawn(command, args, { stdio: options.buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: process.env });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - begin) / 1000;
      if (options.buffered) process.stdout.write(`\n== ${name} (${seconds.toFixed(0)} s)\n${output}`);
      resolve({ name, code: code ?? (signal ? 1 : 0), seconds });
    });
  });
}

const outcomes = await Promise.all([
  run('npm run check', 'npm', ['run', '--silent', 'check'], { buffered: true }),
  run('vitest run', 'npx', ['vitest', 'run', ...process.argv.slice(2)], { buffered: false }),
]);

const total = (performance.now() - started) / 1000;
process.stdout.write('\n');
for (const outcome of outcomes) {
  process.stdout.write(`${outcome.code === 0 ? 'passed' : 'FAILED'}  ${outcome.name}  ${outcome.seconds.toFixed(0)} s\n`);
}
process.stdout.write(`npm test took ${total.toFixed(0)} s (${Math.floor(total / 60)} min ${Math.round(total % 60)} s)\n`);
process.exitCode = outcomes.every((outcome) => outcome.code === 0) ? 0 : 1;
