/** Sign in with email and password; the server answers with an HttpOnly session cookie. */
import { useState, type FormEvent } from 'react';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { useSignInMutation } from './session-api.ts';

export function SignInPage({ expired }: { expired: boolean }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [signIn, state] = useSignInMutation();
  const problem = toProblem(state.error);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    await signIn({ email: email.trim(), password });
  };
  return (
    <main className="sign-in">
      <form className="card" onSubmit={onSubmit} aria-labelledby="sign-in-title">
        <div className="brand">Tally</div>
        <h1 id="sign-in-title" style={{ fontSize: '1.1rem' }}>
          Sign in
        </h1>
        {expired && !problem && (
          <div className="alert info" role="status">
            Your session has ended. Sign in again to continue where you were.
          </div>
        )}
        {problem && (
          <div className="alert error" role="alert">
            {problem.status === 401 ? 'The email or password is not correct.' : problem.detail}
          </div>
        )}
        <Field label="Email">
          <input type="email" autoComplete="username" value={email} onChange={(event) => setEmail(event.target.value)} required autoFocus />
        </Field>
        <Field label="Password">
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
          />
        </Field>
        <Button type="submit" variant="primary" busy={state.isLoading}>
          Sign in
        </Button>
        <p className="small muted" style={{ margin: 0 }}>
          API clients use keys instead: see <a href="/docs">the API docs</a>.
        </p>
      </form>
    </main>
  );
}
