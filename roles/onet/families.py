"""Which family an imported occupation lands in: one per SOC 2018 major group (the first two
digits of its code). Curated roles keep the family their editors chose."""

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

# Until families are editable data (a model with one family per major group), imported roles
# share the curated families' fixed choices: the nearest one, else Operations.
_INTERIM = {
    "11": Family.OPERATIONS,
    "13": Family.ANALYSIS,
    "15": Family.ANALYSIS,
    "41": Family.SALES_CLIENT,
}


def family_for_major_group(code: str) -> str:
    """The family for SOC major group `code` ("13"), for an imported role."""
    if code not in SOC_MAJOR_GROUPS:
        raise ValueError(f"{code!r} is not a SOC 2018 major group")
    return _INTERIM.get(code, Family.OPERATIONS).value
