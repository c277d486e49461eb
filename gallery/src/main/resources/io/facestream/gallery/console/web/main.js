// The console's shell: sign-in, the page switcher (#live, #gallery, #unknowns, #models, #health) and the role's controls.
import { json, setToken, token, whenUnauthorised } from './api.js';
import * as gallery from './gallery.js';
import * as health from './health.js';
import * as live from './live.js';
import * as models from './models.js';
import * as unknowns from './unknowns.js';

const PAGES = ['live', 'gallery', 'unknowns', 'models', 'health'];
let me = null;

function show(id) {
  for (const section of document.querySelectorAll('.page')) {
    section.hidden = section.id !== 'page-' + id;
  }
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('current', a.dataset.page === id);
  }
}

function route() {
  if (!me) {
    live.stop();
    health.stop();
    show('signin');
    return;
  }
  const page = PAGES.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'live';
  show(page);
  if (page === 'live') {
    live.start();
  } else {
    live.stop();
  }
  if (page === 'health') {
    health.start();
  } else {
    health.stop();
  }
  if (page === 'gallery') {
    gallery.init(me.role === 'admin');
    gallery.refresh();
  }
  if (page === 'unknowns') {
    unknowns.init(me.role === 'admin');
    unknowns.refresh();
  }
  if (page === 'models') {
    models.refresh();
  }
}

async function signIn(value) {
  setToken(value);
  try {
    me = await json('/whoami');
  } catch (e) {
    me = null;
    setToken(null);
    document.getElementById('signin-error').textContent = e.message;
    return;
  }
  document.getElementById('signin-error').textContent = '';
  document.getElementById('nav').hidden = false;
  document.getElementById('who').hidden = false;
  document.getElementById('who-name').textContent = `${me.name} (${me.role})`;
  document.body.classList.toggle('read-only', me.role !== 'admin');
  route();
}

function signOut() {
  me = null;
  setToken(null);
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  route();
}

whenUnauthorised(() => {
  if (me) {
    signOut();
    document.getElementById('signin-error').textContent = 'The token is no longer accepted; sign in again.';
  }
});

document.getElementById('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = document.getElementById('token');
  signIn(input.value.trim());
  input.value = '';
});
document.getElementById('sign-out').addEventListener('click', signOut);
window.addEventListener('hashchange', route);

if (token()) {
  signIn(token());
} else {
  route();
}
