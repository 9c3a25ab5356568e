import {authHeaders} from './api.js';

/**
 * Reads the dashboard's Server-Sent Events stream with fetch(), which, unlike EventSource, can send the bearer token.
 * handlers: {runs(data), run(data), items(data), gone(data)}. Reconnects (with the current token) when the stream
 * ends, until stop() is called.
 */
export function subscribe(path, handlers) {
  const controller = new AbortController();
  let stopped = false;
  (async () => {
    while (!stopped) {
      try {
        const response = await fetch(path, {headers: {...authHeaders(), Accept: 'text/event-stream'},
          signal: controller.signal});
        if (!response.ok) {
          handlers.failed?.(response.status);
          return;
        }
        handlers.connected?.();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const {value, done} = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            dispatch(buffer.slice(0, end), handlers);
            buffer = buffer.slice(end + 2);
          }
        }
      } catch (error) {
        if (stopped) return;
        if (error?.status === 401) return;
      }
      if (!stopped) await new Promise(resolve => setTimeout(resolve, 1000));
    }
  })();
  return () => {
    stopped = true;
    controller.abort();
  };
}

function dispatch(block, handlers) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (!data.length || !handlers[name]) return;
  handlers[name](JSON.parse(data.join('\n')));
}
