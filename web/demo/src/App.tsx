import { useEffect, type ComponentType, type ReactNode } from 'react';
import { useIsAdmin } from './admin';
import { Page } from './components/Page';
import { ReauthDialog } from './components/ReauthDialog';
import { Admin } from './pages/Admin';
import { Dashboard } from './pages/Dashboard';
import { ForgotPassword } from './pages/ForgotPassword';
import { Login } from './pages/Login';
import { Profile } from './pages/Profile';
import { ResetPassword } from './pages/ResetPassword';
import { Security } from './pages/Security';
import { Sessions } from './pages/Sessions';
import { Signup } from './pages/Signup';
import { Verify } from './pages/Verify';
import { client, restoreSession, useAuthStatus, useUser } from './rotor';
import { Link, navigate, safeNext, useLocation } from './router';

/** Pages for signed-out visitors; a signed-in user is sent on to the dashboard from these. */
const GUEST_ONLY: Record<string, ComponentType> = {
  '/login': Login,
  '/signup': Signup,
};

/** Pages anyone may see. */
const OPEN: Record<string, ComponentType> = {
  '/verify': Verify,
  '/forgot-password': ForgotPassword,
  '/reset-password': ResetPassword,
};

const PRIVATE: Record<string, ComponentType> = {
  '/dashboard': Dashboard,
  '/sessions': Sessions,
  '/profile': Profile,
  '/security': Security,
  '/admin': Admin,
};

const NAV: [string, string][] = [
  ['/dashboard', 'Dashboard'],
  ['/sessions', 'Sessions'],
  ['/profile', 'Profile'],
  ['/security', 'Security log'],
];

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const status = useAuthStatus();
  const user = useUser();
  const isAdmin = useIsAdmin();
  const { pathname, search } = useLocation();

  useEffect(() => {
    void restoreSession();
  }, []);

  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  let content: ReactNode;
  if (status === 'loading') {
    content = (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  } else if (status === 'unavailable') {
    content = (
      <Page title="Server unavailable" intro="The sign-in server did not answer. If you were signed in, you still are.">
        <button type="button" className="primary" onClick={() => void restoreSession()}>
          Try again
        </button>
      </Page>
    );
  } else if (path === '/') {
    content = <Redirect to={user ? '/dashboard' : '/login'} />;
  } else if (GUEST_ONLY[path]) {
    const Component = GUEST_ONLY[path]!;
    content = user ? <Redirect to={safeNext(search.get('next'))} /> : <Component />;
  } else if (OPEN[path]) {
    const Component = OPEN[path]!;
    content = <Component />;
  } else if (PRIVATE[path]) {
    const Component = PRIVATE[path]!;
    content = user ? <Component /> : <Redirect to={`/login?next=${encodeURIComponent(pathname + (search.size ? `?${search}` : ''))}`} />;
  } else {
    content = (
      <Page title="Page not found" intro="There is nothing at this address.">
        <Link href="/">Go to the start page</Link>
      </Page>
    );
  }

  async function logout() {
    await client.logout();
    navigate('/login?reason=signed_out', { replace: true });
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand" aria-label="Rotor demo, start page">
          <span className="brand-mark" aria-hidden="true">
            ⟳
          </span>{' '}
          Rotor
        </Link>
        {user ? (
          <nav aria-label="Main">
            <ul>
              {NAV.map(([href, text]) => (
                <li key={href}>
                  <Link href={href} aria-current={path === href ? 'page' : undefined}>
                    {text}
                  </Link>
                </li>
              ))}
              {isAdmin ? (
                <li>
                  <Link href="/admin" aria-current={path === '/admin' ? 'page' : undefined}>
                    Admin
                  </Link>
                </li>
              ) : null}
              <li>
                <button type="button" className="ghost" onClick={logout}>
                  Log out
                </button>
              </li>
            </ul>
          </nav>
        ) : status === 'ready' ? (
          <nav aria-label="Main">
            <ul>
              <li>
                <Link href="/login" aria-current={path === '/login' ? 'page' : undefined}>
                  Log in
                </Link>
              </li>
              <li>
                <Link href="/signup" aria-current={path === '/signup' ? 'page' : undefined}>
                  Sign up
                </Link>
              </li>
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main">{content}</main>
      <ReauthDialog />
      <footer className="footer">
        <p>
          Rotor demo · access token in memory, refresh token in an HttpOnly cookie, rotated on every refresh.
        </p>
      </footer>
    </>
  );
}
