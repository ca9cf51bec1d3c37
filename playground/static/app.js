// The playground page: a small Telegram client for the local Bot API server.
// It renders Bot API Message objects (text + entities) with DOM nodes, never as HTML.
"use strict";

const POLL_MS = 400;
const MAP_BOUNDS = { north: 39.45, south: 37.75, west: 26.15, east: 28.55 };
const ENTITY_TAGS = {
  bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre",
  blockquote: "blockquote", expandable_blockquote: "blockquote", spoiler: "span",
};

const state = {
  setup: null,
  personaId: null,
  version: -1,
  answersSeen: {},   // person id -> number of button answers already shown
  languages: {},     // person id -> "tr" | "en"
  hiddenKeyboard: {},  // person id -> bot message count when a one-time keyboard was used
  history: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(await response.text());
  return response.json();
}

function act(action, body) {
  return api(`/api/chats/${state.personaId}/${action}`, body || {})
    .then(poll)
    .catch((error) => toast(`Olmadı: ${error.message}`));
}

const sendText = (text) => act("text", { text });

// -- formatted text ---------------------------------------------------------------------------

function formatted(text, entities) {
  const fragment = document.createDocumentFragment();
  const sorted = (entities || []).slice()
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  build(fragment, text || "", sorted, 0, (text || "").length);
  return fragment;
}

function build(parent, text, entities, start, end) {
  let position = start;
  let i = 0;
  while (i < entities.length) {
    const entity = entities[i];
    const stop = entity.offset + entity.length;
    if (entity.offset < position || stop > end) { i += 1; continue; }
    parent.append(text.slice(position, entity.offset));
    const inner = [];
    let j = i + 1;
    while (j < entities.length && entities[j].offset < stop) { inner.push(entities[j]); j += 1; }
    const node = entityNode(entity, text.slice(entity.offset, stop));
    build(node, text, inner, entity.offset, stop);
    parent.append(node);
    position = stop;
    i = j;
  }
  parent.append(text.slice(position, end));
}

function entityNode(entity, content) {
  if (entity.type === "text_link" || entity.type === "url") {
    const link = el("a");
    setLink(link, entity.type === "url" ? content : entity.url);
    return link;
  }
  const node = el(ENTITY_TAGS[entity.type] || "span");
  if (entity.type === "spoiler") {
    node.className = "spoiler";
    node.addEventListener("click", () => node.classList.add("revealed"));
  }
  return node;
}

// A t.me link to this bot opens it here, as Telegram would; other http(s) links open in a new
// tab (only when clicked); anything else is not a link.
function setLink(link, url) {
  const payload = deepLink(url);
  if (payload !== null) {
    link.href = "#";
    link.title = "Bu sohbette açılır";
    link.addEventListener("click", (event) => {
      event.preventDefault();
      sendText(payload ? `/start ${payload}` : "/start");
    });
  } else if (/^https?:\/\//i.test(url || "")) {
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
  }
}

function deepLink(url) {
  try {
    const parsed = new URL(url);
    const name = parsed.pathname.replace(/^\/+/, "");
    if (parsed.hostname === "t.me" && state.setup && name === state.setup.bot.username) {
      return parsed.searchParams.get("start") || "";
    }
  } catch (error) { /* not a URL */ }
  return null;
}

function mapUrl(location) {
  const lat = Number(location.latitude).toFixed(5);
  const lon = Number(location.longitude).toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

function mapLink(location) {
  const link = el("a", "map-link", "Haritada aç ↗");
  setLink(link, mapUrl(location));
  return link;
}

// -- messages ---------------------------------------------------------------------------------

function sizeText(bytes) {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} bayt`;
}

function timeText(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString("tr-TR", { hour: "2-digit", minute: "2-digit" });
}

function messageBody(message) {
  const body = document.createDocumentFragment();
  if (message.photo) {
    const largest = message.photo[message.photo.length - 1];
    const figure = el("div", "photo");
    const link = el("a");
    link.href = `/files/${encodeURIComponent(largest.file_id)}`;
    link.target = "_blank";
    const image = el("img");
    image.src = link.href;
    image.alt = "Fotoğraf";
    link.append(image);
    figure.append(link);
    body.append(figure);
  }
  if (message.document) {
    const doc = message.document;
    const card = el("div", "media document");
    card.append(el("span", "icon", "📄"));
    const info = el("div");
    const name = el("a", "name", doc.file_name || "dosya");
    name.href = `/files/${encodeURIComponent(doc.file_id)}?download=1`;
    name.download = doc.file_name || "";
    info.append(name, el("div", "size", `${sizeText(doc.file_size || 0)} · indir`));
    card.append(info);
    body.append(card);
  }
  if (message.venue) {
    const card = el("div", "media venue");
    card.append(el("span", "icon", "📍"));
    const info = el("div");
    info.append(el("div", "name", message.venue.title), el("div", "size", message.venue.address),
      mapLink(message.venue.location));
    card.append(info);
    body.append(card);
  } else if (message.location) {
    const card = el("div", "media location");
    card.append(el("span", "icon", "📍"));
    const info = el("div");
    info.append(el("div", "name", "Konum"), mapLink(message.location));
    card.append(info);
    body.append(card);
  }
  if (message.contact) {
    const card = el("div", "media contact");
    card.append(el("span", "icon", "📱"));
    const info = el("div");
    info.append(el("div", "name", message.contact.first_name || "Kişi"),
      el("div", "size", message.contact.phone_number));
    card.append(info);
    body.append(card);
  }
  if (message.text !== undefined) body.append(formatted(message.text, message.entities));
  if (message.caption !== undefined) {
    body.append(formatted(message.caption, message.caption_entities));
  }
  if (!body.childNodes.length) body.append(el("i", "", "(bu mesaj türü burada gösterilmiyor)"));
  return body;
}

function inlineKeyboard(message) {
  const rows = (message.reply_markup || {}).inline_keyboard || [];
  const keyboard = el("div", "inline-keyboard");
  for (const row of rows) {
    const line = el("div", "kb-row");
    for (const button of row) {
      if (button.url) {
        const link = el("a", "inline-button", `${button.text} ↗`);
        setLink(link, button.url);
        line.append(link);
      } else {
        const press = el("button", "inline-button", button.text);
        press.type = "button";
        press.addEventListener("click", () => act("press", {
          message_id: message.message_id, callback_data: button.callback_data,
        }));
        line.append(press);
      }
    }
    keyboard.append(line);
  }
  return rows.length ? keyboard : null;
}

function renderMessage(message) {
  const out = !(message.from && message.from.is_bot);
  const row = el("div", `row ${out ? "out" : "in"}`);
  const column = el("div", "column");
  const bubble = el("div", "bubble");
  bubble.dataset.messageId = message.message_id;
  const meta = el("span", "meta",
    (message.edit_date ? "düzenlendi " : "") + timeText(message.edit_date || message.date));
  // After the text, floated right: it shares the last line when there is room, like Telegram.
  bubble.append(messageBody(message), meta);
  column.append(bubble);
  const keyboard = inlineKeyboard(message);
  if (keyboard) column.append(keyboard);
  row.append(column);
  return row;
}

function renderReplyKeyboard(history) {
  const box = $("reply-keyboard");
  box.replaceChildren();
  const markup = history.reply_keyboard;
  const botCount = history.messages.filter((m) => m.from && m.from.is_bot).length;
  const hiddenAt = state.hiddenKeyboard[state.personaId];
  if (!markup || (hiddenAt !== undefined && hiddenAt === botCount)) {
    box.hidden = true;
    return;
  }
  for (const row of markup.keyboard || []) {
    const line = el("div", "kb-row");
    for (const raw of row) {
      const button = typeof raw === "string" ? { text: raw } : raw;
      const key = el("button", "key", button.text);
      key.type = "button";
      key.addEventListener("click", () => {
        if (markup.one_time_keyboard) state.hiddenKeyboard[state.personaId] = botCount;
        if (button.request_contact) act("contact");
        else if (button.request_location) openLocation();
        else sendText(button.text);
      });
      line.append(key);
    }
    box.append(line);
  }
  box.hidden = false;
}

function render(history) {
  const list = $("messages");
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  list.replaceChildren(...history.messages.map(renderMessage));
  if (nearBottom || state.version === -1) list.scrollTop = list.scrollHeight;
  $("start").hidden = history.messages.length > 0;
  renderReplyKeyboard(history);
  const seen = state.answersSeen[state.personaId] || 0;
  const fresh = history.answers.slice(seen).filter((answer) => answer.text);
  state.answersSeen[state.personaId] = history.answers.length;
  if (fresh.length && state.version !== -1) {
    toast(fresh[fresh.length - 1].text, fresh[fresh.length - 1].show_alert ? 6000 : 2500);
  }
}

async function poll() {
  const personaId = state.personaId;
  const history = await api(`/api/chats/${personaId}?since=${state.version}`);
  if (personaId !== state.personaId) return;
  if (!history.unchanged && history.version !== state.version) {
    state.history = history;
    render(history);
    state.version = history.version;
  }
}

function schedulePolling() {
  const tick = () => poll().catch(() => {}).finally(() => setTimeout(tick, POLL_MS));
  tick();
}

// -- people, menus and dialogs ----------------------------------------------------------------

function choosePersona(person) {
  state.personaId = person.id;
  state.version = -1;
  for (const button of $("personas").children) {
    button.setAttribute("aria-selected", String(Number(button.dataset.id) === person.id));
  }
  $("who").textContent = `${person.name} (${person.role}) olarak`;
  $("persona-note").textContent = person.note || "";
  $("language").value = state.languages[person.id] || "tr";
  $("admin-hint").hidden = person.key !== "admin";
  $("messages").replaceChildren();
  closePopups();
  poll().catch(() => {});
}

function renderSetup(setup) {
  state.setup = setup;
  $("bot-name").textContent = setup.bot.name;
  $("ceremony-command").textContent = setup.ceremony_command;
  $("speedups").replaceChildren(...setup.speedups.map((text) => el("li", "", text)));
}

function renderPersonas(setup) {
  const box = $("personas");
  box.replaceChildren();
  for (const person of setup.personas) {
    const button = el("button");
    button.type = "button";
    button.setAttribute("role", "tab");
    button.dataset.id = person.id;
    button.dataset.persona = person.key;
    button.append(person.name, el("span", "role", person.role));
    button.addEventListener("click", () => choosePersona(person));
    box.append(button);
  }
}

function closePopups() {
  for (const id of ["attach-menu", "command-menu", "location-dialog"]) $(id).hidden = true;
}

function openCommands() {
  const menu = $("command-menu");
  const language = state.languages[state.personaId] || "tr";
  const commands = (state.setup.commands[language] || []);
  menu.replaceChildren(...commands.map((command) => {
    const button = el("button");
    button.type = "button";
    button.append(el("span", "cmd", `/${command.command}`), command.description);
    button.addEventListener("click", () => { closePopups(); sendText(`/${command.command}`); });
    return button;
  }));
  if (!commands.length) menu.append(el("div", "note", "Komut listesi henüz yok."));
  menu.hidden = false;
}

function openLocation() {
  closePopups();
  const map = $("map");
  const districts = $("districts");
  map.replaceChildren();
  districts.replaceChildren();
  for (const district of state.setup.districts) {
    const x = (district.longitude - MAP_BOUNDS.west) / (MAP_BOUNDS.east - MAP_BOUNDS.west);
    const y = (MAP_BOUNDS.north - district.latitude) / (MAP_BOUNDS.north - MAP_BOUNDS.south);
    const dot = el("span", "dot");
    const label = el("span", "label", district.name);
    for (const node of [dot, label]) {
      node.style.left = `${(x * 100).toFixed(2)}%`;
      node.style.top = `${(y * 100).toFixed(2)}%`;
    }
    map.append(dot, label);
    const button = el("button", "", district.name);
    button.type = "button";
    button.addEventListener("click", () => shareLocation(district.latitude, district.longitude));
    districts.append(button);
  }
  $("location-dialog").hidden = false;
}

function shareLocation(latitude, longitude) {
  closePopups();
  act("location", { latitude, longitude });
}

let toastTimer = null;
function toast(text, ms = 2500) {
  const box = $("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, ms);
}

function wire() {
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("text");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    sendText(text);
  });
  $("start-button").addEventListener("click", () => sendText("/start"));
  $("menu-button").addEventListener("click", () => {
    const open = !$("command-menu").hidden;
    closePopups();
    if (!open) openCommands();
  });
  $("attach-button").addEventListener("click", () => {
    const open = !$("attach-menu").hidden;
    closePopups();
    $("attach-menu").hidden = open;
  });
  $("share-contact").addEventListener("click", () => { closePopups(); act("contact"); });
  $("share-location").addEventListener("click", openLocation);
  $("location-cancel").addEventListener("click", closePopups);
  $("map").addEventListener("click", (event) => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = (event.clientX - box.left) / box.width;
    const y = (event.clientY - box.top) / box.height;
    shareLocation(MAP_BOUNDS.north - y * (MAP_BOUNDS.north - MAP_BOUNDS.south),
      MAP_BOUNDS.west + x * (MAP_BOUNDS.east - MAP_BOUNDS.west));
  });
  $("language").addEventListener("change", (event) => {
    state.languages[state.personaId] = event.target.value;
    act("language", { language_code: event.target.value });
  });
  $("use-ceremony").addEventListener("click", () => {
    $("text").value = state.setup.ceremony_command;
    $("text").focus();
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") closePopups(); });
}

async function main() {
  wire();
  const setup = await api("/api/setup");
  renderSetup(setup);
  renderPersonas(setup);
  choosePersona(setup.personas[0]);
  schedulePolling();
  setInterval(() => api("/api/setup").then(renderSetup).catch(() => {}), 20000);
}

main().catch((error) => toast(`Oyun alanı açılamadı: ${error.message}`, 10000));
