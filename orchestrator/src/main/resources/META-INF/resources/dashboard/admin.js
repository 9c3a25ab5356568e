import {api, authHeaders} from './api.js';
import {field, h, notice, replace, table} from './dom.js';
import {limitWords, roleWords} from './words.js';

function month(offset) {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - offset, 1));
  return date.toISOString().slice(0, 7);
}

function numberOrNull(input) {
  return input.value.trim() === '' ? null : Number(input.value);
}

/** The organization's users: add, change role, per-user limits, remove. */
export async function usersView(main, context) {
  const org = context.me.organization.organization_id;
  const messages = h('div', {class: 'messages'});
  const body = h('div', {});
  replace(main, h('h1', {}, `Users of ${context.me.organization.name}`), messages, body);
  const act = async (label, action) => {
    try {
      await action();
      notice(messages, `${label}: saved.`);
      await render();
    } catch (error) {
      notice(messages, `${label}: ${error.message}`, 'error');
    }
  };
  const render = async () => {
    const usage = await api(`/api/admin/v1/organizations/${org}/usage`);
    const users = await api(`/api/admin/v1/organizations/${org}/users?page_size=100`);
    const usageOf = Object.fromEntries(usage.users.map(u => [u.user_id, u]));
    const rows = users.filter(u => !u.removed).map(user => {
      const role = h('select', {'aria-label': `Role of ${user.email}`, name: 'role'},
        ['MEMBER', 'ADMIN'].map(r => h('option', {value: r, selected: r === user.role}, roleWords(r))));
      const wsis = h('input', {type: 'number', min: 0, value: user.monthly_wsi_limit ?? '', placeholder: 'unlimited',
        'aria-label': `Monthly slides of ${user.email}`, name: 'monthly_wsi_limit', class: 'narrow'});
      const parallel = h('input', {type: 'number', min: 1, value: user.max_parallel_runs ?? '',
        placeholder: 'unlimited', 'aria-label': `Runs at once of ${user.email}`, name: 'max_parallel_runs',
        class: 'narrow'});
      const used = usageOf[user.user_id]?.usage?.wsis ?? 0;
      return h('tr', {dataset: {userId: user.user_id}},
        h('th', {scope: 'row'}, user.name || user.user_id, h('br'), h('span', {class: 'hint'}, user.email)),
        h('td', {}, role),
        h('td', {}, String(used)),
        h('td', {}, wsis),
        h('td', {}, parallel),
        h('td', {}, h('div', {class: 'actions'},
          h('button', {type: 'button', class: 'save-user', onclick: () => act(`Save ${user.email}`, async () => {
            if (role.value !== user.role) {
              await api(`/api/admin/v1/organizations/${org}/users/${user.user_id}`, {method: 'PATCH',
                body: {role: role.value}});
            }
            await api(`/api/admin/v1/organizations/${org}/users/${user.user_id}/limits`, {method: 'PUT',
              body: {monthly_wsi_limit: numberOrNull(wsis), max_parallel_runs: numberOrNull(parallel)}});
          })}, 'Save'),
          h('button', {type: 'button', class: 'danger', onclick: () => {
            if (confirm(`Remove ${user.email}? Their runs and results stay.`)) {
              act(`Remove ${user.email}`, () => api(`/api/admin/v1/organizations/${org}/users/${user.user_id}`,
                {method: 'DELETE'}));
            }
          }}, 'Remove'))));
    });
    const email = h('input', {type: 'email', name: 'email', required: true, autocomplete: 'off'});
    const name = h('input', {type: 'text', name: 'name', required: true, autocomplete: 'off'});
    const role = h('select', {name: 'role'}, h('option', {value: 'MEMBER'}, 'Member'),
      h('option', {value: 'ADMIN'}, 'Administrator'));
    replace(body,
      table(`Users (this month: ${usage.month}; empty limits are unlimited)`,
        ['User', 'Role', 'Slides this month', 'Monthly slides', 'Runs at once', ''], rows, {id: 'users-table'}),
      h('section', {class: 'card', 'aria-labelledby': 'add-user-title'},
        h('h2', {id: 'add-user-title'}, 'Add a user'),
        h('form', {id: 'add-user', onsubmit: event => {
          event.preventDefault();
          act('Add user', () => api(`/api/admin/v1/organizations/${org}/users`, {method: 'POST',
            body: {email: email.value.trim(), name: name.value.trim(), role: role.value}}));
        }},
        field(`Email (on ${context.me.organization.domains.join(', ')})`, email), field('Name', name),
        field('Role', role), h('button', {type: 'submit'}, 'Add user'))));
  };
  await render();
}

/** The organization's quota, usage and cost per month: a chart, a table and the CSV. */
export async function costView(main, context, organizationId) {
  const org = organizationId || context.me.organization.organization_id;
  replace(main, h('h1', {}, `Usage and cost of ${org}`), h('p', {role: 'status'}, 'Loading…'));
  const months = [5, 4, 3, 2, 1, 0].map(month);
  const reports = await Promise.all(months.map(async m => ({
    month: m,
    usage: await api(`/api/admin/v1/organizations/${org}/usage?month=${m}`),
    cost: await api(`/api/admin/v1/organizations/${org}/cost?month=${m}`),
  })));
  const current = reports[reports.length - 1];
  const limits = current.usage.limits;
  const currency = current.cost.currency;
  const csv = h('button', {type: 'button', id: 'export-csv', onclick: async () => {
    const response = await fetch(`/api/admin/v1/organizations/${org}/cost?month=${current.month}&format=csv`,
      {headers: {...authHeaders(), Accept: 'text/csv'}});
    const blob = await response.blob();
    const anchor = h('a', {href: URL.createObjectURL(blob), download: `cost-${org}-${current.month}.csv`});
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
  }}, `Export ${current.month} as CSV`);
  replace(main,
    h('h1', {}, `Usage and cost of ${org}`),
    h('dl', {class: 'facts', id: 'org-quota'},
      h('dt', {}, 'Monthly slides'), h('dd', {}, `${current.usage.usage.wsis} used of ${limitWords(limits.monthly_wsi_limit)}`),
      h('dt', {}, 'Slides per run'), h('dd', {}, limitWords(limits.max_wsis_per_run)),
      h('dt', {}, 'Runs at once'), h('dd', {}, `${current.usage.usage.runs_in_progress} of ${limitWords(limits.max_parallel_runs)}`
        + ` (${current.usage.usage.runs_waiting} waiting)`),
      h('dt', {}, 'Users'), h('dd', {}, `${current.usage.usage.users} of ${limitWords(limits.max_users)}`)),
    chart(reports, currency),
    table(`Per month (${currency})`, ['Month', 'Slides counted', 'Slides charged', 'Cost'],
      reports.map(r => h('tr', {}, h('th', {scope: 'row'}, r.month), h('td', {}, String(r.usage.usage.wsis)),
        h('td', {}, String(r.cost.charged_wsis)), h('td', {}, `${r.cost.amount} ${currency}`))), {id: 'cost-table'}),
    h('p', {}, csv));
}

function chart(reports, currency) {
  const width = 560;
  const height = 200;
  const pad = 30;
  const max = Math.max(1, ...reports.map(r => r.usage.usage.wsis));
  const maxCost = Math.max(1e-9, ...reports.map(r => Number(r.cost.amount)));
  const slot = (width - 2 * pad) / reports.length;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height + 40}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Slides per month (bars) and cost in ${currency} (dots); the table below has the figures`);
  svg.classList.add('chart');
  const add = (tag, attrs, text) => {
    const el = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (text !== undefined) el.textContent = text;
    svg.append(el);
  };
  add('line', {x1: pad, y1: height, x2: width - pad, y2: height, class: 'axis'});
  reports.forEach((r, i) => {
    const barHeight = ((height - pad) * r.usage.usage.wsis) / max;
    const x = pad + i * slot + slot * 0.2;
    add('rect', {x, y: height - barHeight, width: slot * 0.6, height: barHeight, class: 'bar'});
    add('text', {x: x + slot * 0.3, y: height - barHeight - 4, 'text-anchor': 'middle', class: 'value'},
      String(r.usage.usage.wsis));
    add('circle', {cx: x + slot * 0.3, cy: height - ((height - pad) * Number(r.cost.amount)) / maxCost, r: 4,
      class: 'dot'});
    add('text', {x: x + slot * 0.3, y: height + 18, 'text-anchor': 'middle', class: 'label'}, r.month);
  });
  return h('figure', {}, svg, h('figcaption', {}, `Bars: slides counted per month; dots: cost in ${currency}.`));
}
