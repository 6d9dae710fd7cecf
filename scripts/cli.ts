/** Entry point of `npm run tensorloom -- check|plan FILE`. */
import { readFileSync } from 'node:fs';
import { registry } from '../nodes/registry';
import { run } from '../src/cli/commands';

const result = run(
  process.argv.slice(2),
  (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  },
  registry,
);
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
