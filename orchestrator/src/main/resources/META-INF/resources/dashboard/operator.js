import {api} from './api.js';
import {field, h, notice, replace, table} from './dom.js';
import {limitWords} from './words.js';

function numberOrNull(input) {
  return input.value.trim() === '' ? null : Number(input.value);
}

/** Super-admins: organizations, their domains, quotas, assigned application versions and prices. */
export async function organizationsView(main) {
  const messages = h('div', {class: 'messages'});
  const body = h('div', {});
  replace(main, h('h1', {}, 'Organizations'), messages, body);
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
    const organizations = await api('/api/admin/v1/organizations?page_size=100');
    const catalogue = await api('/api/v1/applications');
    const sections = [];
    for (const org of organizations) {
      const id = org.organization_id;
      const domains = h('input', {type: 'text', value: org.domains.join(', '), name: 'domains'});
      const inputs = Object.fromEntries(['monthly_wsi_limit', 'max_wsis_per_run', 'max_parallel_runs', 'max_users']
        .map(name => [name, h('input', {type: 'number', min: 0, value: org[name] ?? '', placeholder: 'unlimited',
          name, class: 'narrow'})]));
      const assigned = await api(`/api/admin/v1/organizations/${id}/applications`);
      const rows = [];
      for (const a of assigned) {
        let price = '–';
        try {
          price = (await api(`/api/admin/v1/applications/${a.application_id}/versions/${a.version_number}/price`))
            .price_per_wsi ?? '–';
        } catch {
          price = '–';
        }
        rows.push(h('tr', {},
          h('th', {scope: 'row'}, `${a.application_id} ${a.version_number}`),
          h('td', {}, a.free ? 'free' : String(price)),
          h('td', {}, a.free ? 'always' : h('button', {type: 'button', onclick: () => act(`Unassign ${a.application_id}`,
            () => api(`/api/admin/v1/organizations/${id}/applications/${a.application_id}/versions/${a.version_number}`,
              {method: 'DELETE'}))}, 'Unassign'))));
      }
      const application = h('input', {type: 'text', name: 'application', placeholder: 'he-tme',
        list: 'known-applications'});
      const version = h('input', {type: 'text', name: 'version', placeholder: '1.0.0', class: 'narrow'});
      sections.push(h('section', {class: 'card', dataset: {organizationId: id}, 'aria-labelledby': `org-${id}`},
        h('h2', {id: `org-${id}`}, `${org.name} `, h('code', {}, id)),
        h('form', {class: 'org-form', onsubmit: event => {
          event.preventDefault();
          act(`Organization ${id}`, async () => {
            await api(`/api/admin/v1/organizations/${id}`, {method: 'PATCH',
              body: {domains: domains.value.split(',').map(d => d.trim()).filter(Boolean)}});
            await api(`/api/admin/v1/organizations/${id}/limits`, {method: 'PUT', body: Object.fromEntries(
              Object.entries(inputs).map(([name, input]) => [name, numberOrNull(input)]))});
          });
        }},
        field('Email domains (comma-separated)', domains),
        h('div', {class: 'row'},
          field('Monthly slides', inputs.monthly_wsi_limit), field('Slides per run', inputs.max_wsis_per_run),
          field('Runs at once', inputs.max_parallel_runs), field('Users', inputs.max_users)),
        h('button', {type: 'submit'}, 'Save organization')),
        table(`Application versions of ${id} (price per slide)`, ['Version', 'Price', ''], rows),
        h('form', {class: 'row', onsubmit: event => {
          event.preventDefault();
          act('Assign', () => api(`/api/admin/v1/organizations/${id}/applications/${application.value.trim()}`
            + `/versions/${version.value.trim()}`, {method: 'PUT'}));
        }}, field('Application', application), field('Version', version), h('button', {type: 'submit'}, 'Assign')),
        h('p', {class: 'hint'}, `Limits now: ${limitWords(org.monthly_wsi_limit)} slides a month, `
          + `${limitWords(org.max_parallel_runs)} runs at once.`, ' ',
        h('a', {href: `#/admin/cost?organization=${id}`}, 'Usage and cost'))));
    }
    const priceApp = h('input', {type: 'text', name: 'application', list: 'known-applications'});
    const priceVersion = h('input', {type: 'text', name: 'version', class: 'narrow'});
    const priceValue = h('input', {type: 'text', name: 'price', inputmode: 'decimal', class: 'narrow',
      placeholder: '4.00'});
    replace(body,
      h('datalist', {id: 'known-applications'}, catalogue.map(a => h('option', {value: a.application_id}))),
      sections,
      h('section', {class: 'card', 'aria-labelledby': 'price-title'},
        h('h2', {id: 'price-title'}, 'Set a price per slide'),
        h('form', {class: 'row', onsubmit: event => {
          event.preventDefault();
          act('Price', () => api(`/api/admin/v1/applications/${priceApp.value.trim()}/versions/`
            + `${priceVersion.value.trim()}/price`, {method: 'PUT', body: {price_per_wsi: priceValue.value.trim()}}));
        }}, field('Application', priceApp), field('Version', priceVersion), field('Price per slide', priceValue),
        h('button', {type: 'submit'}, 'Set price'))));
  };
  await render();
}
