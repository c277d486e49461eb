// The API with the signed-in token. The token lives in sessionStorage (this tab only, gone when it closes) and
// travels in the Authorization header, never in a URL, where proxies and history would keep it.
const KEY = 'facestream.token';

export function token() {
  return sessionStorage.getItem(KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(KEY, value);
  } else {
    sessionStorage.removeItem(KEY);
  }
}

/** Called when the service says the token is no longer valid. */
let onUnauthorised = () => {};
export function whenUnauthorised(fn) {
  onUnauthorised = fn;
}

/** fetch() with the token; a 401 signs out. */
export async function call(path, options = {}) {
  const headers = new Headers(options.headers || {});
  headers.set('Authorization', 'Bearer ' + token());
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401) {
    onUnauthorised();
  }
  return response;
}

/** The JSON answer; a refusal throws an Error with the service's sentence. */
export async function json(path, options = {}) {
  const r = await call(path, options);
  const body = await r.json().catch(() => ({}));
  if (!r.ok) {
    throw new Error(body.error || `${r.status} ${r.statusText}`);
  }
  return body;
}

/** An image the API serves (a face crop) as an object URL, since an <img src> cannot carry the header. */
export async function imageUrl(path) {
  const r = await call(path);
  if (!r.ok) {
    throw new Error(`${r.status} ${r.statusText}`);
  }
  return URL.createObjectURL(await r.blob());
}

/**
 * Server-Sent Events read with fetch(), because EventSource cannot send a header. Calls onEvent(name, data)
 * per event; reconnects after a drop until stop() is called.
 */
export function events(path, onEvent, onState) {
  let controller = null;
  let stopped = false;
  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const r = await call(path, { signal: controller.signal, headers: { Accept: 'text/event-stream' } });
        if (!r.ok) {
          onState(`the live view answered ${r.status}`);
          if (r.status === 401) {
            return;
          }
        } else {
          onState('live');
          const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) {
              break;
            }
            buffer += value;
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              dispatch(buffer.slice(0, end), onEvent);
              buffer = buffer.slice(end + 2);
            }
          }
          onState('the live view closed; reconnecting');
        }
      } catch (e) {
        if (stopped) {
          return;
        }
        onState('the live view dropped (' + e.message + '); reconnecting');
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  run();
  return {
    stop() {
      stopped = true;
      if (controller) {
        controller.abort();
      }
    },
  };
}

function dispatch(block, onEvent) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') {
      name = value;
    } else if (field === 'data') {
      data.push(value);
    }
  }
  if (data.length) {
    onEvent(name, JSON.parse(data.join('\n')));
  }
}
