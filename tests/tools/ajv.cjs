// Validates YAML, JSON or TOML-as-JSON documents against a JSON Schema with Ajv (draft
// 2020-12, strict mode, formats asserted). YAML is read as YAML 1.2 by the `yaml` package,
// as yaml-language-server reads it.
// Usage: node ajv.cjs SCHEMA FILE...   Prints one line per file: "ok FILE" or
// "invalid FILE: message; ..."; exit 0 when every file is valid, 1 when one is not,
// 2 when the schema does not compile or a file cannot be read.
"use strict";
const fs = require("node:fs");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;
const YAML = require("yaml");

const [schemaPath, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
let validate;
try {
  validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
} catch (e) {
  console.error(`schema ${schemaPath} does not compile: ${e.message}`);
  process.exit(2);
}
let invalid = 0;
for (const file of files) {
  let data;
  try {
    const text = fs.readFileSync(file, "utf8");
    data = file.endsWith(".json") ? JSON.parse(text) : YAML.parse(text, { uniqueKeys: true });
  } catch (e) {
    console.log(`unreadable ${file}: ${e.message.split("\n")[0]}`);
    invalid++;
    continue;
  }
  if (validate(data === undefined ? null : data)) {
    console.log(`ok ${file}`);
  } else {
    invalid++;
    const why = validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`);
    console.log(`invalid ${file}: ${why.join("; ")}`);
  }
}
process.exit(invalid ? 1 : 0);
