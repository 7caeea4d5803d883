// The sign-in page. After signing in the app goes to `next` (the view a 401 interrupted)
// or today's schedule.

import { h } from '../widget/dom.js';
import { field, notice } from './form.js';
import { formatRoute } from './routes.js';

export async function loginView(app, main, route) {
  const { t } = app;
  const email = h('input', { type: 'email', name: 'email', required: true, attrs: { autocomplete: 'username' } });
  const password = h('input', {
    type: 'password',
    name: 'password',
    required: true,
    attrs: { autocomplete: 'current-password' },
  });
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('signIn'));
  const status = h('div', { class: 'status-line' });
  const form = h(
    'form',
    { class: 'login card', noValidate: true },
    field(t('email'), email),
    field(t('password'), password),
    submit,
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    submit.textContent = t('signingIn');
    status.replaceChildren();
    try {
      const session = await app.api.login(email.value.trim(), password.value);
      await app.signedIn(session.user);
      location.replace(route.params.get('next') || formatRoute('day', { date: app.today() }));
    } catch (error) {
      const text =
        error.status === 401
          ? t('badLogin')
          : error.code === 'too_many_attempts'
            ? t('tooManyAttempts', { n: error.retryAfter || 60 })
            : app.errorText(error);
      status.append(notice('error', text));
      password.focus();
    } finally {
      if (submit.isConnected) {
        submit.disabled = false;
        submit.textContent = t('signIn');
      }
    }
  });
  main.append(h('h1', {}, t('loginTitle')), form);
  email.focus();
}
