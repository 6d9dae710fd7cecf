/** Entry point of `npm run tensorloom -- check|plan|export …`. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { registry } from '../nodes/registry';
import { run, USAGE } from '../src/cli/commands';
import { exportCommand, type ExportResult } from '../src/cli/export';

function attempt<T>(read: () => T): T | Error {
  try {
    return read();
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

const args = process.argv.slice(2);
const readText = (file: string) => attempt(() => readFileSync(file, 'utf8'));
const result: ExportResult =
  args[0] === 'export'
    ? exportCommand(args.slice(1), {
        readText,
        readBytes: (file) => attempt(() => new Uint8Array(readFileSync(file))),
        isFreshFolder: (dir) => {
          const entries = attempt(() => readdirSync(dir));
          return entries instanceof Error ? (entries as NodeJS.ErrnoException).code === 'ENOENT' : entries.length === 0;
        },
        sibling: (file, name) => join(dirname(file), name),
      }, registry, USAGE)
    : run(args, readText, registry);
if (result.write) {
  for (const [path, body] of Object.entries(result.write.files)) {
    mkdirSync(dirname(join(result.write.dir, path)), { recursive: true });
    writeFileSync(join(result.write.dir, path), body);
  }
}
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
