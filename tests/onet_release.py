"""A synthetic O*NET text release of any size, in the official layout (tab-delimited UTF-8, one
header row, the columns a 30.x release has), for tests and benchmarks that need the full size:
`write_release(tmp_path, occupations=1000)` makes about what O*NET ships (1,016 occupations,
56,500 alternate titles, 20,000 tasks, 35 skills and 33 knowledge areas rated on two scales,
technology, Job Zones, related occupations and Work Context). Deterministic: the same arguments
always write the same bytes. Generated at test time, never committed.

The titles begin with words spread over TITLE_WORDS, as real ones begin with many different
words: a search's prefix range (roles/search.py) then reads about a sixtieth of them, not all,
which is what it would read if every title began with the same word."""

import random
import zipfile
from pathlib import Path

SKILL_IDS = [
    *(f"2.A.1.{c}" for c in "abcdef"),
    *(f"2.A.2.{c}" for c in "abcd"),
    *(f"2.B.1.{c}" for c in "abcdef"),
    "2.B.2.i",
    *(f"2.B.3.{c}" for c in "abcdeghjklm"),
    *(f"2.B.4.{c}" for c in "egh"),
    *(f"2.B.5.{c}" for c in "abcd"),
]
KNOWLEDGE_IDS = [f"2.C.{group}.{c}" for group in range(1, 12) for c in "abc"]
SOC_GROUPS = [
    "11", "13", "15", "17", "19", "21", "23", "25", "27", "29", "31", "33",
    "35", "37", "39", "41", "43", "45", "47", "49", "51", "53", "55",
]  # fmt: skip
# The Work Context elements the criteria read, then fillers up to O*NET's 57.
CONTEXT_USED = {
    "4.C.1.a.4": "Contact With Others",
    "4.C.1.b.1.e": "Work With or Contribute to a Work Group or Team",
    "4.C.1.b.1.f": "Deal With External Customers or the Public in General",
    "4.C.1.b.1.g": "Coordinate or Lead Others in Accomplishing Work Activities",
    "4.C.2.a.1.a": "Indoors, Environmentally Controlled",
    "4.C.2.a.1.b": "Indoors, Not Environmentally Controlled",
    "4.C.2.a.1.c": "Outdoors, Exposed to All Weather Conditions",
    "4.C.2.a.1.d": "Outdoors, Under Cover",
}
WORK_WEEK = "4.C.3.d.8"
TIERS = ["Primary-Short"] * 5 + ["Primary-Long"] * 5 + ["Supplemental"] * 10
DATE = "08/2025"
# fmt: off
TASK_HEADER = [
    "O*NET-SOC Code", "Title", "Task ID", "Task", "Task Type",
    "Incumbents Responding", "Date", "Domain Source",
]
TECH_HEADER = [
    "O*NET-SOC Code", "Title", "Example", "Commodity Code", "Commodity Title",
    "Hot Technology", "In Demand",
]
RELATED_HEADER = [
    "O*NET-SOC Code", "Title", "Related O*NET-SOC Code", "Related Title",
    "Relatedness Tier", "Index",
]
CONTEXT_HEADER = [
    "O*NET-SOC Code", "Title", "Element ID", "Element Name", "Scale ID", "Scale Name",
    "Category", "Data Value", "N", "Standard Error", "Lower CI Bound", "Upper CI Bound",
    "Recommend Suppress", "Not Relevant", "Date", "Domain Source",
]
RATING_HEADER = [
    "O*NET-SOC Code", "Title", "Element ID", "Element Name", "Scale ID", "Scale Name",
    "Data Value", "N", "Standard Error", "Lower CI Bound", "Upper CI Bound",
    "Recommend Suppress", "Not Relevant", "Date", "Domain Source",
]
ZONE_WORDS = [
    ("One", "Little or No"), ("Two", "Some"), ("Three", "Medium"),
    ("Four", "Considerable"), ("Five", "Extensive"),
]
# The first words of the titles: each begins about one title in sixty.
TITLE_WORDS = [
    "Senior", "Lead", "Assistant", "Chief", "Junior", "Principal", "Staff", "Associate",
    "Regional", "Field", "Technical", "Clinical", "Project", "Program", "Operations", "Research",
    "Quality", "Customer", "Sales", "Account", "Service", "Production", "Maintenance", "Office",
    "Financial", "Marketing", "Medical", "Laboratory", "Construction", "Design", "Data",
    "Systems", "Network", "Security", "Training", "Safety", "Plant", "Shift", "Warehouse",
    "Transport", "Retail", "Food", "Public", "Community", "Student", "Legal", "Court",
    "Environmental", "Energy", "Water", "Agricultural", "Forest", "Marine", "Aircraft",
    "Vehicle", "Machine", "Electrical", "Mechanical", "Chemical", "Civil",
]
# fmt: on


def occupation_codes(count: int) -> list[str]:
    """`count` distinct, valid O*NET-SOC codes spread over the 23 SOC major groups."""
    return [
        f"{SOC_GROUPS[i % len(SOC_GROUPS)]}-{1000 + i // len(SOC_GROUPS):04d}.{i % 3:02d}"
        for i in range(count)
    ]


def write_release(
    path: Path,
    occupations: int = 1000,
    *,
    alternate_titles: int = 56,
    reported_titles: int = 10,
    tasks: int = 20,
    technologies: int = 30,
    related: int = 20,
    work_context_elements: int = 57,
    release: str = "30.1",
    as_zip: bool = False,
    seed: int = 17,
) -> Path:
    """Write the release under `path` as db_<release>_text/ (or its .zip); return that path."""
    rng = random.Random(seed)
    name = f"db_{release.replace('.', '_')}_text"
    folder = path / name
    folder.mkdir(parents=True, exist_ok=True)
    codes = occupation_codes(occupations)
    related_count = min(related, len(codes) - 1)
    titles = {code: f"Synthetic Occupation {i:04d} Specialists" for i, code in enumerate(codes)}

    def write(file: str, header: list[str], rows) -> None:
        with open(folder / file, "w", encoding="utf-8", newline="") as out:
            out.write("\t".join(header) + "\r\n")
            for row in rows:
                out.write("\t".join(map(str, row)) + "\r\n")

    write(
        "Occupation Data.txt",
        ["O*NET-SOC Code", "Title", "Description"],
        (
            (
                code,
                titles[code],
                f"Plan, coordinate and review the work of synthetic occupation {i}. "
                "Report progress to managers and keep records of the work done.",
            )
            for i, code in enumerate(codes)
        ),
    )
    write(
        "Alternate Titles.txt",
        ["O*NET-SOC Code", "Title", "Alternate Title", "Short Title", "Source(s)"],
        (
            (
                code,
                titles[code],
                f"{TITLE_WORDS[(i + n) % len(TITLE_WORDS)]} Title {i:04d}-{n:02d}",
                "n/a" if n else "ATS",
                "08",
            )
            for i, code in enumerate(codes)
            for n in range(alternate_titles)
        ),
    )
    write(
        "Sample of Reported Titles.txt",
        ["O*NET-SOC Code", "Title", "Reported Job Title", "Shown in My Next Move"],
        (
            (
                code,
                titles[code],
                f"{TITLE_WORDS[(i + n + 30) % len(TITLE_WORDS)]} Reported Title {i:04d}-{n:02d}",
                "Y" if n < 4 else "N",
            )
            for i, code in enumerate(codes)
            for n in range(reported_titles)
        ),
    )
    write(
        "Task Statements.txt",
        TASK_HEADER,
        (
            (
                code,
                titles[code],
                100_000 + i * tasks + n,
                f"Carry out task {n} of occupation {i}, checking the results against the plan.",
                "Core" if n % 3 else "Supplemental",
                30,
                DATE,
                "Incumbent",
            )
            for i, code in enumerate(codes)
            for n in range(tasks)
        ),
    )

    def ratings(ids: list[str], label: str):
        for code in codes:
            for element in ids:
                importance = rng.randint(100, 500) / 100
                level = rng.randint(0, 700) / 100
                not_relevant = "Y" if importance < 1.2 else "N"
                meta = ("8", "0.2000", "3.1000", "4.2000")
                name = f"{label} {element}"
                yield (code, titles[code], element, name, "IM", "Importance",
                       f"{importance:.2f}", *meta, "N", "n/a", DATE, "Analyst")  # fmt: skip
                yield (code, titles[code], element, name, "LV", "Level",
                       f"{level:.2f}", *meta, "N", not_relevant, DATE, "Analyst")  # fmt: skip

    write("Skills.txt", RATING_HEADER, ratings(SKILL_IDS, "Skill"))
    write("Knowledge.txt", RATING_HEADER, ratings(KNOWLEDGE_IDS, "Knowledge area"))
    write(
        "Technology Skills.txt",
        TECH_HEADER,
        (
            (
                code,
                titles[code],
                f"Software Package {(i * 7 + n) % 900:03d}",
                43230000 + n,
                f"Software category {n % 12}",
                "Y" if n % 4 == 0 else "N",
                "Y" if n % 9 == 0 else "N",
            )
            for i, code in enumerate(codes)
            for n in range(technologies)
        ),
    )
    write(
        "Job Zones.txt",
        ["O*NET-SOC Code", "Title", "Job Zone", "Date", "Domain Source"],
        ((code, titles[code], i % 5 + 1, DATE, "Analyst") for i, code in enumerate(codes)),
    )
    write(
        "Job Zone Reference.txt",
        ["Job Zone", "Name", "Experience", "Education", "Job Training", "Examples", "SVP Range"],
        (
            (
                n,
                f"Job Zone {word}: {how} Preparation Needed",
                f"Experience {n}.",
                f"Education {n}.",
                f"Training {n}.",
                f"Examples {n}.",
                f"({n}.0)",
            )
            for n, (word, how) in enumerate(ZONE_WORDS, start=1)
        ),
    )
    write(
        "Related Occupations.txt",
        RELATED_HEADER,
        (
            (code, titles[code], other, titles[other], TIERS[n], n + 1)
            for i, code in enumerate(codes)
            for n, other in enumerate(
                codes[(i + step) % len(codes)] for step in range(1, related_count + 1)
            )
        ),
    )
    context_ids = [*CONTEXT_USED, WORK_WEEK]
    context_ids += [f"4.C.9.z.{n}" for n in range(max(0, work_context_elements - len(context_ids)))]
    context_ids = context_ids[:work_context_elements]

    def context():
        for code in codes:
            for element in context_ids:
                name = CONTEXT_USED.get(element) or (
                    "Duration of Typical Work Week"
                    if element == WORK_WEEK
                    else f"Context element {element}"
                )
                meta = ("25", "0.1500", "3.9000", "4.6000", "N", "n/a", DATE, "Incumbent")
                if element == WORK_WEEK:
                    yield (code, titles[code], element, name, "CT", "Context", "n/a",
                           f"{rng.randint(100, 300) / 100:.2f}", *meta)  # fmt: skip
                    scale, categories = "CTP", 3
                else:
                    yield (code, titles[code], element, name, "CX", "Context", "n/a",
                           f"{rng.randint(100, 500) / 100:.2f}", *meta)  # fmt: skip
                    scale, categories = "CXP", 5
                shares = [rng.random() for _ in range(categories)]
                for category, share in enumerate(shares, start=1):
                    yield (code, titles[code], element, name, scale, "Context (Categories)",
                           category, f"{100 * share / sum(shares):.2f}", *meta)  # fmt: skip

    write(
        "Work Context.txt",
        CONTEXT_HEADER,
        context(),
    )
    if not as_zip:
        return folder
    return zip_folder(folder, path / f"{name}.zip")


def zip_folder(folder: Path, target: Path) -> Path:
    """Zip a release folder the way O*NET ships it: its files inside a folder of its name."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            if file.suffix == ".txt":
                archive.write(file, f"{folder.name}/{file.name}")
    return target
