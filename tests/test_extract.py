"""The extractor: entities of the seed, and one sentence per construction."""

from __future__ import annotations

import pytest

from kg.extract import extract_doc
from kg.extract.when import _dateparser_date, resolve_date
from kg.read import parse_text_article
from kg.resolve import actor_key


def facts_of(nlp, text, date="2025-09-11"):
    article = parse_text_article(f"date {date}\nHeadline\n\n{text}\n", article_id="t", source="t")
    extraction = extract_doc(article, nlp(article.text))
    return [f for f in extraction.facts if f.kind == "event"], extraction


def summary(fact):
    return (fact.type, fact.cameo, fact.source.name, fact.target.name if fact.target else None)


@pytest.mark.parametrize(("text", "kind"), [
    ("Belarus", "Country"), ("Lithuania", "Country"), ("Russia", "Country"), ("Ukraine", "Country"),
    ("U.S.", "Country"), ("US", "Country"), ("Washington", "Place"),
    ("Vilnius", "Place"), ("Minsk", "Place"), ("Sochi", "Place"), ("Belavia", "Organization"),
    ("Alexander Lukashenko", "Person"), ("John Cole", "Person"), ("Donald Trump", "Person"),
    ("Gitanas Nauseda", "Person"), ("Siarhei Tsikhanouski", "Person"), ("Keith Kellogg", "Person"),
    ("Vladimir Putin", "Person"), ("Cole", "Person"), ("Lukashenko", "Person"),
])
def test_extract_seed_entity_types(seed_extraction, text, kind):
    types = {m.type for m in seed_extraction.mentions if m.text == text}
    assert types == {kind}


@pytest.mark.parametrize(("forms", "key"), [
    ({"Alexander Lukashenko", "Lukashenko", "Belarusian dictator"}, "person/alexander-lukashenko"),
    ({"John Cole", "Cole", "envoy"}, "person/john-coale"),
    ({"U.S.", "US", "Washington"}, "country/USA"),
])
def test_extract_seed_one_actor_however_named(seed_extraction, forms, key):
    used = [m for f in seed_extraction.facts for m in (f.source, f.target) if m is not None]
    keys = {actor_key(m) for m in [*seed_extraction.mentions, *used] if m.text in forms
            and m.type != "Place"}
    assert keys == {key}


@pytest.mark.parametrize("name", ["Fornusek", "Zadorozhnyy", "Metzel", "Getty", "AFP"])
def test_extract_seed_metadata_is_not_an_actor(seed_extraction, name):
    assert not [m for m in seed_extraction.mentions if name in m.text]


def test_extract_active_clause(nlp):
    events, _ = facts_of(nlp, "Lukashenko thanked Donald Trump for the gift.")
    assert [summary(f) for f in events] == [("SUPPORT", "051", "Alexander Lukashenko", "Donald Trump")]
    assert events[0].date == "2025-09-11" and events[0].modality == "asserted"


def test_extract_passive_clause(nlp):
    events, _ = facts_of(nlp, "Alexei Navalny was arrested by Russia on Sunday.", date="2021-01-19")
    assert [summary(f) for f in events] == [("COERCE", "173", "Russia", "Alexei Navalny")]
    assert events[0].date == "2021-01-17"


def test_extract_nominal_event_with_place_and_date(nlp):
    events, _ = facts_of(nlp, "Lukashenko attends a meeting with Vladimir Putin in Sochi on Sept. 15, 2023.")
    assert sorted(summary(f) for f in events) == [
        ("CONSULT", "040", "Alexander Lukashenko", "Vladimir Putin"),
        ("CONSULT", "040", "Vladimir Putin", "Alexander Lukashenko")]
    assert {f.date for f in events} == {"2023-09-15"}
    assert {f.place.name for f in events} == {"Sochi"}


def test_extract_coordinated_sources_give_one_event_each(nlp):
    events, _ = facts_of(nlp, "The United States and Britain imposed sanctions on Belarus on Tuesday.")
    assert sorted(summary(f) for f in events) == [
        ("SANCTION", "163", "United Kingdom", "Belarus"), ("SANCTION", "163", "United States", "Belarus")]
    assert {f.date for f in events} == {"2025-09-09"}


def test_extract_negation(nlp):
    events, _ = facts_of(nlp, "Putin did not meet Zelensky in Istanbul.")
    assert {(summary(f), f.negated) for f in events} == {
        (("CONSULT", "040", "Vladimir Putin", "Volodymyr Zelensky"), True),
        (("CONSULT", "040", "Volodymyr Zelensky", "Vladimir Putin"), True)}


def test_extract_intention_and_attribution(nlp):
    events, _ = facts_of(nlp, "Cole said Washington would lift sanctions on Belavia.")
    assert [summary(f) for f in events] == [("CONCEDE", "085", "United States", "Belavia"),
                                            ("AGREE", "0354", "United States", "Belavia")]
    assert events[0].modality == "intended"
    assert events[0].attribution.name == "John Coale"
    assert events[1].modality == "reported"  # the commitment itself happened, as Cole reports it


def test_extract_desire_is_not_a_commitment(nlp):
    events, _ = facts_of(nlp, "Washington hopes to lift sanctions on Belavia.")
    assert [(summary(f), f.modality) for f in events] == [
        (("CONCEDE", "085", "United States", "Belavia"), "intended")]


def test_extract_commitment_by_adjective(nlp):
    events, _ = facts_of(nlp, "Syria is ready to withdraw its troops from Lebanon.")
    assert ("AGREE", "0356", "Syria", "Lebanon") in [summary(f) for f in events]


def test_extract_coordinated_subjects_of_a_mutual_event(nlp):
    events, _ = facts_of(nlp, "The United States and Jordan have agreed upon a new free-trade pact.")
    assert sorted(summary(f) for f in events) == [("AGREE", "030", "Jordan", "United States"),
                                                  ("AGREE", "030", "United States", "Jordan")]


def test_extract_place_stands_in_for_a_missing_target(nlp):
    events, _ = facts_of(nlp, "Turkish authorities imposed a curfew in the town of Cizre.")
    assert [summary(f) for f in events] == [("COERCE", "1723", "Turkey", "Cizre")]


def test_extract_unknown_name_as_actor(nlp):
    events, _ = facts_of(nlp, "Arnor is about to restore full diplomatic ties with Gondor.")
    assert ("SUPPORT", "050", "Arnor", "Gondor") in [summary(f) for f in events]


def test_extract_reported_speech(nlp):
    events, _ = facts_of(nlp, "Kyiv said Russia attacked Ukraine.")
    assert [summary(f) for f in events] == [("ASSAULT", "190", "Russia", "Ukraine")]
    assert events[0].modality == "reported" and events[0].attribution.name == "Ukraine"


def test_extract_quantity_of_a_sentence(nlp):
    events, _ = facts_of(nlp, "Tsikhanouski had been sentenced to 18 years in prison.")
    assert [summary(f) for f in events] == [("COERCE", "173", "Belarus", "Siarhei Tsikhanouski")]
    assert (events[0].quantity.value, events[0].quantity.unit) == (18.0, "year")
    assert events[0].confidence == 0.5  # the agent is implied, not written


def test_extract_quantity_of_released_prisoners(nlp):
    events, _ = facts_of(nlp, "Belarus has freed 52 prisoners.")
    assert [summary(f) for f in events] == [("CONCEDE", "0841", "Belarus", None)]
    assert (events[0].quantity.value, events[0].quantity.unit) == (52.0, "prisoner")


@pytest.mark.parametrize(("when", "date"), [
    ("in July", "2025-07"), ("last month", "2025-08"), ("in 2022", "2022"), ("on Sept. 3", "2025-09-03")])
def test_extract_relative_dates_keep_their_precision(nlp, when, date):
    events, _ = facts_of(nlp, f"Belarus released Ales Bialiatski {when}.")
    assert [(summary(f), f.date) for f in events] == [
        (("CONCEDE", "0841", "Belarus", "Ales Bialiatski"), date)]


def test_extract_title_relations(nlp):
    _, extraction = facts_of(nlp, "Russian President Vladimir Putin met U.S. special envoy Steve Witkoff.")
    relations = sorted((f.type, f.source.name, f.target.name) for f in extraction.facts
                       if f.kind == "relation")
    assert relations == [("leader_of", "Vladimir Putin", "Russia"),
                         ("member_of", "Steve Witkoff", "United States"),
                         ("nationality", "Vladimir Putin", "Russia")]  # "Russian" is a nationality


def test_extract_collective_stands_for_its_state(nlp):
    events, _ = facts_of(nlp, "Russian forces launched attacks on Ukraine.")
    assert [summary(f) for f in events] == [("ASSAULT", "190", "Russia", "Ukraine")]
    assert events[0].source.role == "MIL"


def test_extract_organisation_of_a_country(nlp):
    _, extraction = facts_of(nlp, "Gershkovich was arrested by Russia's FSB. Belavia, Belarus's state "
                                  "airline, was sanctioned.")
    relations = sorted((f.type, f.source.name, f.target.name) for f in extraction.facts
                       if f.kind == "relation")
    assert relations == [("located_in", "Belavia", "Belarus"),
                         ("member_of", "Federal Security Service", "Russia")]


def test_extract_companions_share_the_role(nlp):
    events, _ = facts_of(nlp, "Russia freed Paul Whelan. Whelan was released together with "
                              "journalist Alsu Kurmasheva.", date="2024-08-02")
    assert sorted(summary(f) for f in events) == [("CONCEDE", "0841", "Russia", "Alsu Kurmasheva"),
                                                  ("CONCEDE", "0841", "Russia", "Paul Whelan"),
                                                  ("CONCEDE", "0841", "Russia", "Paul Whelan")]


def test_extract_condemning_an_event_targets_its_agent(nlp):
    events, _ = facts_of(nlp, "A court in Minsk sentenced Ales Bialiatski to 10 years. The European "
                              "Union condemned the sentence.", date="2023-03-04")
    assert sorted(summary(f) for f in events) == [("ACCUSE", "111", "European Union", "Belarus"),
                                                  ("COERCE", "173", "Belarus", "Ales Bialiatski")]


def test_extract_definite_description_is_the_topic_country(nlp):
    events, _ = facts_of(nlp, "Finland joined NATO on Tuesday, after Finland applied in May. It handed "
                              "papers to U.S. officials. Jens Stoltenberg welcomed the Nordic country into "
                              "the alliance.")
    assert ("SUPPORT", "051", "Jens Stoltenberg", "Finland") in [summary(f) for f in events]


def test_extract_subject_undergoes_the_event(nlp):
    events, _ = facts_of(nlp, "Kremlin critic Vladimir Kara-Murza, who was serving a 25-year sentence, "
                              "was freed.")
    assert ("COERCE", "173", "Russia", "Vladimir Kara-Murza") in [summary(f) for f in events]


def test_extract_nationality_from_citizenship(nlp):
    _, extraction = facts_of(nlp, "Journalist Anna Petrova, who holds U.S. and Russian citizenship, "
                                  "was freed.")
    relations = {(f.type, f.source.name, f.target.name) for f in extraction.facts if f.kind == "relation"}
    assert {("nationality", "Anna Petrova", "United States"),
            ("nationality", "Anna Petrova", "Russia")} <= relations


def test_extract_conditional_commitment_is_a_threat(nlp):
    events, _ = facts_of(nlp, "Nigeria said it will withdraw its peacekeeping force from Chad unless "
                              "the government holds elections.")
    assert ("THREATEN", "130", "Nigeria", "Chad") in [summary(f) for f in events]
    assert not [f for f in events if f.type == "AGREE"]


def test_extract_part_words_stand_for_their_whole(nlp):
    events, _ = facts_of(nlp, "A group of Moroccan diplomats held a meeting with Antony Blinken.")
    assert ("CONSULT", "040", "Morocco", "Antony Blinken") in [summary(f) for f in events]


def test_extract_negated_commitment_is_a_refusal(nlp):
    events, _ = facts_of(nlp, "Russia will not release Ales Bialiatski.")
    assert [(summary(f), f.negated) for f in events] == [
        (("CONCEDE", "0841", "Russia", "Ales Bialiatski"), True),
        (("REJECT", "1243", "Russia", "Ales Bialiatski"), False)]


def test_extract_unidentified_attackers_of_the_place(nlp):
    events, _ = facts_of(nlp, "A roadside bombing near Kirkuk killed two Iraqi soldiers on Sunday.")
    assert [(f.source.role, f.source.country, f.target.country) for f in events
            if f.type == "ASSAULT" and f.cameo == "180"] == [("UAF", "IRQ", "IRQ")]


def test_extract_nationality_adjectives_of_an_event_noun(nlp):
    events, _ = facts_of(nlp, "Palestinian riots against Israeli military policies continued.")
    assert [summary(f) for f in events] == [("PROTEST", "145", "Palestine", "Israel")]


def test_extract_example_in_apposition_is_not_the_whole(nlp):
    events, _ = facts_of(nlp, "Norway sent eight Russians home, among them Vadim Krasikov.")
    assert [summary(f) for f in events] == [("CONCEDE", "0841", "Norway", "Russia")]


def test_extract_undated_past_events_take_the_day_of_the_story(nlp):
    events, _ = facts_of(nlp, "The two men landed in Washington late on Thursday. Russia released them "
                              "after talks in Ankara.", date="2024-08-02")
    assert [(f.type, f.date) for f in events if f.type == "CONCEDE"] == [("CONCEDE", "2024-08-01")]


def test_extract_a_story_day_older_than_a_week_is_not_carried(nlp):
    events, _ = facts_of(nlp, "The talks opened on May 3. Russia released the two men.", date="2024-08-02")
    assert [(f.type, f.date) for f in events if f.type == "CONCEDE"] == [("CONCEDE", "2024-08-02")]


@pytest.mark.parametrize(("text", "day"), [
    ("late on Thursday", "2024-08-01"), ("Thursday evening", "2024-08-01"), ("last month to", "2024-07"),
    ("earlier this week", None), ("on Saturday", "2024-07-27"), ("Friday", "2024-08-02"),
    ("yesterday", "2024-08-01")])
def test_resolve_date_parts_of_days_and_span_tails(text, day):
    assert resolve_date(text, "2024-08-02") == day


@pytest.mark.parametrize("month", ["January", "Feb.", "Feb", "March", "Aug.", "Sept.", "Sept", "Sep",
                                   "December", "july"])
def test_resolve_date_month_names_like_dateparser(month):
    """Month names are resolved without dateparser, to the same answers (a year back when
    the year is left out), on both sides of the article's month and day, leap days too."""
    texts = [month, f"{month} 2022", f"{month} 29", f"{month} 1", f"{month} 15, 2021", f"3 {month} 2023"]
    for anchor in ("2023-01-01", "2024-02-29", "2024-03-01", "2025-08-15", "2025-12-31"):
        assert [resolve_date(t, anchor) for t in texts] == [_dateparser_date(t, anchor) for t in texts]


@pytest.mark.parametrize("text", ["last week", "this week", "next week", "last month", "this month",
                                  "next month", "last week's", "Last Month"])
def test_resolve_date_last_this_next_week_or_month_like_dateparser(text):
    for anchor in ("2023-01-01", "2024-02-29", "2024-03-31", "2025-08-15", "2025-12-31"):
        assert resolve_date(text, anchor) == _dateparser_date(text, anchor)


def test_extract_saying_another_must_act_is_a_demand(nlp):
    events, _ = facts_of(nlp, "Hosni Mubarak said the United States must be ready to mediate.")
    assert ("REQUEST", "100", "Hosni Mubarak", "United States") in [summary(f) for f in events]
    assert not [f for f in events if f.type == "AGREE"]  # an obligation is not a commitment


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Russia launched dozens of drones at Kyiv overnight.", 24.0, "drone"),  # a vague amount: its lower bound
    ("The United States approved $1.2 billion in aid for Ukraine.", 1.2e9, "USD"),
    ("Belarus released 52 prisoners.", 52.0, "prisoner")])
def test_extract_quantities(nlp, text, value, unit):
    events, _ = facts_of(nlp, text)
    assert [(f.quantity.value, f.quantity.unit) for f in events if f.quantity] == [(value, unit)]


def test_extract_people_without_nationality_belong_to_the_place(nlp):
    events, _ = facts_of(nlp, "Hundreds of protesters rallied against Aleksandar Vucic in Belgrade.")
    assert [(f.source.country, f.source.role, f.target.name) for f in events] == [
        ("SRB", "CVL", "Aleksandar Vucic")]

