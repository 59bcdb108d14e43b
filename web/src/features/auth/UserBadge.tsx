import { useSession } from '../../shared/session/session';

/** Who is signed in, with a logout button (nothing for the local operator of a server without users). */
export function UserBadge() {
  const session = useSession();
  if (!session || !session.me.auth_required) return null;
  return (
    <p className="nav-footer user-badge">
      Signed in as <strong>{session.me.name}</strong>{' '}
      {session.me.via === 'session' ? (
        <button type="button" className="link-button" onClick={session.logout}>
          Log out
        </button>
      ) : null}
    </p>
  );
}
