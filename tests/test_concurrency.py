"""Many requests at once over real HTTP: threads of two readers toggle the same bookmark and the
same step through a live server, with plain toggles and with explicit states. Whatever the
interleaving: no 5xx, at most one row per reader and target, and when the last requests all ask
for one state, that is the state each reader ends with. Runs on PostgreSQL (make test-postgres,
CI); in-memory SQLite is one connection shared by the server's threads, so there it is skipped.
"""

import http.client
import threading
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client

from roles.models import Bookmark, StepProgress
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

THREADS_PER_READER = 4  # two readers: 8 threads in all
CSRF_SECRET = "concurrencytestsecretabcdefghijk"  # 32 characters, as Django's secrets are


@pytest.fixture
def real_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite: the live server shares one connection between threads")


class Reader:
    """A signed-in reader's browser, reduced to its cookies and one HTTP request at a time."""

    def __init__(self, live_server, user):
        client = Client()
        client.force_login(user)
        self.host, self.port = live_server.thread.host, live_server.thread.port
        self.cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF_SECRET}"

    def request(self, method: str, path: str, data: dict | None = None) -> int:
        headers = {"Cookie": self.cookie}
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": CSRF_SECRET})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    def post(self, path: str, data: dict) -> int:
        return self.request("POST", path, data)


def run_together(jobs) -> list[int]:
    """Start every job at one barrier; gather every status (an exception is a failure too)."""
    barrier = threading.Barrier(len(jobs))
    statuses, errors = [], []
    lock = threading.Lock()

    def worker(job):
        try:
            barrier.wait(timeout=30)
            for status in job():
                with lock:
                    statuses.append(status)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request never came back"
    assert errors == []
    return statuses


@pytest.fixture
def guide(real_database):
    step = factories.GuideStepFactory(position=1)
    return step.guide


def test_simultaneous_toggles_keep_one_row_and_end_in_the_last_explicit_state(live_server, guide):
    step = guide.steps.get()
    users = [factories.UserFactory(username="first"), factories.UserFactory(username="second")]
    readers = [Reader(live_server, user) for user in users]
    # Signed in on the live server: the bookmarks page answers instead of sending to sign-in.
    assert [reader.request("GET", "/bookmarks/") for reader in readers] == [200, 200]
    bookmark = f"{guide.get_absolute_url()}bookmark/"
    progress = f"{guide.get_absolute_url()}steps/1/progress/"

    def mixed(reader, seed):
        def job():
            # Plain toggles and explicit states, in a different order in every thread.
            plan = [{}, {"bookmarked": "1"}, {}, {"bookmarked": "0"}, {}, {"bookmarked": "1"}]
            steps = [{}, {"completed": "1"}, {}, {"completed": "0"}, {}]
            for i in range(6):
                yield reader.post(bookmark, plan[(i + seed) % len(plan)])
                yield reader.post(progress, steps[(i + seed) % len(steps)])

        return job

    jobs = [mixed(r, seed) for r in readers for seed in range(THREADS_PER_READER)]
    statuses = run_together(jobs)
    assert len(statuses) == len(jobs) * 12
    assert set(statuses) == {302}, sorted(set(statuses))
    for user in users:
        assert Bookmark.objects.filter(user=user, guide=guide).count() <= 1
        assert StepProgress.objects.filter(user=user, step=step).count() <= 1

    # The last requests are explicit, and differ per reader: each ends in its own last state.
    final = {users[0].pk: "1", users[1].pk: "0"}

    def explicit(reader, user):
        def job():
            state = final[user.pk]
            for _ in range(3):
                yield reader.post(bookmark, {"bookmarked": state})
                yield reader.post(progress, {"completed": state})

        return job

    jobs = [
        explicit(reader, user)
        for reader, user in zip(readers, users, strict=True)
        for _ in range(THREADS_PER_READER)
    ]
    assert set(run_together(jobs)) == {302}
    for user in users:
        wanted = final[user.pk] == "1"
        assert Bookmark.objects.filter(user=user, guide=guide).count() == int(wanted)
        rows = StepProgress.objects.filter(user=user, step=step)
        assert rows.count() == 1  # the toggles above made it; explicit states keep one row
        assert rows.get().completed is wanted
