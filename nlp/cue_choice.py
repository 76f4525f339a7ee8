"""Which stance cue of a sentence decides it: the strongest one that no negation,
hypothesis, history, dismissal or other sense cancels, with time read per clause."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Span

from nlp.annotations import CueMatch
from nlp.clauses import opening_clause_end

STANCES = {"against": "against_return", "lift": "lifts"}
# How far after a call "... is no longer in effect" still withdraws it.
WITHDRAWN_REACH = 12

RELOCATION_REACH = 8

# Cue labels that can cancel a call or a lifting in their sentence (see _blocked).
BLOCKING_LABELS = frozenset(
    {"other_sense", "hypothetical", "negated", "conditional", "condition", "speculative"}
    | {"unable", "purpose"}
)
# "... would resume deportations to Venezuela": a lifting only when a halt or a safety
# finding is told ("resumes forced returns ... considered the situation stable enough").
RESUMPTIONS = frozenset(
    {"resume_returns", "returns_resume", "returns_can_resume", "returns_resumed_passive"}
    | {"will_again_deport", "again_help_go_home"}
)

# "...; since then ...", ", which it halted in 2015": a clause with its own time.
BACKGROUND_OPENERS = frozenset(
    {"which", "when", "where", "whereas", "after", "following", "because", "since", "citing"}
    | {"replacing", "superseding", "reversing", "overturning"}
    | {"finding", "noting", "saying", "adding", "stressing", "warning", "arguing", "holding"}
    | {"given", "pointing", "referring", "having", "concluding"}
)
# "Nicaraguans who fled the repression that began in April 2018": a relative clause's date.
RELATIVE_OPENERS = frozenset({"who", "whose"})


def clause_breaks(sent: Span) -> list[int]:
    """Token positions where a clause with its own tense begins: a semicolon, a dash, or a
    comma before "which" / "when"."""
    return [
        token.i
        for token in sent
        if token.text in {";", "—", "–"}
        or token.lower_ in RELATIVE_OPENERS
        or (
            token.text == ","
            and token.i + 1 < sent.end
            and token.nbor(1).lower_ in BACKGROUND_OPENERS
        )
    ]


RELATIVE_REACH = 6


def relatives(sent: Span) -> list[int]:
    """Where relative clauses open: "who", "whose", and "that" or "which" right after a place
    ("the ban on removals to Haiti that Canada had imposed in 2004")."""
    place_ends = {p.end for p in sent.doc._.rw_places if sent.start <= p.start < sent.end}
    return [
        t.i
        for t in sent
        if t.lower_ in RELATIVE_OPENERS or (t.lower_ in {"that", "which"} and t.i in place_ends)
    ]


def _in_relative(cue: CueMatch, relatives: Sequence[int]) -> bool:
    """ "Belarusians who fled after the 2020 election": a date just inside a relative clause."""
    return any(0 < cue.start - r <= RELATIVE_REACH for r in relatives)


def _same_clause(a: CueMatch, b: CueMatch, breaks: Sequence[int]) -> bool:
    low, high = min(a.start, b.start), max(a.start, b.start)
    return not any(low < i < high for i in breaks)


def choose_cue(
    cues: list[CueMatch],
    breaks: Sequence[int] = (),
    background: Sequence[tuple[int, int]] = (),
    relatives: Sequence[int] = (),
    calls_on: Sequence[int] = (),
    opening: Sequence[tuple[int, int]] = (),
    asides: Sequence[tuple[int, int]] = (),
) -> tuple[CueMatch, str] | None:
    """The strongest stance cue that no blocker in the sentence cancels, and its stance.

    breaks: clause boundaries (see clause_breaks); time markers count in their own clause.
    calls_on: where the sentence urges or orders someone ("asked States to", "ordered the
    authorities to"): a call made of others is no pause forced by logistics.
    opening: a scene-setting opening clause, background to the main clause's stance; a
    logistic cause there ("With the airport shut, ...") still explains the pause.
    asides: parentheses and dated participles, whose dates ("(granted in March 2001,
    ...) will end", "a suspension imposed in September 2013") tell
    the history of what they describe, not the time of the call.
    """
    # A pause forced by closures or weather says nothing about the country.
    # "citing the hostilities ... and the closure of the crossings": danger named beside the
    # closure makes the halt a judgement on the country.
    logistic = any(
        c.label == "logistics" and not _in_background(c, background) for c in cues
    ) and not any(c.label == "danger_cited" for c in cues)
    blockers = [
        c
        for c in cues
        if c.label in BLOCKING_LABELS
        and not _reported_future(c, cues)
        and not _speculation_aside(c, cues, opening)
        # "even if ...", "Whether or not it has signed ...": a concession, not a condition
        and not any(k.label == "concessive" and k.start <= c.start < k.end for k in cues)
    ]
    # "Return to the capital should not be regarded as a reasonable internal flight
    # alternative": a judgement on relocation, not a call, in the same clause.
    relocation = [c for c in cues if c.label == "ifa"]
    dismissals = [c for c in cues if c.label == "dismissal"]
    # "A proposal to halt returns of Afghans who came as minors was voted down": a relative
    # clause does not part the call from its dismissal.
    main_breaks = [b for b in breaks if b not in relatives]
    candidates = []
    for cue in cues:
        if cue.label not in STANCES or _blocked(cue, blockers, cues, breaks):
            continue
        if logistic and not any(i < cue.start for i in calls_on):
            continue
        # "ordered that detainees who may not have had access to legal advice should not be
        # removed": a procedural reason holds even under an order.
        if any(c.pattern_id in PROCEDURAL_PAUSES and c.start < cue.start for c in cues):
            continue
        if any(
            _same_clause(r, cue, breaks) and 0 <= r.start - cue.end <= RELOCATION_REACH
            for r in relocation
        ):
            continue
        # "Campaigners who say no one should be sent back ... are overstating their case".
        if any(d.start >= cue.end and _same_clause(d, cue, main_breaks) for d in dismissals):
            continue
        # "In 2006 Britain suspended ..." is history unless the clause speaks of now too;
        # "had urged" is history of a call, not of a lifting ("which it had suspended").
        # "the first such removal since ..., after which Vienna had stopped sending people
        # back": a cue whose stance word ends in a later clause takes that clause's time too
        last = replace(cue, start=cue.end - 1)
        timed = [c for c in cues if _same_clause(c, cue, breaks) or _same_clause(c, last, breaks)]
        # "almost a decade after violence led UNHCR to ask ..." dates what follows it; in
        # "lifted its halt ..., four months after imposing it" it points back to the halt.
        dated = (
            any(
                (
                    c.label == "historical"
                    or (c.label == "historical_before" and c.start < cue.start)
                )
                and not _in_relative(c, relatives)
                and not any(start < c.start < end for start, end in asides)
                for c in timed
            )
            and not any(c.label == "present" for c in timed)
        ) or _inside_years_after(cue, cues, opening)
        dated = dated or (
            not any(c.label == "present" for c in timed) and _dated_by_lead(cue, cues, opening)
        )
        # "said that the Committee had asked the UK not to deport her": reported speech
        # shifts the tense back; the call is not history.
        historical = dated or any(
            c.label == "pluperfect"
            and not any(r.label == "reporting" and r.start < c.start for r in timed)
            for c in timed
        )
        stance = STANCES[cue.label]
        if stance == "against_return" and _withdrawn(cue, cues):
            stance = "lifts"
        elif (stance == "against_return" and historical) or (stance == "lifts" and dated):
            continue
        candidates.append((cue, stance))
    if not candidates:
        return None
    # "returns to Ninewa, which IOM put on hold ..., can resume": the relative clause is
    # background when the main clause holds a stance of its own.
    main = [pair for pair in candidates if not _in_background(pair[0], [*background, *opening])]
    # A finding said outright beats a resumption, which counts only with a halt told.
    return max(
        main or candidates,
        key=lambda pair: (
            pair[0].priority,
            pair[0].pattern_id not in RESUMPTIONS,
            pair[0].weight,
            -pair[0].start,
        ),
    )


# "said on Wednesday it would stop deporting": the future told in the past, a decision.
REPORTED_FUTURE_REACH = 4


RELATIVE_PRONOUNS = frozenset({"that", "who", "which"})
# The modals of a main clause that asks or orders ("... should not send anyone").
MAIN_MODALS = frozenset({"should", "must", "shall"})


def without_relative_speculation(sent: Span, cues: list[CueMatch]) -> list[CueMatch]:
    """ "European governments that are weighing deportations to Syria should not send
    anyone ...": the weighing describes who is addressed; the main clause's call stands."""
    doc = sent.doc

    def describes_subject(cue: CueMatch) -> bool:
        opener = {doc[i].lower_ for i in (cue.start - 1, cue.start) if i >= sent.start}
        return bool(opener & RELATIVE_PRONOUNS) and any(
            c.label in STANCES and c.start > cue.end and doc[c.start].lower_ in MAIN_MODALS
            for c in cues
        )

    return [c for c in cues if c.label != "speculative" or not describes_subject(c)]


def _speculation_aside(
    blocker: CueMatch, cues: list[CueMatch], opening: Sequence[tuple[int, int]]
) -> bool:
    """A likelihood that does not doubt the call: in the opening clause ("As many persons
    fleeing Iraq are likely to meet the criteria ..., UNHCR calls on States to refrain"),
    or what a condition waits on ("... for as long as the Committee is considering")."""
    return blocker.label == "speculative" and (
        _in_background(blocker, opening)
        or any(k.label == "condition" and k.end <= blocker.start <= k.end + 3 for k in cues)
    )


def _new_main_clause(blocker: CueMatch, cue: CueMatch, cues: list[CueMatch]) -> bool:
    """ "would violate his rights if it deported him, and asked Ottawa to refrain from ...":
    the call is a main clause of its own after the "if"."""
    return blocker.pattern_id == "if_clause" and any(
        c.label == "new_clause" and blocker.start < c.start < cue.start for c in cues
    )


def _reported_future(blocker: CueMatch, cues: list[CueMatch]) -> bool:
    return blocker.pattern_id == "would_stop" and any(
        c.label == "reporting" and 0 <= blocker.start - c.end <= REPORTED_FUTURE_REACH for c in cues
    )


def parentheses(sent: Span) -> list[tuple[int, int]]:
    """Token spans of the sentence's parenthetical asides, brackets included."""
    spans, opened = [], None
    for token in sent:
        if token.text == "(":
            opened = token.i
        elif token.text == ")" and opened is not None:
            spans.append((opened, token.i))
            opened = None
    return spans


# "ending a suspension imposed in September 2013": the date belongs to the measure.
DATED_PARTICIPLES = frozenset(
    {"imposed", "introduced", "issued", "adopted", "declared", "announced", "enacted"}
    | {"ordered", "agreed", "decreed", "granted", "instituted", "established"}
)
MEASURE_NOUNS = frozenset(
    {"suspension", "moratorium", "stop", "ban", "halt", "freeze", "pause", "deferral", "bar"}
    | {"suspensions", "moratoria", "moratoriums", "stops", "bans", "halts", "stay", "stays"}
)
DATE_OPENERS = frozenset({"in", "on", "since", "during", "after", "last", "following"})
PARTICIPLE_REACH = 8


def participle_dates(sent: Span) -> list[tuple[int, int]]:
    """Token spans of participles that date the noun before them ("the moratorium imposed
    in 2013"), up to the next comma: their dates tell the measure's history."""
    doc = sent.doc
    spans = []
    for token in sent:
        if (
            token.lower_ in DATED_PARTICIPLES
            and token.i > sent.start
            and doc[token.i - 1].lower_ in MEASURE_NOUNS
            and token.i + 1 < sent.end
            and doc[token.i + 1].lower_ in DATE_OPENERS
        ):
            stop = min(sent.end, token.i + PARTICIPLE_REACH)
            end = next((t.i for t in doc[token.i : stop] if t.text in {",", ";"}), stop)
            spans.append((token.i - 1, end))
    return spans


def pluperfect_relatives(sent: Span, opened: Sequence[int]) -> list[tuple[int, int]]:
    """Token spans of relative clauses (opened: see relatives) in the pluperfect after a
    place ("the halt on deportations to Afghanistan that it had kept in place since ...
    2021"), up to the next comma: their dates tell the measure's history, not the time of
    its lifting."""
    doc = sent.doc
    spans = []
    for start in opened:
        if doc[start].lower_ not in {"that", "which"}:
            continue
        if not any(t.lower_ == "had" for t in doc[start + 1 : min(start + 4, sent.end)]):
            continue
        end = next((t.i for t in doc[start : sent.end] if t.text in {",", ";", ":"}), sent.end)
        spans.append((start, end))
    return spans


# "temporary protected status ... would end in September 2019": the date it takes effect.
ENDING_VERBS = frozenset({"end", "expire", "lapse", "terminate", "cease", "close"})
FUTURE_MARKERS = frozenset({"will", "would", "to", "shall"})
EFFECTIVE_DATE_REACH = 5


def effective_dates(sent: Span) -> list[tuple[int, int]]:
    """Token spans of the dates a measure's end is set for ("would end in January 2019"):
    a date the decision looks forward to, not history."""
    doc = sent.doc
    return [
        (token.i, min(sent.end, token.i + EFFECTIVE_DATE_REACH))
        for token in sent
        if token.lower_ in ENDING_VERBS
        and token.i - 1 > sent.start
        and doc[token.i - 1].lower_ in FUTURE_MARKERS
        and token.i + 1 < sent.end
        and doc[token.i + 1].lower_ in {"in", "on", "by"}
    ]


def dated_asides(sent: Span, opened: Sequence[int]) -> list[tuple[int, int]]:
    """The spans whose dates do not date the sentence's stance (see choose_cue's asides);
    opened: where the sentence's relative clauses open (see relatives)."""
    return [
        *parentheses(sent),
        *participle_dates(sent),
        *pluperfect_relatives(sent, opened),
        *effective_dates(sent),
    ]


def _in_background(cue: CueMatch, background: Sequence[tuple[int, int]]) -> bool:
    return any(start < cue.start and cue.end <= end for start, end in background)


def background_clauses(sent: Span) -> list[tuple[int, int]]:
    """Token spans of relative clauses set off by commas: ", which ... ," (or to the end),
    and ", where ..." describing a place ("to Idlib, where aircraft are bombing markets")."""
    spans = []
    for token in sent:
        if (
            token.text == ","
            and token.i + 1 < sent.end
            and token.nbor(1).lower_ in {"which", "who", "where"}
        ):
            end = next((t.i for t in sent if t.i > token.i + 1 and t.text == ","), sent.end)
            spans.append((token.i, end))
    return spans


def opening_clause(sent: Span) -> list[tuple[int, int]]:
    """The span of a scene-setting opening clause ("Although it has started helping
    refugees who want to go home, UNHCR stressed ..."), if the sentence has one."""
    end = opening_clause_end(sent.doc, sent, sent.end, dated=True)
    return [(sent.start - 1, end)] if end > sent.start else []


def _inside_years_after(
    cue: CueMatch, cues: list[CueMatch], opening: Sequence[tuple[int, int]]
) -> bool:
    """ "Eleven years after UNHCR first asked governments to stop forced returns, most
    refugees ...": a call inside the opening clause is the past event it dates, whatever
    the main clause says about now."""
    return any(
        c.label == "historical_before" and start < c.start < cue.start and cue.end <= end
        for c in cues
        for start, end in opening
    )


WHEN_REACH = 12


def _dated_by_lead(cue: CueMatch, cues: list[CueMatch], spans: Sequence[tuple[int, int]]) -> bool:
    """ "When the earthquake struck in January 2010, Washington halted ...", "... fell
    during the 2014-2016 epidemic, when several governments put removals on hold": a time
    set just before the clause holds for it, when the clause says nothing of now."""
    for when in cues:
        # the cue in a ", when ..." clause: the time of the clause it hangs on
        if (
            when.label == "when_clause"
            and 0 < cue.start - when.start <= WHEN_REACH
            and any(c.label == "historical" and c.end <= when.start for c in cues)
        ):
            return True
    for start, end in spans:
        if end <= cue.start and any(c.label == "historical" and c.start == start + 1 for c in cues):
            return True  # the cue after an opening clause that begins with its time
    return False


def _withdrawn(cue: CueMatch, cues: list[CueMatch]) -> bool:
    """A call said to be over: "no longer objects to the return", "withdrew its call on
    States to refrain from returning", "guidance opposing returns ... is no longer in effect"."""
    return any(
        (c.label in ("no_longer", "withdrawn_call") and c.start < cue.start)
        or (c.label == "no_longer_valid" and cue.end <= c.start <= cue.end + WITHDRAWN_REACH)
        for c in cues
    )


# Logistic causes that are procedure in the host country, whoever orders the pause.
PROCEDURAL_PAUSES = frozenset({"access_to_legal_advice"})

# Calls that open on "nobody" / "no one": what follows inside them is negated.
NOBODY_CALLS = frozenset({"nobody_sent_back", "no_one_returned", "no_person_returned"})


def _blocked(
    cue: CueMatch, blockers: list[CueMatch], cues: list[CueMatch], breaks: Sequence[int] = ()
) -> bool:
    for blocker in blockers:
        if blocker.label == "unable":
            # "cannot deport them because ...": the inability holds the removal it names;
            # the reason after it may be a finding of its own ("... because anyone
            # returned there would face a real risk").
            if blocker.start <= cue.start < blocker.end:
                return True
            continue
        if blocker.label == "purpose":
            # "so that returns can resume" is an aim, not a lifting; "so that they are not
            # sent back" is what a protective measure is for; "..., so that people from
            # those areas can no longer be regarded as at risk" is a consequence.
            result = any(c.label == "result" and c.end == blocker.end for c in cues)
            if cue.label == "lift" and blocker.start <= cue.start and not result:
                return True
            continue
        if blocker.label == "other_sense" and any(
            blocker.start <= i < blocker.end for i in (cue.start, cue.end - 1)
        ):
            return True  # the cue's own word in another sense; "the end of the war" inside is not
        if (
            blocker.label in ("hypothetical", "negated")
            # "is not yet urging anyone to go back": a longer cue from the same word reads on
            and (
                blocker.start < cue.start or (blocker.start == cue.start and blocker.end >= cue.end)
            )
            and not _new_main_clause(blocker, cue, cues)
            and not (blocker.pattern_id == "dismissed_demands" and cue.label == "lift")
        ):
            return True  # a rejected petition against deportation clears the way for a lifting
        if (
            blocker.label == "negated"
            and cue.label == "lift"
            and cue.start < blocker.start < cue.end
        ):
            return True  # "deportations ..., turning down a proposal to resume": no resumption
        if blocker.start > cue.start and not _same_clause(blocker, cue, breaks):
            continue  # "..., where they would likely be arrested": the risk, in a clause of its own
        inside = cue.start < blocker.start and blocker.end <= cue.end
        if (
            blocker.label == "speculative"
            # "no part of the country could be considered safe": the cue's own words
            and not inside
            and not any(
                c.label == "risk_assessment" and blocker.start <= c.start < blocker.end
                for c in cues
            )
        ):
            # "a halt to deportations was unlikely", "is considering a moratorium"; but "are
            # likely to need protection" judges the risk, not the call.
            return True
        if cue.label == "lift" and (
            (blocker.label == "conditional" and blocker.start < cue.end and cue.start < blocker.end)
            or (blocker.label == "condition" and blocker.start < cue.start)
        ):
            return True  # "resume them only when ...", "until it is safe to go back"
    # "nobody can safely be sent back": a lifting's words inside a call that negates them
    if cue.label == "lift" and any(
        c.pattern_id in NOBODY_CALLS and c.start < cue.start and cue.end <= c.end for c in cues
    ):
        return True
    # "urging the government to refrain from revoking the permits ...": a lifting asked
    # not to happen is no lifting (the call against it stands on its own cue).
    if cue.label == "lift" and any(c.label == "refrain" and c.end == cue.start for c in cues):
        return True
    # "has not suspended deportations": a negation right before the cue.
    return any(c.label == "negation" and cue.start - 2 <= c.start < cue.start for c in cues)
