"""Spelling slips, without Django: edit distance, how many slips a word may have, the
pieces that any near word must hold in place (so a database can prefilter candidates
without losing one), and trigram similarity for suggesting the nearest technologies."""

from __future__ import annotations


def typo_limit(word: str) -> int:
    """How many slips (Levenshtein edits) a typed word may have: none below 4 letters,
    one up to 7, two from 8 (short words have too many neighbours to guess)."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def edit_distance(first: str, second: str, limit: int) -> int:
    """The Levenshtein distance (insertions, deletions, substitutions) between two words,
    or `limit + 1` as soon as it is known to exceed `limit`. Only the cells within `limit`
    of the diagonal are computed (others cannot lead to a distance within the limit)."""
    if first == second:
        return 0
    beyond = limit + 1
    if abs(len(first) - len(second)) > limit:
        return beyond
    previous = [column if column <= limit else beyond for column in range(len(second) + 1)]
    for row in range(1, len(first) + 1):
        low, high = max(1, row - limit), min(len(second), row + limit)
        current = [beyond] * (len(second) + 1)
        current[0] = row if row <= limit else beyond
        char = first[row - 1]
        for column in range(low, high + 1):
            current[column] = min(
                previous[column] + 1,
                current[column - 1] + 1,
                previous[column - 1] + (char != second[column - 1]),
                beyond,
            )
        if min(current[low - 1 : high + 1]) >= beyond:
            return beyond
        previous = current
    return previous[-1]


def pieces(word: str, limit: int) -> list[tuple[int, str]]:
    """`word` cut into `limit + 1` nearly equal consecutive pieces, each with its offset.
    Each edit damages at most one piece, so (when `word` has more than `limit` letters) a
    word within `limit` edits holds at least one piece unchanged, shifted by at most
    `limit` places."""
    count = min(limit + 1, len(word)) or 1
    size, extra = divmod(len(word), count)
    cut: list[tuple[int, str]] = []
    start = 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        if end > start:
            cut.append((start, word[start:end]))
        start = end
    return cut


def placements(word: str, limit: int) -> list[tuple[int, str]]:
    """Every (offset, piece) at which a word within `limit` edits of `word` may hold one of
    its pieces unchanged: a database can fetch only words with a piece at one of these
    places (SUBSTR) and miss no candidate."""
    return sorted(
        {
            (offset, piece)
            for start, piece in pieces(word, limit)
            for offset in range(max(0, start - limit), start + limit + 1)
        }
    )


def may_be_near(word: str, other: str, limit: int) -> bool:
    """The cheap test before `edit_distance`: False only when `other` is surely more than
    `limit` edits from `word` (its length is too different, or no piece is in place)."""
    if abs(len(word) - len(other)) > limit:
        return False
    if len(word) <= limit:
        return True  # fewer pieces than edits: nothing can be ruled out
    return any(
        other[offset : offset + len(piece)] == piece for offset, piece in placements(word, limit)
    )


def trigrams(text: str) -> set[str]:
    """The three-letter pieces of each word of `text`, padded as pg_trgm does (two spaces
    before, one after), so "ai" still has trigrams."""
    grams: set[str] = set()
    for word in text.lower().split():
        padded = f"  {word} "
        grams.update(padded[index : index + 3] for index in range(len(padded) - 2))
    return grams


def trigram_similarity(first: str, second: str) -> float:
    """Shared trigrams over all trigrams of both texts (0..1; 1 for the same words)."""
    mine, theirs = trigrams(first), trigrams(second)
    if not mine or not theirs:
        return 0.0
    return len(mine & theirs) / len(mine | theirs)
