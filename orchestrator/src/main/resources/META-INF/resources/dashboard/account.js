import {api} from './api.js';
import {formatDate, h, notice, replace, saveLink, table} from './dom.js';
import {limitWords} from './words.js';

export async function applicationsView(main) {
  replace(main, h('h1', {}, 'Applications'), h('p', {role: 'status'}, 'Loading…'));
  const applications = await api('/api/v1/applications');
  const messages = h('div', {class: 'messages'});
  const sections = [];
  for (const summary of applications) {
    const application = await api(`/api/v1/applications/${summary.application_id}`);
    const versions = application.versions || [];
    const rows = [];
    for (const version of versions) {
      const number = version.number;
      let documents = [];
      try {
        documents = await api(`/api/v1/applications/${application.application_id}/versions/${number}/documents`);
      } catch {
        documents = [];
      }
      rows.push(h('tr', {dataset: {version: number}},
        h('th', {scope: 'row'}, number),
        h('td', {}, documents.length
          ? h('ul', {class: 'plain'}, documents.map(d => h('li', {},
            h('button', {type: 'button', class: 'link', dataset: {document: `${application.application_id}/${number}/${d.name}`},
              'aria-label': `Download ${documentWords(d.name)} of ${application.name || application.application_id} ${number}`,
              onclick: () => downloadDocument(messages, application.application_id, number, d.name)},
            documentWords(d.name)),
            ` (updated ${formatDate(d.updated_at)})`)))
          : 'No documents')));
    }
    sections.push(h('section', {class: 'card', 'aria-labelledby': `app-${application.application_id}`},
      h('h2', {id: `app-${application.application_id}`}, application.name || application.application_id),
      h('p', {}, application.description || ''),
      h('p', {class: 'hint'}, 'Id: ', h('code', {}, application.application_id)),
      table(`Versions of ${application.application_id} your organization has`, ['Version', 'Documents'], rows)));
  }
  replace(main, h('h1', {}, 'Applications'),
    h('p', {}, 'The applications and versions your organization may run, with their user guides and release notes.'),
    messages,
    sections.length ? sections : h('p', {}, 'Your organization has no applications.'));
}

function documentWords(name) {
  return {'user-guide': 'User guide', 'release-notes': 'Release notes'}[name] || name.replace(/[-_]/g, ' ');
}

async function downloadDocument(messages, applicationId, version, name) {
  try {
    saveLink(await api(`/api/dashboard/v1/applications/${encodeURIComponent(applicationId)}/versions/`
      + `${encodeURIComponent(version)}/documents/${encodeURIComponent(name)}/link`));
  } catch (error) {
    notice(messages, `Download of ${documentWords(name)}: ${error.message}`, 'error');
  }
}

export async function usageView(main) {
  replace(main, h('h1', {}, 'My quota and usage'), h('p', {role: 'status'}, 'Loading…'));
  const usage = await api('/api/admin/v1/me/usage');
  replace(main, h('h1', {}, 'My quota and usage'),
    h('dl', {class: 'facts', id: 'my-usage'},
      h('dt', {}, 'Month'), h('dd', {}, usage.month),
      h('dt', {}, 'Slides used this month'), h('dd', {}, String(usage.usage.wsis)),
      h('dt', {}, 'Slides I may still submit this month'), h('dd', {}, limitWords(usage.usage.remaining_wsis)),
      h('dt', {}, 'My monthly slide limit'), h('dd', {}, limitWords(usage.limits.monthly_wsi_limit)),
      h('dt', {}, 'My runs at once'), h('dd', {}, limitWords(usage.limits.max_parallel_runs)),
      h('dt', {}, 'Runs in progress now'), h('dd', {}, String(usage.usage.runs_in_progress)),
      h('dt', {}, 'Runs waiting for a free place'), h('dd', {}, String(usage.usage.runs_waiting))),
    h('p', {class: 'hint'}, 'Your organization\'s limits apply too; the lower one counts.'));
}
