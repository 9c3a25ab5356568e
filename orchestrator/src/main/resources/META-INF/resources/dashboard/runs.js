import {api, ApiError} from './api.js';
import {field, formatDate, h, notice, progressBar, replace, saveLink, table} from './dom.js';
import {subscribe} from './events.js';
import {errorSentence, itemStateWords, outputWords, runStateWords, stateClass} from './words.js';

function runProgress(run) {
  const s = run.statistics || {};
  const done = (s.item_succeeded_count || 0) + (s.item_user_error_count || 0) + (s.item_system_error_count || 0)
    + (s.item_skipped_count || 0);
  return progressBar(`Slides finished of run ${run.run_id}`, done, s.item_count || 0);
}

function tiles(item) {
  if (item.termination_reason === 'SUCCEEDED') return 'all';
  const progress = item.progress;
  if (progress && progress.tiles_total > 0) {
    return progressBar(`Tiles analysed of ${item.external_id}`, progress.tiles_done, progress.tiles_total);
  }
  if (item.state === 'PROCESSING') return progress?.stage ? `${progress.stage.toLowerCase().replace(/_/g, ' ')}…` : 'starting…';
  return '–';
}

function stateBadge(words, state, reason) {
  return h('span', {class: `badge ${stateClass(state, reason)}`}, words);
}

/** The runs list, kept current by the event stream. */
export function runsView(main, context, scope) {
  const scopes = [['mine', 'My runs'], ['readable', 'Shared with me and my organization']];
  if (context.isAdmin) scopes.push(['organization', 'All runs of my organization']);
  const body = h('div', {id: 'runs-body'}, h('p', {role: 'status'}, 'Loading runs…'));
  const live = h('span', {class: 'live', id: 'live-state'}, 'connecting…');
  replace(main,
    h('h1', {}, 'Runs'),
    h('nav', {class: 'tabs', 'aria-label': 'Which runs'},
      scopes.map(([key, label]) => h('a', {href: `#/runs?scope=${key}`, 'aria-current': key === scope ? 'page' : null},
        label))),
    h('p', {class: 'hint'}, 'States and progress update by themselves while slides are analysed. ', live),
    body);
  return subscribe(`/api/dashboard/v1/events?runs=${encodeURIComponent(scope)}`, {
    connected: () => { live.textContent = 'live'; live.classList.add('on'); },
    failed: status => { live.textContent = `not live (${status})`; },
    runs: runs => replace(body, table('Runs, newest first',
      ['Run', 'Application', 'Submitted', 'By', 'State', 'Slides finished'],
      runs.map(run => h('tr', {dataset: {runId: run.run_id}},
        h('td', {}, h('a', {href: `#/runs/${run.run_id}`}, run.run_id.slice(0, 8))),
        h('td', {}, `${run.application_id} ${run.version_number}`),
        h('td', {}, formatDate(run.submitted_at)),
        h('td', {}, run.submitted_by),
        h('td', {}, stateBadge(runStateWords(run), run.state, run.termination_reason)),
        h('td', {}, runProgress(run)))),
      {id: 'runs-table', empty: 'No runs yet. Submit one with the API or the command-line client.'})),
  });
}

/** One run: its items with tile progress, errors in words, downloads, and the owner's actions. */
export function runView(main, context, runId, shareToken) {
  const header = h('div', {id: 'run-header'}, h('p', {role: 'status'}, 'Loading run…'));
  const items = h('div', {id: 'run-items'});
  const messages = h('div', {class: 'messages'});
  const sharing = h('section', {id: 'sharing', 'aria-labelledby': 'sharing-title'});
  const tokenQuery = shareToken ? `&share_token=${encodeURIComponent(shareToken)}` : '';
  let current = null;
  replace(main, h('p', {}, h('a', {href: '#/runs'}, '← All runs')), h('h1', {}, 'Run ', h('code', {}, runId)),
    messages, header, items, sharing);

  const act = async (label, action) => {
    try {
      await action();
      notice(messages, `${label}: done.`);
    } catch (error) {
      notice(messages, `${label}: ${error.message}`, 'error');
    }
  };

  const renderHeader = run => {
    current = run;
    const owner = run.submitted_by === context.me.user.user_id;
    const s = run.statistics || {};
    replace(header,
      h('dl', {class: 'facts'},
        h('dt', {}, 'State'), h('dd', {id: 'run-state'}, stateBadge(runStateWords(run), run.state,
          run.termination_reason)),
        h('dt', {}, 'Application'), h('dd', {}, `${run.application_id} ${run.version_number}`),
        h('dt', {}, 'Submitted'), h('dd', {}, `${formatDate(run.submitted_at)} by ${run.submitted_by}`),
        h('dt', {}, 'Slides'), h('dd', {}, runProgress(run),
          ` ${s.item_succeeded_count || 0} done, ${(s.item_user_error_count || 0) + (s.item_system_error_count || 0)}`
          + ` failed, ${s.item_skipped_count || 0} not analysed`),
        run.error_code ? [h('dt', {}, 'Why it ended'), h('dd', {}, errorSentence(run.error_code), ' ',
          h('code', {}, run.error_code))] : null),
      owner ? h('div', {class: 'actions'},
        run.state !== 'TERMINATED'
          ? h('button', {type: 'button', id: 'cancel-run', onclick: () => {
            if (confirm('Cancel this run? Slides not yet analysed will not be analysed.')) {
              act('Cancel', () => api(`/api/v1/runs/${runId}/cancel`, {method: 'POST'}));
            }
          }}, 'Cancel run') : null,
        run.state === 'TERMINATED' && run.output !== 'NONE'
          ? h('button', {type: 'button', class: 'danger', id: 'delete-outputs', onclick: () => {
            if (confirm('Delete all results of this run? This cannot be undone.')) {
              act('Delete results', () => api(`/api/v1/runs/${runId}/artifacts`, {method: 'DELETE'}));
            }
          }}, 'Delete results') : null) : null);
    if ((owner || context.isAdmin) && !sharing.dataset.ready) {
      sharing.dataset.ready = 'yes';
      renderSharing(sharing, runId, act);
    }
  };

  const download = async (artifact) => {
    try {
      const link = await api(`/api/dashboard/v1/runs/${runId}/artifacts/${artifact.output_artifact_id}/link`
        + (shareToken ? `?share_token=${encodeURIComponent(shareToken)}` : ''));
      saveLink(link);
    } catch (error) {
      notice(messages, `Download: ${error.message}`, 'error');
    }
  };

  const renderItems = list => replace(items, table('Slides of this run',
    ['Slide', 'State', 'Tiles analysed', 'Problem', 'Results', 'View'],
    list.map(item => h('tr', {dataset: {externalId: item.external_id}},
      h('th', {scope: 'row'}, item.external_id),
      h('td', {}, stateBadge(itemStateWords(item), item.state, item.termination_reason)),
      h('td', {}, tiles(item)),
      h('td', {}, item.error_code
        ? [h('span', {class: 'sentence'}, errorSentence(item.error_code)), ' ', h('code', {}, item.error_code)]
        : ''),
      h('td', {}, h('ul', {class: 'plain'},
        (item.output_artifacts || []).filter(a => a.output === 'AVAILABLE').map(artifact => h('li', {},
          h('button', {type: 'button', class: 'link', onclick: () => download(artifact)},
            outputWords(artifact.name)))))),
      h('td', {}, item.termination_reason === 'SUCCEEDED' || item.state === 'PROCESSING'
        ? h('a', {href: `/viewer/?run=${runId}&item=${item.item_id}`}, 'Open in viewer') : ''))),
    {id: 'items-table'}));

  return subscribe(`/api/dashboard/v1/events?runs=none&run_id=${runId}${tokenQuery}`, {
    run: renderHeader,
    items: renderItems,
    gone: () => notice(messages, 'This run is no longer available to you.', 'error'),
    failed: status => replace(header, h('p', {role: 'alert', class: 'notice error'},
      status === 404 ? 'No such run, or it was not shared with you.' : `The run could not be loaded (${status}).`)),
  });
}

async function renderSharing(section, runId, act) {
  const list = h('div', {id: 'grants'});
  const email = h('input', {type: 'email', name: 'email', autocomplete: 'off', required: true});
  const tokenOut = h('div', {id: 'share-token-out'});
  const refresh = async () => {
    const grants = (await api(`/api/v1/access/grants?resource_type=run&resource_id=${runId}&page_size=100`))
      .filter(g => g.resource_id === runId && !g.revoked);
    replace(list, table('Who else can see this run', ['Shared with', 'Since', ''],
      grants.map(g => h('tr', {},
        h('td', {}, g.subject_type === 'share_token' ? 'Anyone with the share link'
          : g.subject_type === 'user' ? g.subject_id : `Everyone in ${g.subject_id}`),
        h('td', {}, formatDate(g.created_at)),
        h('td', {}, h('button', {type: 'button', onclick: () => act('Stop sharing',
          async () => { await api(`/api/v1/access/grants/${g.grant_id}`, {method: 'DELETE'}); await refresh(); })},
        'Stop sharing')))),
      {empty: 'Only you and your organization\'s administrators.'}));
  };
  replace(section,
    h('h2', {id: 'sharing-title'}, 'Share'),
    h('form', {id: 'share-form', onsubmit: event => {
      event.preventDefault();
      act('Share', async () => {
        await api('/api/v1/access/grants', {method: 'POST', body: {resource_type: 'run', resource_id: runId,
          subject_type: 'user', subject_email: email.value.trim(), relation: 'viewer'}});
        email.value = '';
        await refresh();
      });
    }}, field('Colleague\'s email (same organization)', email), h('button', {type: 'submit'}, 'Share with colleague')),
    h('p', {}, h('button', {type: 'button', id: 'make-share-link', onclick: () => act('Share link', async () => {
      const token = await api('/api/v1/access/share-tokens', {method: 'POST', body: {}});
      await api('/api/v1/access/grants', {method: 'POST', body: {resource_type: 'run', resource_id: runId,
        subject_type: 'share_token', subject_id: token.share_token_id, relation: 'viewer'}});
      const link = `${location.origin}/dashboard/#/runs/${runId}?share_token=${token.share_token}`;
      replace(tokenOut, h('p', {}, 'Share link (shown once; colleagues still sign in): '),
        h('input', {type: 'text', readonly: true, value: link, 'aria-label': 'Share link', size: 60}));
      await refresh();
    })}, 'Create a share link')),
    tokenOut, list);
  try {
    await refresh();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    replace(list, h('p', {class: 'notice error'}, error.message));
  }
}
