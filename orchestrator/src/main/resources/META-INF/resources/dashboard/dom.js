// A small element builder: h('a', {href: '#/runs', class: 'x'}, 'text', child, ...). No innerHTML anywhere, so text
// from the API is never interpreted as markup.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

export function table(caption, headers, rows, options = {}) {
  return h('div', {class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: 0},
    h('table', {id: options.id},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map(header => h('th', {scope: 'col'}, header)))),
      h('tbody', {}, rows.length
        ? rows
        : h('tr', {}, h('td', {colspan: headers.length, class: 'empty'}, options.empty || 'Nothing yet.')))));
}

export function progressBar(label, done, total) {
  const percent = total > 0 ? Math.round((100 * done) / total) : 0;
  return h('div', {class: 'progress'},
    h('progress', {max: total > 0 ? total : 1, value: total > 0 ? done : 0, 'aria-label': label}),
    h('span', {class: 'progress-text'}, total > 0 ? `${done} / ${total} (${percent} %)` : '–'));
}

export function field(label, input) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h('div', {class: 'field'}, h('label', {for: id}, label), input);
}

export function formatDate(value) {
  if (!value) return '–';
  const date = new Date(value);
  return date.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'});
}

export function notice(container, message, kind = 'info') {
  const box = h('p', {class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status'}, message);
  container.prepend(box);
  return box;
}

/** Lets the browser save a signed link ({url, file_name}, from one of the dashboard's /link endpoints). */
export function saveLink(link) {
  const anchor = h('a', {href: link.url, download: link.file_name, hidden: true});
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}
