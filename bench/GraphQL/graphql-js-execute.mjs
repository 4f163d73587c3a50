// graphql-js's side of the execution benchmark: the same schema, data and query as OneMap's, default resolvers.
// Usage: node graphql-js-execute.mjs <toolsDir> <input.json>   input { sdl, data, query, runs, batch, warmup }
// Prints { full: [ms per operation…], execute: [ms per operation…], fields } with one sample per batch.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [toolsDir, inputPath] = process.argv.slice(2);
const require = createRequire(path.join(toolsDir, 'package.json'));
const { buildSchema, parse, validate, execute } = require('graphql');
const input = JSON.parse(readFileSync(inputPath, 'utf8'));
const schema = buildSchema(input.sdl);
const data = input.data;

function full() {
  const document = parse(input.query);
  const errors = validate(schema, document);
  if (errors.length) throw new Error(errors[0].message);
  const result = execute({ schema, document, rootValue: data });
  if (result.errors) throw new Error(result.errors[0].message);
  return result;
}
const parsed = parse(input.query);
function executeOnly() {
  const result = execute({ schema, document: parsed, rootValue: data });
  if (result.errors) throw new Error(result.errors[0].message);
  return result;
}

function measure(operation) {
  for (let i = 0; i < input.warmup; i++) operation();
  const samples = [];
  for (let run = 0; run < input.runs; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < input.batch; i++) operation();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6 / input.batch);
  }
  return samples;
}

const fields = JSON.stringify(full()).length;
process.stdout.write(JSON.stringify({ full: measure(full), execute: measure(executeOnly), size: fields }));
