// Ask this checkout's Python (tests/js/twin.py) a question; used by the twin tests.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, "..", "..");
const venv = path.join(REPO, ".venv", "bin", "python");
const PYTHON = process.env.PLAYBOOK_PYTHON || (existsSync(venv) ? venv : "python3");

export function python(request) {
  const out = spawnSync(PYTHON, [path.join(here, "twin.py")], {
    input: JSON.stringify(request), cwd: REPO, encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`${PYTHON} tests/js/twin.py failed (${out.status}):\n${out.stderr}`);
  return JSON.parse(out.stdout);
}
