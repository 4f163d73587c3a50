// The reference server of the HTTP benchmark: graphql-js over node's http module, with the same schema and data as
// OneMap's and, like OneMap, a cache of parsed and validated documents. Prints its port, then serves until killed.
// Usage: node graphql-js-server.mjs <toolsDir> <input.json>   input { sdl, data }
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [toolsDir, inputPath] = process.argv.slice(2);
const require = createRequire(path.join(toolsDir, 'package.json'));
const { buildSchema, parse, validate, execute } = require('graphql');
const input = JSON.parse(readFileSync(inputPath, 'utf8'));
const schema = buildSchema(input.sdl);
schema.getQueryType().getFields().station.resolve = (_source, args) => input.data.stations.find((s) => s.id === args.id) ?? null;
const cache = new Map();

const server = http.createServer((request, response) => {
  const url = new URL(request.url, 'http://localhost');
  const query = url.searchParams.get('query') ?? '';
  let prepared = cache.get(query);
  if (!prepared) {
    try {
      const document = parse(query);
      prepared = { document, errors: validate(schema, document) };
    } catch (e) {
      prepared = { document: null, errors: [e] };
    }
    cache.set(query, prepared);
  }
  const result = prepared.errors.length ? { errors: prepared.errors } : execute({ schema, document: prepared.document, rootValue: input.data });
  const body = JSON.stringify(result);
  response.writeHead(prepared.errors.length ? 400 : 200, { 'content-type': 'application/graphql-response+json; charset=utf-8' });
  response.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
