extension WebUI {
    /// Conversations and the system prompt, kept small on purpose. The server stores the turns
    /// (`/api/conversations`); the browser remembers only which one is current (localStorage),
    /// so a reload, or another browser, restores it from the server. A server without these
    /// routes answers 404: the panel then says so and chat works without conversations.
    static let scriptConversations = #"""
const CONVERSATION_KEY = 'perfscope-conversation';
function currentConversation() { return localStorage.getItem(CONVERSATION_KEY) || ''; }
function setConversation(id) {
  if (id) localStorage.setItem(CONVERSATION_KEY, id); else localStorage.removeItem(CONVERSATION_KEY);
}

/** The stream's first event names the conversation a question started (or continued). */
function conversationStarted(id) {
  if (!id || id === currentConversation()) return;
  setConversation(id);
  loadPrompt();
}

async function refreshConversations() {
  const r = await api('/api/conversations').catch(() => null);
  const list = $('convs'), note = $('conv-note');
  if (!r || r.status === 404) { list.replaceChildren(); note.textContent = 'This server does not keep conversations.'; return; }
  if (!r.ok) { note.textContent = errorText(r); return; }
  const items = Array.isArray(r.data) ? r.data : (r.data && r.data.conversations) || [];
  note.textContent = items.length ? '' : 'No conversations yet: ask something.';
  list.replaceChildren(...items.map(c => {
    const del = el('button', {type: 'button', title: 'Delete this conversation'}, '×');
    // Two clicks delete (no blocking confirm dialog): the first arms the button.
    del.addEventListener('click', e => {
      e.stopPropagation();
      if (del.dataset.armed) deleteConversation(c.id); else { del.dataset.armed = '1'; del.textContent = 'delete?'; }
    });
    const count = Array.isArray(c.messages) ? c.messages.length : c.messages;
    return el('li', {className: c.id === currentConversation() ? 'current' : '', dataset: {id: c.id},
                     title: (c.updated_at || c.created_at || '') + (count !== undefined ? ' · ' + count + ' messages' : ''),
                     onclick: () => openConversation(c.id)},
              el('span', {}, c.title || 'untitled'), del);
  }));
}

/** Shows a stored conversation's turns in the log; false when it is gone. */
async function showConversation(id) {
  const r = await api('/api/conversations/' + encodeURIComponent(id)).catch(() => null);
  if (!r || !r.ok) return false;
  $('log').replaceChildren();
  for (const m of r.data.messages || []) {
    if (m.role === 'user') { addMessage('user', m.content); continue; }
    // The tool steps kept with the answer: calls and result summaries (tables are not stored).
    for (const s of m.steps || []) {
      const d = s.data || {};
      if (s.event === 'tool_call') addMessage('tool', '→ ' + d.name + ' ' + JSON.stringify(d.arguments || {}));
      else if (s.event === 'tool_result') addMessage('tool' + (d.isError ? ' err' : ''), '← ' + (d.summary || ''));
    }
    const a = addMessage('answer', m.content); a.dataset.state = 'complete';
  }
  return true;
}
/** Opening another conversation waits for a running answer (same queue as questions). */
function openConversation(id) {
  queue = queue.then(async () => {
    if (await showConversation(id)) setConversation(id);
    refreshConversations();
    loadPrompt();
  });
}
async function restoreConversation() {
  try {
    const id = currentConversation();
    if (id && !(await showConversation(id))) setConversation('');
  } catch (e) { setConversation(''); }
  refreshConversations();
  loadPrompt();
}
function newConversation() {
  queue = queue.then(() => {
    setConversation('');
    $('log').replaceChildren();
    refreshConversations();
    loadPrompt();
  });
}
async function deleteConversation(id) {
  const r = await api('/api/conversations/' + encodeURIComponent(id), {method: 'DELETE'});
  if (!r.ok && r.status !== 404) { $('conv-note').textContent = errorText(r); return; }
  if (id === currentConversation()) newConversation(); else refreshConversations();
}

/** The system prompt of the current conversation, or the server default when there is none. */
function promptPath() {
  const id = currentConversation();
  return '/api/system-prompt' + (id ? '/' + encodeURIComponent(id) : '');
}
async function loadPrompt() {
  const r = await api(promptPath()).catch(() => null);
  if (!r || r.status === 404) { $('prompt-box').hidden = true; return; }
  $('prompt-box').hidden = false;
  if (!r.ok) { $('prompt-note').textContent = errorText(r); return; }
  $('prompt').value = r.data.system_prompt || '';
  $('prompt-source').textContent = r.data.source ? '(' + r.data.source + ')' : '';
  $('prompt-note').textContent = currentConversation() ? 'Applies to this conversation (the offline agent has no prompt).'
                                                       : 'No conversation yet: this is the server default for new ones.';
}
async function savePrompt(reset) {
  const r = reset ? await api(promptPath(), {method: 'DELETE'}) : await api(promptPath(), {method: 'POST', body: {system_prompt: $('prompt').value}});
  await loadPrompt();
  $('prompt-note').textContent = r.ok ? (reset ? 'Reset.' : 'Saved.') : errorText(r);
}

function initConversations() {
  $('conv-new').addEventListener('click', newConversation);
  $('prompt-save').addEventListener('click', () => savePrompt(false));
  $('prompt-reset').addEventListener('click', () => savePrompt(true));
}
"""#
}
