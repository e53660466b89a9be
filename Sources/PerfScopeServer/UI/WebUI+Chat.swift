extension WebUI {
    /// The chat view. It streams `/chat/stream` with fetch (EventSource cannot POST or send a
    /// bearer token) and shows each step as it arrives: the tool call, the tool result (its
    /// summary, plus tables from the structured `result` when the event carries one), and the
    /// answer text. The element classes (`.tool`, `.answer` with `data-state`) are what the
    /// browser test reads, so they stay stable. `?q=…` asks a question on load.
    static let scriptChat = #"""
const EXAMPLES = ['Why is etcd slow?', 'WAL fsync over the last 2 hours', 'Show node usage', 'USE method on the hosts', 'Who is loading etcd?', 'Cluster status'];

function addMessage(cls, text, before) {
  const d = el('div', {className: 'msg ' + cls}, text);
  const log = $('log');
  if (before) log.insertBefore(d, before); else log.append(d);
  log.scrollTop = log.scrollHeight;
  return d;
}

async function loadTools() {
  const r = await api('/api/tools').catch(() => null);
  if (!r) { $('status').textContent = 'server unreachable'; return; }
  if (!r.ok) { $('status').textContent = 'tools: ' + errorText(r); return; }
  $('tools').replaceChildren(...r.data.map(t => el('li', {title: t.description, onclick: () => { $('q').value = 'Run ' + t.name; $('q').focus(); }}, t.name)));
  $('status').textContent = r.data.length + ' tools ready';
}

/** One SSE event (`event:` + `data:` lines) of a block; data is JSON. */
function parseEvent(block) {
  let name = 'message', data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).replace(/^ /, '');
  }
  try { return [name, data ? JSON.parse(data) : {}]; } catch (e) { return [name, {text: data}]; }
}

function toolResult(data, before) {
  const box = addMessage('tool' + (data.isError ? ' err' : ''), '', before);
  box.append(el('div', {className: 'line'}, '← ' + (data.name ? data.name + ': ' : '') + (data.summary || '')));
  if (data.result !== undefined && !data.isError) {
    const tables = renderResult(data.result);
    if (tables) box.append(tables);
  }
}

/** Questions run one after another (a conversation is a sequence), queued behind the restore of
 *  the current conversation so a `?q=` question is not wiped by it. */
let queue = Promise.resolve();
function ask(question) {
  queue = queue.then(() => askNow(question));
  return queue;
}
async function askNow(question) {
  addMessage('user', question);
  const answer = addMessage('answer', '');
  answer.dataset.state = 'streaming';
  try {
    const body = {message: question};
    if (currentConversation()) body.conversation_id = currentConversation();
    let r = await fetch('/chat/stream', {method: 'POST', headers: headers(true), body: JSON.stringify(body)});
    if (r.status === 404 && body.conversation_id) {
      // Deleted on the server (another tab, the API): this question starts a new conversation.
      setConversation('');
      delete body.conversation_id;
      addMessage('tool', 'that conversation was deleted on the server; starting a new one', answer);
      r = await fetch('/chat/stream', {method: 'POST', headers: headers(true), body: JSON.stringify(body)});
    }
    if (!r.ok || !r.body) { answer.textContent = 'error: HTTP ' + r.status + ' ' + await r.text(); answer.dataset.state = 'error'; return; }
    const reader = r.body.getReader(), decoder = new TextDecoder();
    let buffer = '', text = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, {stream: true}).replace(/\r\n/g, '\n');
      let i;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const [event, data] = parseEvent(buffer.slice(0, i));
        buffer = buffer.slice(i + 2);
        if (event === 'conversation') conversationStarted(data.conversation_id);
        else if (event === 'tool_call') addMessage('tool', '→ ' + data.name + ' ' + JSON.stringify(data.arguments || {}), answer);
        else if (event === 'tool_result') toolResult(data, answer);
        else if (event === 'message') { text += data.text || ''; answer.textContent = text; }
        else if (event === 'message_complete') { answer.textContent = data.text; answer.dataset.state = 'complete'; }
        else if (event === 'error') { answer.textContent = 'error: ' + data.error; answer.dataset.state = 'error'; }
      }
      $('log').scrollTop = $('log').scrollHeight;
    }
    if (answer.dataset.state === 'streaming') answer.dataset.state = text ? 'complete' : 'error';
  } catch (e) {
    answer.textContent = 'error: ' + e.message;
    answer.dataset.state = 'error';
  } finally {
    refreshConversations();
  }
}

function initChat() {
  $('token').value = token();
  $('token').addEventListener('change', () => { localStorage.setItem('perfscope-token', $('token').value.trim()); loadTools(); refreshConversations(); });
  $('examples').replaceChildren(...EXAMPLES.map(ex => el('button', {type: 'button', onclick: () => ask(ex)}, ex)));
  $('ask').addEventListener('submit', e => {
    e.preventDefault();
    const q = $('q').value.trim();
    if (q) { $('q').value = ''; ask(q); }
  });
  loadTools();
  queue = restoreConversation();
  // A link may suggest a question (?q=…) but never asks it: the user reads it and presses Ask,
  // so a page elsewhere cannot make this browser's saved token run whatever a question runs.
  const preset = new URLSearchParams(location.search).get('q');
  if (preset) $('q').value = preset.slice(0, 2000);
}
perfscope.views.chat = {show() { $('q').focus(); }};
"""#
}
