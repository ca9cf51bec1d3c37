"""Finding courses as citizens ask: words (`/ara`, or a question typed in the chat) and places.

Search reads the in-memory catalogue (bot/services/catalogue.py). A query keeps only the
words that can name a course, a branch, a centre or a district (see bot/textsearch.py), and a
course matches when it holds every one of them. Results come a page at a time; the last query
of each user is remembered (in memory, a bounded number of users) so that "Sonraki ›" can
turn its pages.
"""

from __future__ import annotations

import math
from collections import OrderedDict

from bot.domain import CoursePage, NearbyCourse, Viewer
from bot.services.catalogue import Catalogue
from bot.services.courses import distance_km
from bot.textsearch import matches, search_terms

PAGE_SIZE = 8
NEARBY_LIMIT = 8
NEARBY_MAX_KM = 50.0  # farther than this, a centre is not "near" anyone
_REMEMBERED = 10_000


class SearchService:
    """Courses by words and by distance."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._queries: OrderedDict[int, str] = OrderedDict()

    async def search(self, viewer: Viewer, query: str, page: int = 0) -> CoursePage:
        """One page of the courses that hold every searchable word of the query, ignoring
        case, Turkish letters, suffixes after an apostrophe and filler words."""
        terms = search_terms(query)
        self.remember(viewer.user_id, query)
        if not terms:
            return CoursePage((), 0, 1, 0)
        snapshot = await self.catalogue.snapshot()
        found = [c for c in snapshot.listed(viewer, self.catalogue.clock.now())
                 if all(matches(term, snapshot.keys[c.id]) for term in terms)]
        pages = max(math.ceil(len(found) / PAGE_SIZE), 1)
        page = min(max(page, 0), pages - 1)
        return CoursePage(tuple(found[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]), page, pages,
                          len(found))

    def remember(self, user_id: int, query: str) -> None:
        self._queries[user_id] = query
        self._queries.move_to_end(user_id)
        while len(self._queries) > _REMEMBERED:
            self._queries.popitem(last=False)

    def last_query(self, user_id: int) -> str | None:
        return self._queries.get(user_id)

    async def nearby(self, viewer: Viewer, latitude: float, longitude: float) -> list[NearbyCourse]:
        """The courses nearest to a point, closest first, within NEARBY_MAX_KM (none when
        the point is far from every centre, e.g. in another city)."""
        snapshot = await self.catalogue.snapshot()
        ranked = [
            NearbyCourse(c, distance_km(latitude, longitude, c.centre.latitude, c.centre.longitude))
            for c in snapshot.listed(viewer, self.catalogue.clock.now())
            if c.centre and c.centre.latitude is not None and c.centre.longitude is not None
        ]
        ranked = [n for n in ranked if n.distance_km <= NEARBY_MAX_KM]
        ranked.sort(key=lambda n: (n.distance_km, n.course.start_date, n.course.name))
        return ranked[:NEARBY_LIMIT]
