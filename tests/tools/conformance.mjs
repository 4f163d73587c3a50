// Runs a batch of documents through graphql-js (the reference implementation) and prints, per document, what it
// thinks: syntax error, which validation rules fail (and where), and the execution result of valid ones.
// Usage: node conformance.mjs <input.json>   with input { sdl, data, documents: [{ id, query, variables, operationName }] }
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate, execute, specifiedRules, GraphQLError } from 'graphql';
import { attachResolvers } from './conformance-resolvers.mjs';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const schema = buildSchema(input.sdl);
attachResolvers(schema, input.data);

const ruleName = (rule) => rule.name.replace(/Rule$/, '');
const plainError = (e) => ({ message: e.message, locations: e.locations ?? [], path: e.path ?? null });

const results = [];
for (const doc of input.documents) {
  const out = { id: doc.id, syntaxError: null, crashed: null, errors: [], rules: [], result: null };
  let document;
  try {
    document = parse(doc.query);
  } catch (e) {
    out.syntaxError = plainError(e);
    results.push(out);
    continue;
  }
  try {
    out.errors = validate(schema, document).map(plainError);
    for (const rule of specifiedRules) {
      const errors = validate(schema, document, [rule]);
      for (const e of errors) out.rules.push({ rule: ruleName(rule), ...plainError(e) });
    }
  } catch (e) {
    out.crashed = String(e && e.message ? e.message : e);
    results.push(out);
    continue;
  }
  const isSubscription = document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'subscription'
    && (doc.operationName == null || d.name?.value === doc.operationName));
  if (out.errors.length === 0 && !isSubscription) {
    try {
      const result = await execute({ schema, document, rootValue: input.data, variableValues: doc.variables ?? undefined, operationName: doc.operationName ?? undefined });
      out.result = { data: result.data === undefined ? undefined : result.data, errors: (result.errors ?? []).map(plainError) };
      out.result.hasData = 'data' in result;
    } catch (e) {
      out.crashed = 'execute: ' + String(e && e.message ? e.message : e);
    }
  }
  results.push(out);
}
process.stdout.write(JSON.stringify(results));
