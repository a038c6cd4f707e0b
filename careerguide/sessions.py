"""Sessions kept in the database and read through the shared cache, which may fail.

Django's cached_db store already survives a failed write to the cache, but not a failed read-back
fill, membership test or delete: with Redis unreachable every signed-in request answered 500,
although each session is in the database all along. This store treats the cache as what it is
here, an accelerator: on any cache error it logs and goes on with the database.
"""

import logging

from django.contrib.sessions.backends import cached_db, db

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - any cache client's error: the database has the session
            logger.warning("Session cache unavailable; reading the session from the database")
            data = None
        if data is not None:
            return data
        session = self._get_session_from_db()
        if not session:
            return {}
        data = self.decode(session.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=session.expire_date))
        except Exception:  # noqa: BLE001
            logger.warning("Session cache unavailable; the session was not cached")
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:  # noqa: BLE001
            logger.warning("Session cache unavailable; asking the database")
        return db.SessionStore.exists(self, session_key)

    def delete(self, session_key=None):
        db.SessionStore.delete(self, session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:  # noqa: BLE001 - the database row is gone, which is what counts
            logger.warning("Session cache unavailable; a deleted session may stay cached")
