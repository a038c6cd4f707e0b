"""django-axes handler: a successful sign-in clears the failures of the account that signed in,
and nobody else's.

Axes' own reset-on-success deletes every attempt matching any lockout parameter of the success,
so with failures counted per username and per address, signing in to one's own account also wiped
the failures other usernames had from that address. An attacker could then guess a victim's
password one short of the limit, sign in (or sign up) from the same address, and repeat for ever.
Here only rows with the signed-in username go: failures for other accounts keep counting towards
both their account's limit and the address's until the cool-off ends.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt


class AccountResetDatabaseHandler(AxesDatabaseHandler):
    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
