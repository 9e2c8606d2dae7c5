import { RotorApiError } from '@rotor/client';
import { useEffect, useState } from 'react';
import { api, useUser } from './rotor';

// ---- who is an admin ---------------------------------------------------------------------------

let known: { userId: string; admin: boolean } | null = null;

/** Asks the server once per signed-in user: 204 from `GET /admin/access` means admin; 403 or 404 means not. */
export async function checkAdminAccess(userId: string): Promise<boolean> {
  if (known?.userId === userId) return known.admin;
  let admin = false;
  try {
    await api<void>('/admin/access');
    admin = true;
  } catch (e) {
    // 403 (not an admin) and 404 (the app maps no admin endpoints) both mean: no admin page. Anything else (the
    // server unavailable) is not an answer: not remembered, asked again next time.
    if (!(e instanceof RotorApiError) || (e.status !== 403 && e.status !== 404)) throw e;
  }
  known = { userId, admin };
  return admin;
}

/** Whether the signed-in user may see the admin page; false while unknown and when signed out. */
export function useIsAdmin(): boolean {
  const user = useUser();
  const [admin, setAdmin] = useState(false);
  useEffect(() => {
    let cancelled = false;
    if (!user) {
      setAdmin(false);
      return;
    }
    checkAdminAccess(user.id)
      .then((yes) => {
        if (!cancelled) setAdmin(yes);
      })
      .catch(() => {
        if (!cancelled) setAdmin(false);
      });
    return () => {
      cancelled = true;
    };
  }, [user?.id]);
  return admin;
}
