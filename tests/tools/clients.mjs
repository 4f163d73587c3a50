// Real GraphQL clients from npm against a running OneMap server. Prints one JSON document with what they got.
//   node clients.mjs request <url> <query>            graphql-request: a plain query (POST)
//   node clients.mjs persisted <url> <query>          urql + @urql/exchange-persisted: automatic persisted query (GET with hash)
//   node clients.mjs ws <url> <query> <count>         graphql-ws: a subscription over graphql-transport-ws
//   node clients.mjs sse <url> <query> <count>        graphql-sse: a subscription over server-sent events
import { request, GraphQLClient } from 'graphql-request';
import { Client, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { createClient as createWsClient } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import WebSocket from 'ws';

const [mode, url, query, countText] = process.argv.slice(2);
const count = Number(countText ?? 0);
const print = (value) => process.stdout.write(JSON.stringify(value));

async function collect(subscribe) {
  const events = [];
  await new Promise((resolve, reject) => {
    const dispose = subscribe({
      next: (value) => { events.push(value); if (count && events.length >= count) { dispose(); resolve(); } },
      error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
      complete: resolve,
    });
  });
  return events;
}

if (mode === 'request') {
  const data = await request(url, query, { limit: 1 });
  const client = new GraphQLClient(url, { errorPolicy: 'all' });
  const raw = await client.rawRequest('{ nope }').catch((e) => ({ status: e.response?.status, errors: e.response?.errors }));
  print({ data, invalid: raw });
} else if (mode === 'persisted') {
  const sent = [];
  const recordingFetch = async (input, init) => {
    sent.push({ method: init?.method ?? 'GET', url: String(input), body: init?.body ?? null });
    return fetch(input, init);
  };
  const makeClient = () => new Client({
    url,
    fetch: recordingFetch,
    preferGetMethod: false,
    exchanges: [persistedExchange({ preferGetForPersistedQueries: true }), fetchExchange],
  });
  const first = await makeClient().query(query, {}).toPromise();
  const second = await makeClient().query(query, {}).toPromise();
  print({
    first: { data: first.data ?? null, error: first.error?.message ?? null },
    second: { data: second.data ?? null, error: second.error?.message ?? null },
    sent,
  });
} else if (mode === 'ws') {
  const client = createWsClient({ url, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
  try {
    const events = await collect((sink) => client.subscribe({ query }, sink));
    const single = await collect((sink) => client.subscribe({ query: '{ __typename }' }, sink));
    let invalid;
    try { await collect((sink) => client.subscribe({ query: 'subscription { nope }' }, sink)); } catch (e) { invalid = e.message; }
    print({ events, single, invalid });
  } finally {
    await client.dispose();
  }
} else if (mode === 'sse') {
  const client = createSseClient({ url, retryAttempts: 0 });
  try {
    const events = await collect((sink) => client.subscribe({ query }, sink));
    print({ events });
  } finally {
    client.dispose();
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
