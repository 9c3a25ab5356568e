// Tessera slide viewer: a canvas that draws only the tiles and features on screen.
// Opened as /viewer/?run=<runId>&item=<itemId>[&share_token=...] (platform) or /viewer/?local=1 (a local slide).

const params = new URLSearchParams(location.search);
const shareToken = params.get('share_token');
const base = params.has('local')
  ? '/api/viewer/v1/local/'
  : `/api/viewer/v1/runs/${encodeURIComponent(params.get('run') || '')}/items/${encodeURIComponent(params.get('item') || '')}/`;

const canvas = document.getElementById('canvas');
const ctx = canvas.getContext('2d');
const $ = (id) => document.getElementById(id);

const MAX_TILES = 800;
const CELL_CHUNK = 4096;          // level-0 pixels per side of a cells request
const CELLS_BELOW_DOWNSAMPLE = 16; // cells are drawn when zoomed in at least this far

let info = null;
const view = { cx: 0, cy: 0, scale: 1 };  // centre in level-0 pixels; screen pixels per level-0 pixel
const tiles = new Map();                   // "l/c/r" -> ImageBitmap | 'loading' | 'failed'
let loading = 0;
const queue = [];
const layers = [];                         // {kind, name, title, visible, hidden:Set, classes, ...}
let opacity = 0.45;
let pending = false;

function url(path, extra = {}) {
  const q = new URLSearchParams(extra);
  if (shareToken) q.set('share_token', shareToken);
  const s = q.toString();
  return base + path + (s ? '?' + s : '');
}

// The dashboard keeps its sign-in in this tab's sessionStorage ('tessera.session': the access token and when it
// expires); a page opened from the dashboard's item row reads it from there. 'tessera.token' is a bare token for
// pages opened by other tools.
function token() {
  try {
    const session = JSON.parse(sessionStorage.getItem('tessera.session') || 'null');
    if (session && session.token && Date.now() < session.expiresAt) return session.token;
  } catch (e) { /* not the dashboard's session */ }
  return sessionStorage.getItem('tessera.token');
}

function headers() {
  const bearer = token();
  return bearer ? { Authorization: 'Bearer ' + bearer } : {};
}

async function get(path, extra) {
  const response = await fetch(url(path, extra), { headers: headers() });
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    let code = '';
    try {
      const body = await response.json();
      message = body.message || body.detail || message;
      code = body.code || '';
    } catch (e) { /* not JSON */ }
    const error = new Error(message);
    error.code = code;
    error.status = response.status;
    throw error;
  }
  return response;
}

function showError(error) {
  const box = $('error');
  let text = error.message;
  if (error.code === 'SLIDE_URL_EXPIRED') {
    text = 'The slide cannot be shown: its signed URL has expired. The slide stays in its owner\'s storage and '
      + 'Tessera keeps no copy; submit the item with a fresh URL to view it again. (' + error.message + ')';
  } else if (error.status === 404) {
    text = 'Not found, or you may not read this run: ' + error.message;
  } else if (error.status === 401) {
    text = 'Sign in first (the dashboard keeps your token for this tab), or open the link with its share token.';
  }
  box.textContent = text;
  box.hidden = false;
}

/**
 * When the slide cannot be shown at all (no right to read the run, not signed in, the slide's URL expired), the page
 * says so in place of the canvas, with the way back, instead of an empty stage under an error line.
 */
function refuse(error) {
  let heading;
  let text;
  let kind;
  if (error.code === 'SLIDE_URL_EXPIRED') {
    kind = 'expired';
    heading = 'This slide\'s link has expired';
    text = 'Tessera reads the slide from its owner\'s storage through the signed URL the run was submitted with, '
      + 'and keeps no copy. That URL has expired, so the slide cannot be shown any more; its results stay '
      + 'downloadable from the run. To view it again, submit the slide with a fresh URL.';
  } else if (error.status === 401) {
    kind = 'signed-out';
    heading = 'Sign in to view this slide';
    text = 'The viewer uses your dashboard sign-in in this browser tab. Sign in on the dashboard and open the slide '
      + 'from its run, or open a share link you were given.';
  } else if (error.status === 403 || error.status === 404) {
    kind = 'not-allowed';
    heading = 'You may not view this slide';
    text = 'This run does not exist, or it was not shared with you. Ask its owner or your organization\'s '
      + 'administrator to share it, or open a share link you were given.';
  } else {
    showError(error);
    return;
  }
  document.title = `${heading} · Tessera slide viewer`;
  $('title').textContent = 'Slide viewer';
  $('refusal-heading').textContent = heading;
  $('refusal-text').textContent = text;
  $('refusal-detail').textContent = error.message ? `The platform said: ${error.message}` : '';
  $('refusal').dataset.kind = kind;
  $('refusal').hidden = false;
  document.querySelector('main.layout').hidden = true;
  $('refusal-heading').focus();
}

// ---------------------------------------------------------------- geometry

function resize() {
  const ratio = window.devicePixelRatio || 1;
  const rect = canvas.getBoundingClientRect();
  canvas.width = Math.max(1, Math.round(rect.width * ratio));
  canvas.height = Math.max(1, Math.round(rect.height * ratio));
  redraw();
}

function fit() {
  if (!info) return;
  const ratio = window.devicePixelRatio || 1;
  view.cx = info.width / 2;
  view.cy = info.height / 2;
  view.scale = Math.min(canvas.width / info.width, canvas.height / info.height) * 0.95 / ratio;
  redraw();
}

function zoomAt(factor, sx, sy) {
  if (!info) return;
  const ratio = window.devicePixelRatio || 1;
  const before = toSlide(sx, sy);
  const max = 4 / ratio;  // at most 4 screen pixels per slide pixel
  const min = Math.min(canvas.width / info.width, canvas.height / info.height) / ratio / 4;
  view.scale = Math.min(max, Math.max(min, view.scale * factor));
  const after = toSlide(sx, sy);
  view.cx += before.x - after.x;
  view.cy += before.y - after.y;
  redraw();
}

function pan(dx, dy) {   // in CSS pixels
  view.cx -= dx / view.scale;
  view.cy -= dy / view.scale;
  redraw();
}

function toSlide(sx, sy) {  // CSS pixels on the canvas -> level-0 pixels
  const rect = canvas.getBoundingClientRect();
  return { x: view.cx + (sx - rect.width / 2) / view.scale, y: view.cy + (sy - rect.height / 2) / view.scale };
}

function viewport() {  // level-0 box on screen
  const rect = canvas.getBoundingClientRect();
  const hw = rect.width / 2 / view.scale;
  const hh = rect.height / 2 / view.scale;
  return { x0: view.cx - hw, y0: view.cy - hh, x1: view.cx + hw, y1: view.cy + hh };
}

function levelFor() {  // the coarsest level still at least as fine as the screen
  const ratio = window.devicePixelRatio || 1;
  const wanted = 1 / (view.scale * ratio);
  let best = 0;
  info.levels.forEach((l, i) => { if (l.downsample <= wanted * 1.01) best = i; });
  return best;
}

// ---------------------------------------------------------------- tiles

function requestTile(key) {
  if (tiles.has(key)) return;
  tiles.set(key, 'loading');
  queue.push(key);
  pump();
}

function pump() {
  while (loading < 8 && queue.length) {
    const key = queue.pop();  // newest first: what the view needs now
    loading++;
    get('tiles/' + key + '.jpg')
      .then((r) => r.blob())
      .then((b) => createImageBitmap(b))
      .then((bitmap) => { tiles.set(key, bitmap); })
      .catch((error) => {
        tiles.set(key, 'failed');
        if (error.code === 'SLIDE_URL_EXPIRED' || error.status === 401 || error.status === 404) showError(error);
      })
      .finally(() => { loading--; trimTiles(); pump(); redraw(); });
  }
}

function trimTiles() {
  if (tiles.size <= MAX_TILES) return;
  for (const [key, value] of tiles) {  // Map keeps insertion order: oldest first
    if (tiles.size <= MAX_TILES) break;
    if (value !== 'loading') {
      if (value.close) value.close();
      tiles.delete(key);
    }
  }
}

function drawLevel(level, box, ratio, request) {
  const l = info.levels[level];
  const size = info.tile_size;
  const d = l.downsample;
  const c0 = Math.max(0, Math.floor(box.x0 / d / size));
  const r0 = Math.max(0, Math.floor(box.y0 / d / size));
  const c1 = Math.min(Math.ceil(l.width / size) - 1, Math.floor(box.x1 / d / size));
  const r1 = Math.min(Math.ceil(l.height / size) - 1, Math.floor(box.y1 / d / size));
  let missing = 0;
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const key = `${level}/${c}/${r}`;
      const tile = tiles.get(key);
      if (tile && tile !== 'loading' && tile !== 'failed') {
        const x = (c * size * d - view.cx) * view.scale * ratio + canvas.width / 2;
        const y = (r * size * d - view.cy) * view.scale * ratio + canvas.height / 2;
        const w = tile.width * d * view.scale * ratio;
        const h = tile.height * d * view.scale * ratio;
        ctx.drawImage(tile, Math.floor(x), Math.floor(y), Math.ceil(w) + 1, Math.ceil(h) + 1);
      } else {
        missing++;
        if (request) requestTile(key);
      }
    }
  }
  return missing;
}

// ---------------------------------------------------------------- drawing

function redraw() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; draw(); });
}

function draw() {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#e8e8e8';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (!info) return;
  const ratio = window.devicePixelRatio || 1;
  const box = viewport();
  const level = levelFor();
  // Coarser levels first, as placeholders, then the level the view needs on top.
  const coarsest = info.levels.length - 1;
  if (level < coarsest) drawLevel(coarsest, box, ratio, true);
  const missing = drawLevel(level, box, ratio, true);
  ctx.setTransform(view.scale * ratio, 0, 0, view.scale * ratio,
    canvas.width / 2 - view.cx * view.scale * ratio, canvas.height / 2 - view.cy * view.scale * ratio);
  let drawn = 0;
  let waiting = missing;
  for (const layer of layers) {
    if (!layer.visible) continue;
    if (layer.kind === 'map') waiting += drawMap(layer);
    else {
      const result = drawFeatures(layer, box);
      drawn += result.drawn;
      waiting += result.waiting;
    }
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  drawScaleBar();
  const d = info.levels[level].downsample;
  $('status').textContent = `level ${level} (×${d.toFixed(d < 10 ? 1 : 0)})`
    + (missing ? `, loading ${missing} tiles` : '') + (drawn ? `, ${drawn} shapes` : '');
  // What this frame still waits for (tiles, maps, feature chunks) and what it drew: for tests and scripts.
  canvas.dataset.waiting = String(waiting);
  canvas.dataset.shapes = String(drawn);
}

function drawMap(layer) {  // 1 while the map is still loading, else 0
  if (!layer.bitmap) { loadMap(layer); return 1; }
  ctx.globalAlpha = opacity;
  ctx.imageSmoothingEnabled = false;
  const scale = Number.isFinite(layer.scale) && layer.scale > 0 ? layer.scale : info.width / layer.bitmap.width;
  ctx.drawImage(layer.bitmap, 0, 0, layer.bitmap.width * scale, layer.bitmap.height * scale);
  ctx.imageSmoothingEnabled = true;
  ctx.globalAlpha = 1;
  return 0;
}

async function loadMap(layer) {
  const hide = [...layer.hidden].join(',');
  if (layer.loading === hide) return;
  layer.loading = hide;
  try {
    if (layer.scale === undefined) layer.scale = (await (await get(`maps/${layer.name}.json`)).json()).scale;
    const blob = await (await get(`maps/${layer.name}.png`, hide ? { hide } : {})).blob();
    const bitmap = await createImageBitmap(blob);
    if (layer.loading === hide) { layer.bitmap = bitmap; redraw(); }
  } catch (error) {
    showError(error);
  }
}

function chunksFor(layer, box) {
  if (layer.kind === 'polygons') return [`0,0,${info.width},${info.height}`];
  const out = [];
  for (let y = Math.max(0, Math.floor(box.y0 / CELL_CHUNK)); y * CELL_CHUNK < Math.min(box.y1, info.height); y++) {
    for (let x = Math.max(0, Math.floor(box.x0 / CELL_CHUNK)); x * CELL_CHUNK < Math.min(box.x1, info.width); x++) {
      out.push(`${x * CELL_CHUNK},${y * CELL_CHUNK},${(x + 1) * CELL_CHUNK},${(y + 1) * CELL_CHUNK}`);
    }
  }
  return out;
}

function drawFeatures(layer, box) {  // {drawn: shapes drawn, waiting: chunks still loading}
  const ratio = window.devicePixelRatio || 1;
  if (layer.kind === 'cells' && 1 / (view.scale * ratio) > CELLS_BELOW_DOWNSAMPLE) return { drawn: 0, waiting: 0 };
  let drawn = 0;
  let waiting = 0;
  ctx.lineWidth = 1.5 / (view.scale * ratio);
  for (const chunk of chunksFor(layer, box)) {
    const features = layer.chunks.get(chunk);
    if (!features) { waiting++; loadChunk(layer, chunk); continue; }
    for (const f of features) {
      if (layer.hidden.has(f[0])) continue;
      const ring = f[1];
      // Only what crosses the screen: a cheap bounds check on the exterior ring's first point and extent.
      if (layer.kind === 'cells' && (ring[0] < box.x0 - 100 || ring[0] > box.x1 + 100 || ring[1] < box.y0 - 100 || ring[1] > box.y1 + 100)) continue;
      const colour = layer.classes[f[0]] ? layer.classes[f[0]].color : '#ffd700';
      ctx.beginPath();
      for (let k = 1; k < f.length; k++) {
        const r = f[k];
        ctx.moveTo(r[0], r[1]);
        for (let i = 2; i < r.length; i += 2) ctx.lineTo(r[i], r[i + 1]);
        ctx.closePath();
      }
      ctx.strokeStyle = colour;
      if (layer.kind === 'cells') {
        ctx.fillStyle = colour + '55';
        ctx.fill('evenodd');
      }
      ctx.stroke();
      drawn++;
    }
  }
  return { drawn, waiting };
}

async function loadChunk(layer, chunk) {
  if (layer.requested.has(chunk)) return;
  layer.requested.add(chunk);
  try {
    const body = await (await get(`features/${layer.name}.json`, { bbox: chunk })).json();
    layer.chunks.set(chunk, body.features);
    redraw();
  } catch (error) {
    layer.requested.delete(chunk);
    showError(error);
  }
}

function drawScaleBar() {
  if (!info.mpp) { $('scalebar-text').textContent = 'no pixel size in the file'; return; }
  const umPerCssPixel = info.mpp / view.scale;
  const target = 150 * umPerCssPixel;
  const steps = [1, 2, 5];
  let length = 1;
  for (let p = 0.1; p <= 100000; p *= 10) {
    for (const s of steps) if (s * p <= target) length = s * p;
  }
  $('scalebar-line').style.width = `${Math.round(length / umPerCssPixel)}px`;
  $('scalebar-text').textContent = length >= 1000 ? `${length / 1000} mm` : `${+length.toFixed(1)} µm`;
}

// ---------------------------------------------------------------- side panel

function buildLayers() {
  const box = $('layers');
  box.textContent = '';
  for (const m of info.maps) layers.push({ kind: 'map', ...m, visible: true, hidden: new Set() });
  for (const f of info.features) {
    layers.push({ kind: f.kind, ...f, visible: f.kind !== 'polygons', hidden: new Set(), chunks: new Map(), requested: new Set() });
  }
  if (!layers.length) {
    box.innerHTML = '<p class="muted">No results for this item yet.</p>';
    return;
  }
  layers.forEach((layer, index) => {
    const set = document.createElement('fieldset');
    const legend = document.createElement('legend');
    const kindWords = { map: ' map', polygons: ' outlines', cells: ' (when zoomed in)' }[layer.kind] || '';
    const toggle = checkbox(`layer-${index}`, layer.title + kindWords, layer.visible, (on) => {
      layer.visible = on; redraw();
    });
    set.dataset.layer = layer.name;
    set.dataset.kind = layer.kind;
    legend.append(...toggle);
    set.append(legend);
    for (const c of layer.classes) {
      const row = document.createElement('div');
      row.className = 'class';
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = c.color;
      swatch.setAttribute('aria-hidden', 'true');
      const [input, label] = checkbox(`layer-${index}-class-${c.value}`, c.name, true, (on) => {
        if (on) layer.hidden.delete(c.value); else layer.hidden.add(c.value);
        if (layer.kind === 'map') { layer.bitmap = null; layer.loading = null; }
        redraw();
      });
      row.append(input, swatch, label);
      set.append(row);
    }
    box.append(set);
  });
}

function checkbox(id, text, checked, onChange) {
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.id = id;
  input.checked = checked;
  input.addEventListener('change', () => onChange(input.checked));
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = text;
  return [input, label];
}

function buildReadouts() {
  const box = $('readouts');
  if (!info.readouts.length) return;
  box.textContent = '';
  for (const r of info.readouts) {
    const table = document.createElement('table');
    const caption = document.createElement('caption');
    caption.className = 'muted';
    caption.textContent = r.title;
    table.append(caption);
    const head = table.createTHead().insertRow();
    for (const c of r.columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = c.replaceAll('_', ' ');
      head.append(th);
    }
    const body = table.createTBody();
    for (const row of r.rows) {
      const tr = body.insertRow();
      for (const cell of row) {
        const td = tr.insertCell();
        td.textContent = cell;
        if (cell !== '' && !Number.isNaN(Number(cell))) td.className = 'num';
      }
    }
    box.append(table);
  }
}

function buildFacts() {
  const facts = $('facts');
  const add = (k, v) => {
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v;
    facts.append(dt, dd);
  };
  add('size', `${info.width} × ${info.height} px`);
  add('pixel size', info.mpp ? `${info.mpp.toFixed(4)} µm` : 'unknown');
  add('levels', info.levels.length);
  add('format', `${info.format} (${info.backend})`);
  for (const [k, v] of Object.entries(info.source || {})) add(k.replaceAll('_', ' '), v);
  $('source').textContent = info.source && info.source.source ? info.source.source : '';
}

// ---------------------------------------------------------------- input

function installInput() {
  const pointers = new Map();
  let pinch = 0;
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, { x: e.offsetX, y: e.offsetY });
    canvas.style.cursor = 'grabbing';
  });
  canvas.addEventListener('pointermove', (e) => {
    const last = pointers.get(e.pointerId);
    if (!last) return;
    if (pointers.size === 1) {
      pan(e.offsetX - last.x, e.offsetY - last.y);
    } else if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      if (pinch) zoomAt(distance / pinch, (a.x + b.x) / 2, (a.y + b.y) / 2);
      pinch = distance;
    }
    pointers.set(e.pointerId, { x: e.offsetX, y: e.offsetY });
  });
  const up = (e) => { pointers.delete(e.pointerId); pinch = 0; canvas.style.cursor = 'grab'; };
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', up);
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    zoomAt(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.002)), e.offsetX, e.offsetY);
  }, { passive: false });
  canvas.addEventListener('keydown', (e) => {
    const rect = canvas.getBoundingClientRect();
    const step = 100;
    const keys = {
      ArrowLeft: () => pan(step, 0), ArrowRight: () => pan(-step, 0),
      ArrowUp: () => pan(0, step), ArrowDown: () => pan(0, -step),
      '+': () => zoomAt(1.5, rect.width / 2, rect.height / 2), '=': () => zoomAt(1.5, rect.width / 2, rect.height / 2),
      '-': () => zoomAt(1 / 1.5, rect.width / 2, rect.height / 2), '0': fit,
    };
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });
  const centre = () => { const r = canvas.getBoundingClientRect(); return [r.width / 2, r.height / 2]; };
  $('zoom-in').addEventListener('click', () => zoomAt(1.5, ...centre()));
  $('zoom-out').addEventListener('click', () => zoomAt(1 / 1.5, ...centre()));
  $('zoom-fit').addEventListener('click', fit);
  $('opacity').addEventListener('input', (e) => { opacity = e.target.value / 100; redraw(); });
  window.addEventListener('resize', resize);
}

// ---------------------------------------------------------------- start

async function start() {
  installInput();
  resize();
  if (!params.has('local') && (!params.get('run') || !params.get('item'))) {
    showError(new Error('Open the viewer from a run\'s item: /viewer/?run=<run id>&item=<item id>'));
    return;
  }
  try {
    info = await (await get('info')).json();
  } catch (error) {
    refuse(error);
    return;
  }
  document.title = `${info.title} · Tessera slide viewer`;
  $('title').textContent = info.title;
  buildLayers();
  buildReadouts();
  buildFacts();
  fit();
}

start();
