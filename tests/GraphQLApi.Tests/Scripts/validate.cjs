// Checks OneMap's GraphQL with graphql-js, the reference implementation: builds a client schema from an
// introspection result, validates it, and validates documents against it.
// Usage: node validate.cjs <tools-folder> <introspection.json> <documents.json>
// documents.json: [{ "name": "...", "query": "..." }]. Prints JSON: { schemaErrors: [...], documents: { name: [messages] } }.
const path = require("path");
const fs = require("fs");
const graphql = require(path.join(process.argv[2], "node_modules", "graphql"));
const introspection = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const documents = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
const schema = graphql.buildClientSchema(introspection.data ?? introspection);
const result = { schemaErrors: graphql.validateSchema(schema).map(e => e.message), types: Object.keys(schema.getTypeMap()).length, documents: {} };
for (const document of documents) {
  try {
    result.documents[document.name] = graphql.validate(schema, graphql.parse(document.query)).map(e => e.message);
  } catch (e) {
    result.documents[document.name] = [String(e.message ?? e)];
  }
}
result.sdlLength = graphql.printSchema(schema).length;
process.stdout.write(JSON.stringify(result));
