// graphql-js as a second reader of OneMap's introspection:
//   node introspection.mjs query          prints graphql-js's full introspection query (every option on)
//   node introspection.mjs print <file>   reads introspection results ({ name: result, ... }) and prints, per schema,
//                                         printSchema(buildClientSchema(result)) or the error buildClientSchema raised
import { readFileSync } from 'node:fs';
import { getIntrospectionQuery, buildClientSchema, printSchema, assertValidSchema } from 'graphql';

const [mode, file] = process.argv.slice(2);
if (mode === 'query') {
  process.stdout.write(getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
    experimentalDirectiveDeprecation: true,
    oneOf: true,
  }));
} else {
  const results = JSON.parse(readFileSync(file, 'utf8'));
  const out = {};
  for (const [name, result] of Object.entries(results)) {
    try {
      const schema = buildClientSchema(result.data);
      assertValidSchema(schema);
      out[name] = { sdl: printSchema(schema) };
    } catch (e) {
      out[name] = { error: String(e && e.stack ? e.stack : e) };
    }
  }
  process.stdout.write(JSON.stringify(out));
}
