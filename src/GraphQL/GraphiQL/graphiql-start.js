// Starts GraphiQL against the endpoint named on the #graphiql element: queries and mutations over HTTP,
// subscriptions over WebSocket (graphql-transport-ws). Everything it loads comes from this server.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var http = new URL(root.getAttribute('data-endpoint'), window.location.href);
  var ws = new URL(root.getAttribute('data-subscription-endpoint') || http.href, window.location.href);
  ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:';
  var fetcher = GraphiQL.createFetcher({
    url: http.href,
    wsClient: graphqlWs.createClient({ url: ws.href, lazy: true }),
  });
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }));
})();
