"""Which family an imported occupation lands in: one per SOC 2018 major group (the first two
digits of its code). Curated roles keep the family their editors chose."""

from django.db.models import Max
from django.utils.text import slugify

from roles.models import Family

# The 23 major groups of the 2018 Standard Occupational Classification, without the trailing
# "Occupations" every one of them carries.
SOC_MAJOR_GROUPS = {
    "11": "Management",
    "13": "Business and Financial Operations",
    "15": "Computer and Mathematical",
    "17": "Architecture and Engineering",
    "19": "Life, Physical, and Social Science",
    "21": "Community and Social Service",
    "23": "Legal",
    "25": "Educational Instruction and Library",
    "27": "Arts, Design, Entertainment, Sports, and Media",
    "29": "Healthcare Practitioners and Technical",
    "31": "Healthcare Support",
    "33": "Protective Service",
    "35": "Food Preparation and Serving Related",
    "37": "Building and Grounds Cleaning and Maintenance",
    "39": "Personal Care and Service",
    "41": "Sales and Related",
    "43": "Office and Administrative Support",
    "45": "Farming, Fishing, and Forestry",
    "47": "Construction and Extraction",
    "49": "Installation, Maintenance, and Repair",
    "51": "Production",
    "53": "Transportation and Material Moving",
    "55": "Military Specific",
}


def family_for_major_group(code: str) -> Family:
    """The family imported occupations of SOC major group `code` ("13") land in: the one whose
    `soc_major_group` it is (an editor may have renamed or moved it, or given the group to a
    curated family), else a new one named for the group, after the editors' families in SOC
    order."""
    if code not in SOC_MAJOR_GROUPS:
        raise ValueError(f"{code!r} is not a SOC 2018 major group")
    family = Family.objects.filter(soc_major_group=code).first()
    if family is not None:
        return family
    curated_last = (
        Family.objects.filter(soc_major_group__isnull=True).aggregate(last=Max("position"))["last"]
        or 0
    )
    name = SOC_MAJOR_GROUPS[code]
    taken = set(Family.objects.values_list("name", flat=True))
    if name in taken:  # an editors' family already has the name
        name = f"{name} (SOC {code})"
    slug, number = slugify(name), 2
    while Family.objects.filter(slug=slug).exists():
        slug = f"{slugify(name)}-{number}"
        number += 1
    return Family.objects.create(
        slug=slug,
        name=name,
        soc_major_group=code,
        position=curated_last + 1 + list(SOC_MAJOR_GROUPS).index(code),
    )
