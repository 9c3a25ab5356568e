import {api, whenSignedOut} from './api.js';
import {completeSignIn, currentSession, signIn, signOut} from './auth.js';
import {h, replace} from './dom.js';
import {loadErrorSentences, roleWords} from './words.js';
import {runsView, runView} from './runs.js';
import {applicationsView, usageView} from './account.js';
import {costView, usersView} from './admin.js';
import {organizationsView} from './operator.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
let config;
let context;
let stopCurrent = () => {};

function showSignIn(message) {
  nav.hidden = true;
  replace(who);
  replace(main,
    h('h1', {}, 'Tessera'),
    h('p', {}, 'Computational pathology runs, results and your organization\'s quotas.'),
    message ? h('p', {class: 'notice error', role: 'alert'}, message) : null,
    config.authorization_endpoint
      ? h('button', {type: 'button', id: 'sign-in', class: 'primary', onclick: () => signIn(config)}, 'Sign in')
      : h('p', {class: 'notice error', role: 'alert'},
        'Sign-in is not configured: set tessera.dashboard.oidc.authorization-endpoint and token-endpoint.'));
}

function renderNavigation() {
  const links = [['#/runs', 'Runs'], ['#/applications', 'Applications'], ['#/usage', 'My quota']];
  if (context.isAdmin) links.push(['#/admin/users', 'Users'], ['#/admin/cost', 'Usage and cost']);
  if (context.isSuperAdmin) links.push(['#/operator/organizations', 'Organizations']);
  replace(nav, h('ul', {}, links.map(([href, label]) => h('li', {}, h('a', {href}, label)))));
  nav.hidden = false;
  replace(who,
    h('span', {id: 'signed-in-as'}, `${context.me.user.name || context.me.user.user_id} · `
      + `${roleWords(context.me.user.role)} · ${context.me.organization.name}`),
    h('button', {type: 'button', class: 'link', id: 'sign-out', onclick: () => {
      stopCurrent();
      signOut();
      showSignIn();
    }}, 'Sign out'));
}

function markCurrent(hash) {
  for (const link of nav.querySelectorAll('a')) {
    const current = hash.startsWith(link.getAttribute('href'));
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function route() {
  stopCurrent();
  stopCurrent = () => {};
  if (!currentSession()) {
    showSignIn();
    return;
  }
  const hash = location.hash || '#/runs';
  const [path, query] = hash.slice(1).split('?');
  const params = new URLSearchParams(query || '');
  markCurrent(hash);
  try {
    let match;
    if (path === '/runs' || path === '/' || path === '') {
      stopCurrent = runsView(main, context, params.get('scope') || 'mine');
    } else if ((match = path.match(/^\/runs\/([0-9a-f-]{36})$/))) {
      stopCurrent = runView(main, context, match[1], params.get('share_token'));
    } else if (path === '/applications') {
      await applicationsView(main);
    } else if (path === '/usage') {
      await usageView(main);
    } else if (path === '/admin/users' && context.isAdmin) {
      await usersView(main, context);
    } else if (path === '/admin/cost' && context.isAdmin) {
      await costView(main, context, params.get('organization'));
    } else if (path === '/operator/organizations' && context.isSuperAdmin) {
      await organizationsView(main);
    } else {
      replace(main, h('h1', {}, 'Not found'), h('p', {}, h('a', {href: '#/runs'}, 'Go to your runs')));
    }
    document.title = `${main.querySelector('h1')?.textContent || 'Dashboard'} · Tessera`;
  } catch (error) {
    replace(main, h('h1', {}, 'Something went wrong'), h('p', {class: 'notice error', role: 'alert'}, error.message));
  }
}

async function start() {
  config = await (await fetch('/dashboard/config')).json();
  await loadErrorSentences();
  whenSignedOut(() => showSignIn('Your session has ended. Please sign in again.'));
  try {
    await completeSignIn(config);
  } catch (error) {
    showSignIn(error.message);
    return;
  }
  if (!currentSession()) {
    showSignIn();
    return;
  }
  try {
    const me = await api('/api/admin/v1/me');
    context = {
      me,
      isAdmin: me.user.role === 'ADMIN' || me.user.role === 'SUPER_ADMIN',
      isSuperAdmin: me.user.role === 'SUPER_ADMIN',
    };
  } catch (error) {
    signOut();
    showSignIn(`You are not registered on this platform: ${error.message}`);
    return;
  }
  renderNavigation();
  window.addEventListener('hashchange', route);
  await route();
}

start();
