"""The editorial rules the starter content keeps (issue 21): one audience (American English), one
capitalization rule for role names, alternative titles that name the same job, guides whose steps,
reading lists and acronyms are their own, complete certification facts, and coverage: every
starter role in a curated comparison or guide, with an O*NET-SOC code where a close one exists.
Most checks read the YAML document itself, so a failure names the record to fix."""

import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.text import slugify

from roles.content_io import STARTER_CONTENT_DIR, content_import, content_read_directory
from roles.models import FAQ, Comparison, Guide, Role, RoleSkill, Skill
from tests.helpers import SEED_FAQ_QUESTIONS, SEED_TABLE

DOCUMENT = content_read_directory(STARTER_CONTENT_DIR)
ROLES = {role["slug"]: role for role in DOCUMENT["roles"]}

# Keys whose values are identifiers or links, not prose (a comparison's "roles" is a pair of
# slugs; the document's "roles" section is prose and is read).
NOT_PROSE = {"slug", "url", "from", "to", "family", "onet_code", "difficulty"}

# British spellings and terms, each with the American form the site uses.
BRITISH = {
    r"programmes?": "program",
    r"organis\w*": "organiz-",
    r"prioritis\w*": "prioritiz-",
    r"realis(e|ed|es|ing|ation)": "realiz-",
    r"recognis\w*": "recogniz-",
    r"utilis\w*": "utiliz-",
    r"maximis\w*": "maximiz-",
    r"minimis\w*": "minimiz-",
    r"optimis\w*": "optimiz-",
    r"summaris\w*": "summariz-",
    r"specialis(e|ed|es|ing)": "specializ-",
    r"emphasis(e|ed|es|ing)": "emphasiz-",
    r"standardis\w*": "standardiz-",
    r"analys(e|ed|ing)": "analyz-",
    r"centres?|centred": "center",
    r"colours?": "color",
    r"favour\w*": "favor",
    r"behaviours?": "behavior",
    r"labour": "labor",
    r"honour\w*": "honor",
    r"defence": "defense",
    r"licence": "license",
    r"catalogue": "catalog",
    r"judgement": "judgment",
    r"scepti\w*": "skepti-",
    r"towards": "toward",
    r"(up|after|on|back)wards": "-ward",
    r"steering groups?": "steering committee",
    r"whilst": "while",
    r"amongst": "among",
    r"learnt": "learned",
    r"enrol(s|ment)?": "enroll",
    r"travell\w*": "travel-",
    r"modelling": "modeling",
    r"practis(e|ed|es|ing)": "practice",
    r"fulfil": "fulfill",
    r"CVs?": "résumé",
    r"job adverts?": "job posting",
    r"one-to-ones?": "one-on-one",
    r"rotas?": "schedule",
    r"kick-off": "kickoff",
    r"fortnight\w*": "two weeks",
    r"maths": "math",
    r"mobile phones?": "cell phone",
    r"graduate schemes?": "entry-level program",
    r"pounds|£": "dollars",
    r"sizeable": "sizable",
    r"enquir\w*": "inquir-",
    r"per cent": "percent",
    r"bespoke": "custom",
    r"timescales?": "timeline",
    r"tick(ed|ing)? off": "check off",
    r"(delivery|hybrid|executive) posts?": "job",
}
BRITISH_PATTERN = re.compile(r"\b(" + "|".join(BRITISH) + r")\b")
# Proper names keep their own spelling.
PROPER_NAMES = ["Managing Successful Programmes"]

ROLE_NAMES = sorted((role["name"] for role in DOCUMENT["roles"]), key=len, reverse=True)
# Names that contain a role's name but are something else: organizations, credentials, standards.
NAMES_CONTAINING_ROLES = [
    "Project Management Institute",
    "Project Management Professional",
    "Project Management Specialists",
    "Certified Associate in Project Management",
    "Standard for Program Management",
    "Program Management Professional",
    "Professional Scrum Master",
    "Professional Scrum Product Owner",
    "Certified Scrum Product Owner",
]

# Acronyms that stand for more than one thing in this field. A guide that uses one may mention
# only one of its meanings, so the reader never has to guess.
AMBIGUOUS_ACRONYMS = {
    "CSM": ("customer success manager", "certified scrummaster"),
    "PM": ("project manager", "product manager", "program manager"),
    "PO": ("product owner", "purchase order"),
    "AE": ("account executive", "account engineer"),
    "SE": ("solutions engineer", "software engineer", "sales engineer"),
}

# Roles with no close O*NET-SOC occupation, and why; every other role must carry a code.
WITHOUT_OCCUPATION = {
    "account-manager": "sales representatives win sales; no occupation keeps accounts",
    "delivery-manager": "IT Project Managers (15-1299.09) run projects, not a flow of delivery",
    "customer-success-manager": "O*NET has no customer success occupation",
    "business-development-manager": "Sales Managers (11-2022.00) is the sales manager's",
    "program-manager": "Project Management Specialists (13-1082.00) is the project manager's",
    "scrum-master": "O*NET has no agile coaching occupation",
    "product-manager": "O*NET has no product management occupation",
    "product-owner": "O*NET has no product management occupation",
    "project-coordinator": "Project Management Specialists (13-1082.00) is the project manager's",
    "sales-development-representative": "the services sales occupation is the account executive's",
}


def _strings(node, where="", key=""):
    """Every piece of prose in the document, with where it is."""
    pair = key == "roles" and isinstance(node, list) and all(isinstance(s, str) for s in node)
    if key in NOT_PROSE or pair:
        return
    if isinstance(node, str):
        yield where, key, node
    elif isinstance(node, dict):
        for child_key, value in node.items():
            yield from _strings(value, f"{where}.{child_key}", str(child_key))
        # A mapping's keys are prose where they are skill names.
        if key == "skills":
            for child_key in node:
                yield f"{where}.{child_key}", "skill", str(child_key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{where}[{index}]", key)


def _guide_label(guide):
    return f"{guide['from']}-to-{guide['to']}"


def _guide_text(guide) -> str:
    return " ".join(text for _where, _key, text in _strings(guide)).lower()


def _british_words(text: str) -> list[str]:
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    return [match.group(0) for match in BRITISH_PATTERN.finditer(text)]


# --- Audience ---


def test_every_section_of_the_document_is_read():
    read = {where.split("[")[0] for where, _key, _text in _strings(DOCUMENT)}
    assert {".skills", ".criteria", ".roles", ".comparisons", ".guides", ".faqs"} <= read


def test_the_spelling_list_catches_british_english():
    """The list must be able to fail: British text is caught, its American form is not."""
    assert _british_words("The programme organiser sent her CV towards the kick-off.") == [
        "programme",
        "organiser",
        "CV",
        "towards",
        "kick-off",
    ]
    assert _british_words("The program organizer sent her résumé toward the kickoff.") == []
    assert _british_words("Managing Successful Programmes (MSP)") == []


def test_all_starter_text_is_american_english():
    found = [
        f"{where}: {word!r} (write {BRITISH[next(p for p in BRITISH if re.fullmatch(p, word))]})"
        for where, _key, text in _strings(DOCUMENT)
        for word in _british_words(text)
    ]
    assert not found, "\n".join(found)


def _capitalized_role_names(text: str) -> list[str]:
    """Role names written in title case where they are not the first words of a sentence."""
    for name in NAMES_CONTAINING_ROLES:
        text = text.replace(name, "")
    found = []
    for name in ROLE_NAMES:
        for match in re.finditer(rf"\b{re.escape(name)}s?\b", text):
            before = text[: match.start()].rstrip(" *\"'(")
            if before and not before.endswith((".", "?", "!", ":", "\n")):
                found.append(match.group(0))
    return found


def test_the_capitalization_check_can_fail():
    assert _capitalized_role_names("Ask any Project Manager.") == ["Project Manager"]
    assert _capitalized_role_names("Project managers plan. Ask a project manager.") == []
    assert _capitalized_role_names("PMI's Certified Associate in Project Management") == []


def test_role_names_are_lowercase_in_running_text():
    """One rule: a role's name is a common noun in prose ("a project manager"), capitalized only
    as a name (role names, titles, headings) and in the seed's own table cells and questions,
    which stay word for word as the article has them."""
    seed = {cell for pair in SEED_TABLE.values() for cell in pair} | set(SEED_FAQ_QUESTIONS)
    found = [
        f"{where}: {name}"
        for where, key, text in _strings(DOCUMENT)
        if key not in {"name", "title", "alternative_titles", "skill"} and text not in seed
        for name in _capitalized_role_names(text)
    ]
    assert not found, "\n".join(found)


# --- Alternative titles ---


def test_alternative_titles_never_name_another_role():
    """An alternative title is another name for the same job: never another starter role's name
    or title, nor the role's own name."""
    owners = defaultdict(set)
    for role in DOCUMENT["roles"]:
        owners[role["name"].casefold()].add(role["slug"])
        for title in role.get("alternative_titles", []):
            owners[title.casefold()].add(role["slug"])
    problems = []
    for role in DOCUMENT["roles"]:
        titles = [title.casefold() for title in role.get("alternative_titles", [])]
        if role["name"].casefold() in titles:
            problems.append(f"{role['slug']}: lists its own name")
        for title in titles:
            others = owners[title] - {role["slug"]}
            if others:
                problems.append(f"{role['slug']}: {title!r} also names {sorted(others)}")
    assert not problems, "\n".join(problems)


# --- Guides ---


def test_no_step_appears_in_two_guides():
    """Each step is written for its own move: no title or text is shared by two steps."""
    seen = {}
    problems = []
    for guide in DOCUMENT["guides"]:
        for index, step in enumerate(guide["steps"], start=1):
            for part in ("title", "body"):
                text = " ".join(step[part].split()).casefold()
                where = f"{_guide_label(guide)} step {index} {part}"
                if text in seen:
                    problems.append(f"{where} repeats {seen[text]}")
                seen.setdefault(text, where)
    assert not problems, "\n".join(problems)


def test_no_two_guides_recommend_the_same_reading():
    """Books and standards are named in italics; each appears in one guide only."""
    readers = defaultdict(set)
    for guide in DOCUMENT["guides"]:
        for title in re.findall(r"(?<!\*)\*([^*\n]+)\*(?!\*)", _guide_text(guide)):
            readers[title].add(_guide_label(guide))
    assert readers, "the guides recommend no reading at all"
    shared = {title: sorted(guides) for title, guides in readers.items() if len(guides) > 1}
    assert not shared


def test_every_guide_has_references():
    assert [_guide_label(g) for g in DOCUMENT["guides"] if not g.get("references")] == []


def _acronym_clashes(text: str) -> list[str]:
    text = text.lower()
    clashes = []
    for acronym, meanings in AMBIGUOUS_ACRONYMS.items():
        if re.search(rf"\b{acronym.lower()}s?\b", text):
            present = [meaning for meaning in meanings if meaning in text]
            if len(present) > 1:
                clashes.append(f"{acronym}: {present}")
    return clashes


def test_the_acronym_check_can_fail():
    text = "A customer success manager (CSM) can take the Certified ScrumMaster (CSM) exam."
    assert _acronym_clashes(text) == ["CSM: ['customer success manager', 'certified scrummaster']"]
    assert _acronym_clashes("A customer success manager (CSM) owns adoption.") == []


def test_no_acronym_has_two_meanings_in_one_guide():
    problems = [
        f"{_guide_label(guide)}: {clash}"
        for guide in DOCUMENT["guides"]
        for clash in _acronym_clashes(_guide_text(guide))
    ]
    assert not problems, "\n".join(problems)


def test_every_statement_of_the_pmp_requirements_is_complete():
    """Where a text gives the PMP's requirements, it gives all of them: 35 contact hours of
    project management education, and 36 months of leading projects with a four-year degree or
    60 months without one."""
    problems = []
    for where, _key, text in _strings(DOCUMENT):
        flat = " ".join(text.split())
        for sentence in re.split(r"(?<=[.;])\s+", flat):
            if "PMP" in sentence and re.search(r"\b(months|years|hours)\b", sentence):
                context = flat[flat.index(sentence) :][:400]
                missing = [
                    fact
                    for fact in ("35 contact hours", "36 months", "60 months")
                    if fact not in context
                ]
                if missing:
                    problems.append(f"{where}: {sentence[:90]!r} lacks {missing}")
    assert not problems, "\n".join(problems)


def test_faq_questions_are_unique_so_none_is_lost():
    """An FAQ is found by the slug of its question: two equal questions would be one FAQ."""
    questions = [faq["question"] for faq in DOCUMENT["faqs"]]
    for topic in (*DOCUMENT["comparisons"], *DOCUMENT["guides"]):
        questions += [faq["question"] for faq in topic.get("faqs", [])]
    slugs = [slugify(question)[:120] for question in questions]
    assert sorted({s for s in slugs if slugs.count(s) > 1}) == []


# --- Coverage ---


def test_every_starter_role_is_in_a_curated_comparison_or_guide():
    covered = {slug for c in DOCUMENT["comparisons"] for slug in c["roles"]}
    covered |= {g[end] for g in DOCUMENT["guides"] for end in ("from", "to")}
    assert sorted(set(ROLES) - covered) == []


def test_the_comparisons_and_guides_people_search_for_are_curated():
    pairs = {tuple(sorted(c["roles"])) for c in DOCUMENT["comparisons"]}
    for pair in [
        ("product-manager", "product-owner"),
        ("account-executive", "account-manager"),
        ("business-analyst", "project-manager"),
        ("operations-manager", "project-manager"),
        ("business-analyst", "data-analyst"),
    ]:
        assert pair in pairs
    moves = {(g["from"], g["to"]) for g in DOCUMENT["guides"]}
    for move in [
        ("project-coordinator", "project-manager"),
        ("sales-development-representative", "account-executive"),
        ("customer-success-manager", "account-manager"),
        ("business-analyst", "product-owner"),
    ]:
        assert move in moves


def test_every_role_has_an_onet_code_unless_none_is_close():
    without = {slug for slug, role in ROLES.items() if not role.get("onet_code")}
    assert without == set(WITHOUT_OCCUPATION)
    codes = [role["onet_code"] for role in ROLES.values() if role.get("onet_code")]
    assert len(codes) == len(set(codes))  # one role per occupation


def test_the_onet_codes_name_real_occupations():
    """Checked against the O*NET occupation list where it is at hand (beside the repository)."""
    listing = STARTER_CONTENT_DIR.parents[2].parent / "shared" / "data" / "real"
    path = Path(listing) / "Occupation Data.txt"
    if not path.exists():
        pytest.skip("the O*NET occupation list is not beside the repository")
    titles = dict(
        line.split("\t")[:2] for line in path.read_text(encoding="utf-8").splitlines()[1:]
    )
    expected = {
        "account-executive": "Sales Representatives of Services",
        "sales-manager": "Sales Managers",
        "solutions-engineer": "Sales Engineers",
        "project-manager": "Project Management Specialists",
        "business-analyst": "Computer Systems Analysts",
        "management-consultant": "Management Analysts",
        "operations-manager": "General and Operations Managers",
        "data-analyst": "Business Intelligence Analysts",
    }
    assert {
        slug: titles[role["onet_code"]] for slug, role in ROLES.items() if role.get("onet_code")
    }
    for slug, title in expected.items():
        assert titles[ROLES[slug]["onet_code"]].startswith(title), slug


# --- Loading (issue 21 point 4) ---


@pytest.mark.django_db
def test_a_fresh_database_gets_everything():
    call_command("load_starter_content", verbosity=0)
    assert set(Role.objects.published().values_list("slug", flat=True)) == set(ROLES)
    assert Comparison.objects.published().count() == len(DOCUMENT["comparisons"])
    assert Guide.objects.published().count() == len(DOCUMENT["guides"])
    for slug, role in ROLES.items():
        assert Role.objects.get(slug=slug).onet_code == role.get("onet_code"), slug


def _earlier_release():
    """The starter content as an existing site loaded it before issue 21: without the new roles
    and the topics that use them, and with the skills' old names."""
    old_roles = set(ROLES) - {
        "project-coordinator",
        "data-analyst",
        "sales-development-representative",
        "solutions-engineer",
    }
    renamed = {"Prioritization": "Prioritisation", "Managing direct reports": "People management"}
    skills = []
    for skill in DOCUMENT["skills"]:
        if isinstance(skill, dict) and skill["name"] in renamed:
            skill = {**skill, "name": renamed[skill["name"]]}
        skills.append(skill)
    roles = [
        {**role, "skills": {renamed.get(k, k): v for k, v in role.get("skills", {}).items()}}
        for role in DOCUMENT["roles"]
        if role["slug"] in old_roles
    ]
    return {
        **DOCUMENT,
        "skills": skills,
        "roles": roles,
        "comparisons": [c for c in DOCUMENT["comparisons"] if set(c["roles"]) <= old_roles],
        "guides": [g for g in DOCUMENT["guides"] if {g["from"], g["to"]} <= old_roles],
    }


@pytest.mark.django_db
def test_an_existing_database_gains_the_new_content_and_keeps_the_editors_changes():
    content_import(data=_earlier_release())
    edited = Role.objects.get(slug="account-manager")
    edited.summary = "Written by an editor"
    edited.alternative_titles = "Key Account Manager"  # an editor may disagree with the review
    edited.save()
    Skill.objects.filter(slug="prioritisation").update(name="Prioritising (editor)")
    before = set(FAQ.objects.values_list("slug", "answer"))

    call_command("load_starter_content", verbosity=0)

    edited.refresh_from_db()
    assert edited.summary == "Written by an editor"
    assert edited.alternative_title_list == ["Key Account Manager"]
    assert before <= set(FAQ.objects.values_list("slug", "answer"))
    # The new content is there.
    assert set(Role.objects.values_list("slug", flat=True)) == set(ROLES)
    assert Comparison.objects.count() == len(DOCUMENT["comparisons"])
    assert Guide.objects.count() == len(DOCUMENT["guides"])
    # A renamed skill is still one skill, under the editor's name, and the roles rate it once.
    assert Skill.objects.filter(slug="prioritisation").get().name == "Prioritising (editor)"
    assert not Skill.objects.filter(slug="prioritization").exists()
    assert not Skill.objects.filter(slug="managing-direct-reports").exists()
    product_owner = RoleSkill.objects.filter(
        role__slug="product-owner", skill__slug="prioritisation"
    )
    assert product_owner.count() == 1
    assert RoleSkill.objects.filter(role__slug="data-analyst").count() == len(
        ROLES["data-analyst"]["skills"]
    )
