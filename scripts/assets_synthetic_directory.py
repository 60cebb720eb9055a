"""Write the synthetic community asset directory (jsna.assets demo data).

Every organisation and service below is invented for jsna, shaped like the
voluntary, community and faith sector the Westminster JSNA on Global Majority
communities (2024) describes (a church pantry, a Bangladeshi community society
with a health advocate, a Middle Eastern women's organisation, a community
trust running health-literacy workshops …). None is a real organisation.
Each location is a random point (fixed seed) inside its ward's boundary.

Run from the repository root:  python scripts/assets_synthetic_directory.py
Writes src/jsna/assets/data/synthetic_directory.json (Open Referral UK JSON).
"""

from __future__ import annotations

import json
import random
from importlib import resources
from pathlib import Path

from shapely.geometry import Point, shape

from jsna.assets.directory import COMMUNITY_VOCABULARY, SERVICE_TYPE_VOCABULARY, service_types

ALL = "All residents"
BENGALI = "Bengali (with Sylheti and Chatgaya)"
STEP_FREE = "Step-free access"
HEARING_LOOP = "Hearing loop"

# organisation, ward, communities, languages, accessibility, services:
#   (service name, service types, cost, opening times [(days, opens, closes)])
ORGANISATIONS = [
    (
        "Church Street Bangladeshi Welfare Society",
        "Church Street",
        ["Bangladeshi"],
        [BENGALI, "English"],
        [STEP_FREE],
        [
            (
                "Health advocate and interpreting",
                ["advice_advocacy", "health_checks"],
                "Free",
                [("MO,WE", "10:00", "16:00")],
            ),
            (
                "Over-55s exercise class",
                ["physical_activity", "social_connection"],
                "Free",
                [("TH", "11:00", "12:30")],
            ),
        ],
    ),
    (
        "Harrow Road Church Pantry",
        "Harrow Road",
        [ALL],
        ["English"],
        [STEP_FREE],
        [
            (
                "Pantry and warm welcome café",
                ["food_support", "social_connection"],
                "£3.50 a week",
                [("WE", "10:00", "14:00"), ("SA", "10:00", "13:00")],
            )
        ],
    ),
    (
        "Al-Nisa Middle Eastern Women's Centre",
        "Westbourne",
        ["Arab"],
        ["Arabic", "English"],
        [],
        [
            (
                "Advice, advocacy and hot meals",
                ["advice_advocacy", "food_support"],
                "Free",
                [("TU,TH", "10:00", "15:00")],
            ),
            (
                "Women's wellbeing circle",
                ["mental_health", "social_connection"],
                "Free",
                [("WE", "11:00", "13:00")],
            ),
        ],
    ),
    (
        "Westway Community Health Trust",
        "Harrow Road",
        ["Global Majority"],
        ["English", "Arabic", "Somali"],
        [STEP_FREE, HEARING_LOOP],
        [
            (
                "Health literacy workshops",
                ["health_information"],
                "Free",
                [("MO", "18:00", "20:00")],
            ),
            ("Blood pressure check drop-in", ["health_checks"], "Free", [("FR", "10:00", "13:00")]),
        ],
    ),
    (
        "Queen's Park Somali Parents Network",
        "Queen's Park",
        ["Black African"],
        ["Somali", "English"],
        [],
        [
            (
                "Parents' stay and play",
                ["maternity", "social_connection"],
                "Free",
                [("TU", "10:00", "12:00")],
            )
        ],
    ),
    (
        "Lisson Mosque Community Hall",
        "Church Street",
        ["Bangladeshi", "Pakistani", "Arab"],
        ["Arabic", BENGALI, "Urdu", "English"],
        [STEP_FREE],
        [
            (
                "Friday health table",
                ["health_checks", "health_information"],
                "Free",
                [("FR", "13:00", "15:00")],
            )
        ],
    ),
    (
        "Paddington Caribbean Elders Club",
        "Westbourne",
        ["Black Caribbean"],
        ["English"],
        [STEP_FREE],
        [
            (
                "Lunch club and dominoes",
                ["social_connection", "food_support"],
                "£2 a meal",
                [("TU,FR", "12:00", "15:00")],
            )
        ],
    ),
    (
        "Edgware Road Arabic Speakers' Forum",
        "Hyde Park",
        ["Arab"],
        ["Arabic"],
        [],
        [
            (
                "Men's health evenings",
                ["health_checks", "health_information"],
                "Free",
                [("TH", "19:00", "21:00")],
            )
        ],
    ),
    (
        "Maida Hill Family Hub",
        "Harrow Road",
        [ALL],
        ["English", "Arabic", "Portuguese"],
        [STEP_FREE, HEARING_LOOP],
        [
            (
                "Health visitor clinic",
                ["maternity", "vaccination"],
                "Free",
                [("MO,WE", "09:30", "12:00")],
            ),
            ("Healthy start cooking", ["weight_management"], "Free", [("TH", "10:00", "12:00")]),
        ],
    ),
    (
        "Westminster Chinese Community Centre",
        "West End",
        ["Chinese"],
        ["Cantonese", "Mandarin", "English"],
        [STEP_FREE],
        [
            (
                "Tai chi and wellbeing",
                ["physical_activity", "social_connection"],
                "£1 a session",
                [("MO,TH", "09:00", "10:30")],
            ),
            (
                "Health talks in Cantonese",
                ["health_information", "screening"],
                "Free",
                [("SA", "14:00", "16:00")],
            ),
        ],
    ),
    (
        "Pimlico Community Hub",
        "Pimlico South",
        [ALL],
        ["English", "Polish", "Spanish"],
        [STEP_FREE],
        [
            ("Coffee morning", ["social_connection"], "Free", [("WE", "10:00", "12:00")]),
            ("Stop smoking drop-in", ["stop_smoking"], "Free", [("TU", "17:00", "19:00")]),
        ],
    ),
    (
        "Churchill Gardens Tenants' Association",
        "Pimlico South",
        [ALL],
        ["English"],
        [],
        [("Estate health mornings", ["health_checks"], "Free", [("SA", "10:00", "12:00")])],
    ),
    (
        "Marylebone Lunch Club",
        "Marylebone",
        [ALL],
        ["English"],
        [STEP_FREE, HEARING_LOOP],
        [
            (
                "Older people's lunch club",
                ["social_connection", "food_support"],
                "£3 a meal",
                [("MO,WE,FR", "12:00", "14:00")],
            )
        ],
    ),
    (
        "Filipino Workers' Association London",
        "Marylebone",
        ["Asian other"],
        ["Tagalog", "English"],
        [],
        [
            (
                "Sunday wellbeing and screening talks",
                ["screening", "health_information"],
                "Free",
                [("SU", "14:00", "17:00")],
            )
        ],
    ),
    (
        "Latin American Women's Rights Circle",
        "St James's",
        ["Any other ethnic group"],
        ["Spanish", "Portuguese"],
        [STEP_FREE],
        [
            (
                "Advice and advocacy in Spanish",
                ["advice_advocacy"],
                "Free",
                [("TU,TH", "17:00", "20:00")],
            ),
            (
                "Saturday dance and wellbeing",
                ["physical_activity", "mental_health"],
                "Free",
                [("SA", "11:00", "13:00")],
            ),
        ],
    ),
    (
        "Bayswater Older People's Club",
        "Bayswater",
        [ALL],
        ["English"],
        [STEP_FREE],
        [("Coffee and company", ["social_connection"], "Free", [("TH", "10:00", "12:00")])],
    ),
    (
        "Eritrean Women's Coffee Circle",
        "Queen's Park",
        ["Black African"],
        ["Tigrinya", "English"],
        [],
        [
            (
                "Friday coffee ceremony",
                ["social_connection", "mental_health"],
                "Free",
                [("FR", "11:00", "14:00")],
            )
        ],
    ),
    (
        "Sudanese Families Association",
        "Harrow Road",
        ["Black African", "Arab"],
        ["Arabic", "English"],
        [],
        [
            (
                "Caseworker support",
                ["advice_advocacy", "mental_health"],
                "Free",
                [("MO,TH", "10:00", "16:00")],
            )
        ],
    ),
    (
        "Afghan Families Welcome",
        "Westbourne",
        ["Asian other"],
        ["Pashto", "Dari", "English"],
        [],
        [("Support worker service", ["advice_advocacy"], "Free", [("TU,WE", "10:00", "15:00")])],
    ),
    (
        "Westminster Carers Network",
        "Vincent Square",
        [ALL],
        ["English", "Gujarati", "Arabic", "Bengali (with Sylheti and Chatgaya)"],
        [STEP_FREE, HEARING_LOOP],
        [
            (
                "Carers' support and respite",
                ["carers", "mental_health"],
                "Free",
                [("MO,TU,WE,TH,FR", "09:00", "17:00")],
            )
        ],
    ),
    (
        "Queen's Park Youth Club",
        "Queen's Park",
        [ALL],
        ["English"],
        [STEP_FREE],
        [("Youth mental health drop-in", ["mental_health"], "Free", [("WE", "16:00", "19:00")])],
    ),
    (
        "Church Street Library Health Corner",
        "Church Street",
        [ALL],
        ["English", "Arabic", BENGALI],
        [STEP_FREE, HEARING_LOOP],
        [
            (
                "Health information corner",
                ["health_information"],
                "Free",
                [("MO,TU,WE,TH,FR", "10:00", "18:00")],
            )
        ],
    ),
    (
        "St Stephen's Community Pharmacy",
        "Westbourne",
        [ALL],
        ["English", "Arabic", "Gujarati"],
        [STEP_FREE],
        [
            (
                "Flu and COVID-19 vaccination",
                ["vaccination"],
                "Free for eligible people",
                [("MO,TU,WE,TH,FR", "09:00", "18:00")],
            ),
            (
                "Blood pressure checks",
                ["health_checks"],
                "Free",
                [("MO,TU,WE,TH,FR", "09:00", "18:00")],
            ),
        ],
    ),
    (
        "Edgware Road Pharmacy",
        "Hyde Park",
        [ALL],
        ["English", "Arabic", "Farsi"],
        [STEP_FREE],
        [
            (
                "Flu vaccination clinic",
                ["vaccination"],
                "Free for eligible people",
                [("MO,TU,WE,TH,FR,SA", "09:00", "19:00")],
            )
        ],
    ),
    (
        "Victoria Street Pharmacy",
        "St James's",
        [ALL],
        ["English"],
        [STEP_FREE],
        [
            (
                "Vaccination and stop smoking",
                ["vaccination", "stop_smoking"],
                "Free",
                [("MO,TU,WE,TH,FR", "08:00", "19:00")],
            )
        ],
    ),
    (
        "Knightsbridge Wellbeing Club",
        "Knightsbridge & Belgravia",
        [ALL],
        ["English"],
        [STEP_FREE],
        [
            (
                "Walking group",
                ["physical_activity", "social_connection"],
                "Free",
                [("TU", "10:00", "11:30")],
            )
        ],
    ),
    (
        "Lancaster Gate Residents' Association",
        "Lancaster Gate",
        [ALL],
        ["English"],
        [],
        [("Neighbours' afternoon tea", ["social_connection"], "Free", [("SU", "15:00", "17:00")])],
    ),
    (
        "Maida Vale Community Kitchen",
        "Maida Vale",
        [ALL],
        ["English", "Arabic"],
        [STEP_FREE],
        [
            (
                "Community kitchen and healthy eating",
                ["food_support", "weight_management"],
                "£2",
                [("TH", "17:00", "19:30")],
            )
        ],
    ),
    (
        "Abbey Road Neighbourhood Forum",
        "Abbey Road",
        [ALL],
        ["English"],
        [STEP_FREE],
        [
            (
                "Community health champions",
                ["health_information"],
                "Free",
                [("WE", "18:00", "20:00")],
            )
        ],
    ),
    (
        "Regent's Park Estate Community Centre",
        "Regent's Park",
        ["Global Majority"],
        ["English", BENGALI, "Somali"],
        [STEP_FREE],
        [
            (
                "Women's swimming (women-only)",
                ["physical_activity", "weight_management"],
                "£1.50 a session",
                [("SU", "08:00", "10:00")],
            ),
            ("Diabetes peer support", ["diabetes_support"], "Free", [("TU", "13:00", "15:00")]),
        ],
    ),
    (
        "Little Venice Sports Centre",
        "Little Venice",
        [ALL],
        ["English"],
        [STEP_FREE, HEARING_LOOP],
        [
            (
                "Exercise referral scheme",
                ["physical_activity", "weight_management"],
                "£2 a session with a referral",
                [("MO,TU,WE,TH,FR", "07:00", "21:00")],
            )
        ],
    ),
    (
        "West End Community Trust",
        "West End",
        [ALL],
        ["English", "Cantonese"],
        [STEP_FREE],
        [
            (
                "Night workers' health checks",
                ["health_checks", "screening"],
                "Free",
                [("TU", "06:00", "09:00")],
            )
        ],
    ),
    (
        "Soho Health Champions",
        "West End",
        ["Global Majority"],
        ["English", "Spanish", "Portuguese"],
        [],
        [
            (
                "Screening information stalls",
                ["screening", "health_information"],
                "Free",
                [("SA", "12:00", "16:00")],
            )
        ],
    ),
    (
        "Vincent Square Healthy Living Centre",
        "Vincent Square",
        [ALL],
        ["English"],
        [STEP_FREE],
        [
            (
                "Weight management course",
                ["weight_management"],
                "Free with a GP referral",
                [("WE", "18:00", "20:00")],
            ),
            ("Stop smoking clinic", ["stop_smoking"], "Free", [("TH", "17:00", "19:00")]),
        ],
    ),
    (
        "Pimlico Moroccan Association",
        "Pimlico North",
        ["Arab"],
        ["Arabic", "French"],
        [],
        [
            (
                "Saturday school parents' health sessions",
                ["health_checks", "health_information"],
                "Free",
                [("SA", "10:00", "13:00")],
            )
        ],
    ),
    (
        "Pimlico North Family Centre",
        "Pimlico North",
        [ALL],
        ["English", "Spanish"],
        [STEP_FREE],
        [("Baby clinic", ["maternity", "vaccination"], "Free", [("TH", "09:30", "12:00")])],
    ),
    (
        "Harrow Road Maternity Champions",
        "Harrow Road",
        ["Global Majority"],
        ["English", "Somali", "Arabic", "Tigrinya"],
        [],
        [
            (
                "Birth companions",
                ["maternity", "advice_advocacy"],
                "Free",
                [("MO,TU,WE,TH,FR", "09:00", "17:00")],
            )
        ],
    ),
    (
        "Westbourne Park Baptist Church",
        "Westbourne",
        ["Black African", "Black Caribbean"],
        ["English", "Yoruba"],
        [STEP_FREE],
        [
            (
                "Sunday health table",
                ["health_checks", "vaccination"],
                "Free",
                [("SU", "12:30", "14:30")],
            )
        ],
    ),
    (
        "Orthodox Tewahedo Church Hall",
        "Queen's Park",
        ["Black African"],
        ["Tigrinya", "Amharic"],
        [],
        [("Community health talks", ["health_information"], "Free", [("SU", "13:00", "15:00")])],
    ),
    (
        "Gujarati Seniors Group",
        "Maida Vale",
        ["Indian"],
        ["Gujarati", "English"],
        [STEP_FREE],
        [
            (
                "Seniors' yoga and chat",
                ["physical_activity", "social_connection"],
                "£1",
                [("WE", "10:00", "12:00")],
            )
        ],
    ),
    (
        "Polish Community Advice Point",
        "Pimlico South",
        ["White other"],
        ["Polish", "English"],
        [],
        [("Advice in Polish", ["advice_advocacy"], "Free", [("MO", "17:00", "19:00")])],
    ),
    (
        "Irish Elders Westminster",
        "Little Venice",
        ["White Irish"],
        ["English"],
        [STEP_FREE],
        [
            (
                "Irish lunch club",
                ["social_connection", "food_support"],
                "£3",
                [("TH", "12:00", "14:00")],
            )
        ],
    ),
    (
        "Queen's Park Local Area Coordination",
        "Queen's Park",
        [ALL],
        ["English", "Arabic", "Somali"],
        [STEP_FREE],
        [
            (
                "Local area coordinator",
                ["advice_advocacy", "mental_health"],
                "Free",
                [("MO,TU,WE,TH,FR", "09:00", "17:00")],
            )
        ],
    ),
    (
        "Church Street Neighbourhood Change4Life",
        "Church Street",
        [ALL],
        ["English", "Arabic", BENGALI],
        [STEP_FREE],
        [
            (
                "Family healthy weight programme",
                ["weight_management", "physical_activity"],
                "Free",
                [("SA", "10:00", "12:00")],
            )
        ],
    ),
]


def _point_in(ward_shape, rng: random.Random) -> tuple[float, float]:
    minx, miny, maxx, maxy = ward_shape.bounds
    while True:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        # keep clear of the boundary so simplification never moves a point out
        if ward_shape.buffer(-0.0005).contains(Point(x, y)):
            return round(y, 5), round(x, 5)


def main() -> None:
    rng = random.Random(7)
    wards = json.loads(
        resources.files("jsna.report").joinpath("data/westminster_wards.geojson").read_text()
    )
    ward_shapes = {f["properties"]["ward_name"]: shape(f["geometry"]) for f in wards["features"]}
    labels = service_types()
    services = []
    for number, (name, ward, communities, languages, access, offers) in enumerate(
        ORGANISATIONS, start=1
    ):
        org_id = f"org-{number:03d}"
        latitude, longitude = _point_in(ward_shapes[ward], rng)
        location = {
            "id": f"loc-{number:03d}",
            "name": name,
            "latitude": latitude,
            "longitude": longitude,
            "addresses": [
                {
                    "address_1": f"{name} (synthetic address)",
                    "postal_code": "",
                    "city": "London",
                    "country": "GB",
                }
            ],
            "accessibility": [{"description": a} for a in access],
        }
        for k, (service_name, types, cost, times) in enumerate(offers, start=1):
            services.append(
                {
                    "id": f"{org_id}-svc-{k}",
                    "name": service_name,
                    "description": f"{service_name} run by {name}. Synthetic: written for the jsna "
                    "demo, not a real service.",
                    "status": "active",
                    "organization": {
                        "id": org_id,
                        "name": name,
                        "description": "Synthetic organisation for the jsna demo.",
                    },
                    "eligibility_description": "Adults living or working in Westminster"
                    if "maternity" not in types
                    else "Parents and carers of children under 5",
                    "languages": [{"name": x} for x in languages],
                    "cost_options": [{"option": cost}],
                    "schedules": [{"byday": d, "opens_at": o, "closes_at": c} for d, o, c in times],
                    "attributes": [
                        {
                            "taxonomy_term": {
                                "vocabulary": SERVICE_TYPE_VOCABULARY,
                                "code": t,
                                "name": labels[t].label,
                            }
                        }
                        for t in types
                    ]
                    + [
                        {
                            "taxonomy_term": {
                                "vocabulary": COMMUNITY_VOCABULARY,
                                "code": c,
                                "name": c,
                            }
                        }
                        for c in communities
                    ],
                    "service_at_locations": [
                        {"id": f"{org_id}-svc-{k}@{location['id']}", "location": location}
                    ],
                }
            )
    document = {
        "jsna:synthetic": True,
        "description": "Synthetic community asset directory for the jsna demo (Open Referral "
        "UK JSON). Every organisation and service is invented.",
        "content": services,
    }
    target = Path(__file__).resolve().parents[1] / "src/jsna/assets/data/synthetic_directory.json"
    target.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(ORGANISATIONS)} organisations, {len(services)} services → {target}")


if __name__ == "__main__":
    main()
