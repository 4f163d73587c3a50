// Resolvers of the conformance schema (tests/GraphQL.Tests/Corpus/schema.graphql) for graphql-js. The C# side
// (tests/GraphQL.Tests/Conformance/ConformanceResolvers.cs) implements the same behaviour; keep them in step.

/** JSON.stringify of coerced arguments: what the echo fields return. */
const echo = (_source, args) => JSON.stringify(args);

export function attachResolvers(schema, data) {
  const field = (typeName, fieldName) => schema.getType(typeName).getFields()[fieldName];
  const knows = (source, command) => (source.knownCommands ?? []).includes(command);

  field('Dog', 'doesKnowCommand').resolve = (source, args) => knows(source, args.dogCommand);
  field('Cat', 'doesKnowCommand').resolve = (source, args) => knows(source, args.catCommand);
  field('Dog', 'isHouseTrained').resolve = (source, args) => (args.atOtherHomes ? source.houseTrainedElsewhere : source.houseTrained);

  for (const [name, definition] of Object.entries(schema.getType('Arguments').getFields())) {
    definition.resolve = name === 'multipleRequirements'
      ? (_source, args) => args.x + args.y
      : (_source, args) => Object.values(args)[0];
  }
  for (const definition of Object.values(schema.getType('ComplicatedArgs').getFields())) {
    definition.resolve = echo;
  }
  for (const [name, definition] of Object.entries(schema.getType('Query').getFields())) {
    if (name.startsWith('echo')) definition.resolve = echo;
  }

  const query = (name, resolve) => { field('Query', name).resolve = resolve; };
  query('dogs', (_source, args) => {
    const sorted = [...data.dogs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (args.orderBy === 'NAME_DESC') sorted.reverse();
    return sorted.slice(0, Math.max(0, args.first));
  });
  query('findDog', (_source, args) => data.dogs.find((d) => !args.searchBy || args.searchBy.name == null || d.name === args.searchBy.name) ?? null);
  query('node', (_source, args) => {
    const candidates = [data.dog, ...data.dogs, ...data.pets.filter(Boolean), data.human, data.pet];
    return candidates.find((c) => c.id === args.id) ?? null;
  });
  query('throwing', () => { throw new Error('boom'); });
  query('nonNullThrowing', () => { throw new Error('boom!'); });
  query('asyncDog', async () => { await null; return data.dog; });
  query('asyncNumbers', async () => { await new Promise((resolve) => setTimeout(resolve, 1)); return data.asyncNumbers; });

  const toPet = (pet) => (pet.cat
    ? { __typename: 'Cat', id: 'new-cat', name: pet.cat.name, nickname: pet.cat.nickname ?? null, meowVolume: pet.cat.meowVolume ?? null }
    : { __typename: 'Dog', id: 'new-dog', name: pet.dog.name, nickname: pet.dog.nickname ?? null, barkVolume: pet.dog.barkVolume ?? null });
  field('Mutation', 'addPet').resolve = (_source, args) => toPet(args.pet);
  field('Mutation', 'addPets').resolve = (_source, args) => args.pets.map(toPet);
  field('Mutation', 'renameDog').resolve = (_source, args) => ({ ...data.dog, name: args.name });
  field('Mutation', 'failingMutation').resolve = () => { throw new Error('mutation failed'); };
}
