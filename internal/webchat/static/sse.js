// sse.js — reading a text/event-stream body that arrives in chunks (the page
// reads it with fetch, since EventSource cannot send an Authorization header).

// parseSSE splits a text/event-stream buffer into complete events and the
// unfinished rest. Comment lines (": heartbeat") are skipped.
export function parseSSE(buf) {
  const events = [];
  const blocks = buf.split(/\r?\n\r?\n/);
  const rest = blocks.pop();
  for (const block of blocks) {
    const ev = { event: 'message', data: '', id: '' };
    for (const line of block.split(/\r?\n/)) {
      if (!line || line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'data') ev.data += (ev.data ? '\n' : '') + value;
      else if (field === 'event') ev.event = value;
      else if (field === 'id') ev.id = value;
    }
    if (ev.data || ev.id) events.push(ev);
  }
  return { events, rest };
}
