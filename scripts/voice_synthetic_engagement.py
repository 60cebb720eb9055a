"""Write the synthetic engagement set and its hand labels (jsna.voice demo data).

Every comment below was written for jsna, in our own words, to read like the
conversations the Westminster JSNA on Global Majority communities (2024)
summarises; none is a real resident's words. Each session is one engagement
event (method, community organisation, ward, date); each comment carries the
themes we assigned by hand when writing it (codes in THEME_CODES), so the
labels were fixed before any coder ran. Respondents' age band and sex are drawn
with a fixed seed; a fifth of comments give no sex, as in real engagement.

Run from the repository root:  python scripts/voice_synthetic_engagement.py
Writes src/jsna/voice/data/synthetic_engagement.csv and hand_labels.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

THEME_CODES = {
    "U": "understanding",
    "A": "access_acceptability",
    "D": "discrimination",
    "P": "practical_barriers",
    "T": "trust",
    "C": "ask_community_led",
    "S": "ask_socialise",
    "I": "ask_individual_support",
    "W": "ask_culturally_aware_workforce",
    "H": "ask_health_information",
}
AGE_BANDS = ("18-24", "25-34", "35-49", "50-64", "65-74", "75+")
BENGALI = "Bengali (with Sylheti and Chatgaya)"

# (method, community organisation, ward, ethnic group, language, date, comments)
# each comment: (theme codes, text)
SESSIONS: list[tuple[str, str, str, str, str, str, list[tuple[str, str]]]] = [
    (
        "focus group",
        "Bangladeshi community society",
        "Church Street",
        "Bangladeshi",
        BENGALI,
        "2023-05-10",
        [
            (
                "U",
                "Many of our elders think diabetes is just part of getting old, so they do not "
                "go for checks.",
            ),
            (
                "A W",
                "The diet sheet from the surgery said cut out rice and chapati, but that is "
                "every meal in our house.",
            ),
            (
                "P",
                "My husband works nights in a restaurant, the clinic is only open when he sleeps.",
            ),
            ("C", "If the nurse came to the society on a Saturday, the uncles would all turn up."),
            (
                "I",
                "Our health advocate phoned the practice for my mother and she finally got her "
                "foot check.",
            ),
            ("P", "The letters come in English and my mother puts them in a drawer."),
            ("H", "A short Sylheti video on the family WhatsApp would do more than any leaflet."),
        ],
    ),
    (
        "coffee morning",
        "Church pantry and warm welcome café",
        "Harrow Road",
        "Black Caribbean",
        "English",
        "2023-06-14",
        [
            ("S", "Coming here every Tuesday is the only time I talk to anyone all week."),
            ("D", "When I said my knee was agony the doctor acted like I was exaggerating."),
            (
                "T",
                "My generation remembers how we were treated when we arrived, so we keep our "
                "distance from the hospital.",
            ),
            ("P", "Pension day is a long way off and the meter is already in the red."),
            ("C S", "The pantry is where people feel safe, so put the blood pressure checks here."),
            ("", "The tea and biscuits are lovely and the volunteers are kind."),
        ],
    ),
    (
        "survey",
        "Middle Eastern women's organisation",
        "Westbourne",
        "Arab",
        "Arabic",
        "2023-07-03",
        [
            (
                "A W",
                "I want a woman doctor for anything private and they said there was no choice.",
            ),
            (
                "P",
                "There was no Arabic interpreter, my twelve year old had to explain my symptoms.",
            ),
            ("H", "Please send health news in Arabic through the mothers' WhatsApp group."),
            (
                "S",
                "The women here have become my family, I was so alone before I found this group.",
            ),
            ("P", "We live six people in two rooms and the damp makes the children cough."),
            (
                "U",
                "Talking about sadness or nerves is not done, people say pray more and be patient.",
            ),
            ("I", "The advice worker sat with me for an hour to do the housing form."),
        ],
    ),
    (
        "focus group",
        "Somali parents' network",
        "Queen's Park",
        "Black African",
        "Somali",
        "2023-07-19",
        [
            (
                "T",
                "People heard the vaccine was not safe for Black children and nobody in the "
                "clinic explained.",
            ),
            (
                "H",
                "A Somali mum speaking on community radio would reach more families than posters.",
            ),
            ("A", "I waited three months for the speech therapy referral and then it was lost."),
            (
                "U",
                "Some fathers think autism is a shame on the family, so children are kept at home.",
            ),
            ("D", "At the school meeting they assumed I did not understand because of my scarf."),
            ("C", "Run the sessions at the Somali centre, the mothers already go there every day."),
        ],
    ),
    (
        "community event",
        "Queen's Park community festival",
        "Queen's Park",
        "Black Caribbean",
        "English",
        "2023-08-12",
        [
            ("", "Great day, the steel band was brilliant."),
            ("A", "The walk-in centre closed and now I have to go miles for a blood test."),
            ("P", "Two buses to the hospital with a pram is not a trip, it is an expedition."),
            ("S", "Bring back the Friday domino club, the men have nowhere to meet now."),
            ("H", "Put the screening information on the big screen at events like this."),
            ("T", "I trust the pharmacist on the corner more than anyone at the surgery."),
        ],
    ),
    (
        "one-to-one conversation",
        "Local area coordination",
        "Church Street",
        "Pakistani",
        "Urdu",
        "2023-09-05",
        [
            ("P", "I have to choose between the gas bill and the prescription some months."),
            ("I", "Having one person I can ring, who knows my story, has changed everything."),
            ("A", "Every time I call the surgery the receptionist says ring back at eight."),
            ("U", "My father will not use a walking stick because people will see he is weak."),
            (
                "W",
                "The physio did not know I would be fasting, she booked me at lunchtime in "
                "Ramadan.",
            ),
        ],
    ),
    (
        "focus group",
        "Chinese community centre",
        "West End",
        "Chinese",
        "Cantonese",
        "2023-09-21",
        [
            (
                "U",
                "Older people prefer herbal medicine first and see the GP only as a last resort.",
            ),
            ("P", "The booking is only on an app and my parents cannot read the English screens."),
            ("H", "Use WeChat groups, that is where our community reads the news."),
            ("A", "The hospital letter gave a date but no way to change it, so my aunt missed it."),
            ("S", "Tai chi in the square every morning keeps us well and we see our friends."),
            ("W", "A doctor who speaks Cantonese would make my mother less frightened."),
        ],
    ),
    (
        "coffee morning",
        "Bayswater older people's club",
        "Bayswater",
        "White British",
        "English",
        "2023-10-04",
        [
            ("S", "Since my wife passed I come for the company more than the coffee."),
            (
                "P",
                "The lift in our block has been broken for weeks so I cannot get down to the "
                "clinic.",
            ),
            ("A", "I can never get a face to face appointment, it is always the telephone now."),
            ("P", "My grandson does the online things for me, I have no idea how."),
            ("", "The new benches in the park are very welcome."),
        ],
    ),
    (
        "survey",
        "Tenants' association",
        "Harrow Road",
        "Black African",
        "English",
        "2023-10-18",
        [
            ("P", "Mould on the bedroom walls, the baby's chest is always bad."),
            ("P", "When the rent goes up, food is the first thing we cut."),
            (
                "T",
                "I am afraid that if I tell the health visitor about the flat they will call "
                "social services.",
            ),
            (
                "I",
                "We need someone on the estate who can help with the council and the doctor in "
                "one place.",
            ),
            (
                "D",
                "Repairs come quickly in the private blocks but we wait months; it feels like "
                "we count for less.",
            ),
            ("C", "Use the community room on the estate for health sessions, everybody knows it."),
        ],
    ),
    (
        "focus group",
        "Filipino workers' association",
        "Marylebone",
        "Asian other",
        "Tagalog",
        "2023-11-02",
        [
            ("P", "We work long shifts as carers and cleaners, there is no time for a smear test."),
            ("T", "Some are scared that using the NHS will cause trouble with their visa."),
            (
                "H",
                "Make a short video in Tagalog about what the checks are and that they are free.",
            ),
            ("C", "Our church on Sunday is the one time everyone is together."),
            ("A", "I did not know I could register with a GP without proof of address."),
        ],
    ),
    (
        "coffee morning",
        "Arabic-speaking mothers' group",
        "Church Street",
        "Arab",
        "Arabic",
        "2023-11-15",
        [
            ("S", "This group is my break from four walls and three children."),
            ("P", "There is nobody to leave the little ones with, so I miss my own appointments."),
            ("W", "The healthy eating talk was about salads, not the food we cook at home."),
            ("H", "Explain the vaccines in Arabic, face to face, so we can ask questions."),
            ("U", "Many women believe that a big baby is a healthy baby."),
            ("I", "A mother from our community who visits new mums would help so much."),
        ],
    ),
    (
        "community event",
        "Mosque open day",
        "Church Street",
        "Bangladeshi",
        BENGALI,
        "2023-12-01",
        [
            ("C", "Do the blood pressure checks in the mosque hall after Friday prayers."),
            ("U", "Some brothers think illness is a test from God and do not seek help early."),
            ("H", "The imam can announce health talks, people listen to him."),
            ("T", "People trust the mosque committee, not letters from the NHS."),
            ("W", "Doctors should understand how to adjust diabetes medicine during Ramadan."),
        ],
    ),
    (
        "focus group",
        "Black women's health group",
        "Westbourne",
        "Black African",
        "English",
        "2024-01-10",
        [
            ("D", "My eczema was missed for years because nobody knew how it looks on dark skin."),
            (
                "D T",
                "In labour they did not believe my pain, and now many of us are afraid of the "
                "maternity ward.",
            ),
            ("W", "We need midwives who understand our births and our families."),
            ("S", "A walking group for Black women would get us moving and talking."),
            ("A", "I was passed between four departments and nobody owned my case."),
            ("H", "Put the fibroids information on Instagram, that is where younger women look."),
        ],
    ),
    (
        "one-to-one conversation",
        "Community champions",
        "Pimlico North",
        "White other",
        "Portuguese",
        "2024-01-24",
        [
            ("P", "I clean offices at night and sleep in the day, the surgery hours never fit."),
            ("A", "I did not know I was entitled to the flu jab until a champion told me."),
            ("I", "The champion came with me to register at the GP and it was easy after that."),
            ("P", "My English is not good on the phone, I panic and hang up."),
        ],
    ),
    (
        "survey",
        "Youth club",
        "Church Street",
        "Mixed White and Black Caribbean",
        "English",
        "2024-02-07",
        [
            ("U", "Boys round here think therapy is for weak people."),
            ("S", "We need somewhere to hang out that is not the street."),
            ("H", "Put mental health stuff on TikTok, nobody reads leaflets."),
            ("T", "Nobody trusts the police or the council, so why would we trust the doctor?"),
            ("P", "The gym costs more than my phone contract."),
            ("C", "Let young people run the sessions themselves, we would actually come."),
        ],
    ),
    (
        "focus group",
        "Sudanese and Eritrean families group",
        "Harrow Road",
        "Black African",
        "Tigrinya",
        "2024-02-21",
        [
            ("P", "The interpreter on the phone kept cutting out and the doctor gave up."),
            (
                "U",
                "After what we lived through, people hold it inside; there is no word for "
                "trauma in our language.",
            ),
            ("T", "Forms that ask about immigration make people stay away from any service."),
            ("I", "A caseworker who stays with the family through the whole process."),
            ("H", "Audio messages in Tigrinya, because many elders cannot read."),
            ("C", "The Orthodox church has the whole community every Sunday."),
        ],
    ),
    (
        "coffee morning",
        "Pimlico community hub",
        "Pimlico South",
        "White other",
        "Polish",
        "2024-03-06",
        [
            (
                "S",
                "I moved here for work and I do not know my neighbours; this is my only social "
                "life.",
            ),
            ("A", "The dentist list is closed everywhere, I go back to Poland for treatment."),
            ("H", "Information in Polish on the hub noticeboard would help."),
            ("", "The hub volunteers are very friendly."),
            ("P", "Private rent takes two thirds of my wage."),
        ],
    ),
    (
        "focus group",
        "Bangladeshi women's exercise group",
        "Church Street",
        "Bangladeshi",
        BENGALI,
        "2024-03-20",
        [
            ("W", "Women-only swimming with a female instructor, then our husbands will agree."),
            ("S", "Exercising together every week, we laugh and forget our worries."),
            (
                "U",
                "Older women think walking for exercise looks strange, you only walk to the shops.",
            ),
            (
                "A",
                "The weight management course was twelve weeks of evenings; none of us could go.",
            ),
            ("I", "The over fifty-fives class works because the health advocate rings each of us."),
            ("P", "The class is free, if it cost anything we would not come."),
        ],
    ),
    (
        "survey",
        "Westminster residents' panel",
        "Knightsbridge & Belgravia",
        "White British",
        "English",
        "2024-04-03",
        [
            ("", "Services are generally good in my experience."),
            ("A", "Getting a GP appointment within two weeks is impossible."),
            ("H", "A single website that lists all the local health activities would be useful."),
            ("S", "Many older residents here live alone behind closed doors."),
        ],
    ),
    (
        "focus group",
        "Moroccan community association",
        "Queen's Park",
        "Arab",
        "Arabic",
        "2024-04-17",
        [
            ("D", "The receptionist was rude to me as soon as she heard my accent."),
            ("T", "We only believe what our own people tell us about health."),
            ("W", "Staff who know our culture would not judge us for how we live."),
            ("P", "Many of us cannot read the appointment texts in English."),
            (
                "C",
                "Health checks at the association during the Saturday school would catch all "
                "the parents.",
            ),
            ("U", "People think mental illness is the evil eye or a weakness of faith."),
        ],
    ),
    (
        "one-to-one conversation",
        "Carers' support service",
        "Maida Vale",
        "Indian",
        "Gujarati",
        "2024-05-08",
        [
            (
                "U D",
                "The social worker said Indian families always care for their own, so I was "
                "offered no respite.",
            ),
            ("U", "I never called myself a carer, it is just what a daughter does."),
            ("P", "I gave up my job to care for my mother and money is very tight."),
            ("I", "A named worker who checks on us both would stop me breaking down."),
        ],
    ),
    (
        "community event",
        "Little Venice summer fair",
        "Little Venice",
        "White Irish",
        "English",
        "2024-06-01",
        [
            ("", "Lovely to see so many families out in the sunshine."),
            ("S", "A regular lunch club for the older Irish community would be grand."),
            ("A", "The memory clinic took nine months to see my husband."),
            ("H", "Tell people about the bowel screening kit, my brother threw his away."),
        ],
    ),
    (
        "focus group",
        "Afghan refugee families",
        "Westbourne",
        "Asian other",
        "Pashto",
        "2024-06-19",
        [
            ("P", "We are in a hotel room and moved every few months; we lose the GP each time."),
            ("T", "People are frightened that a doctor's record will affect their asylum case."),
            ("I", "A support worker who speaks Pashto and follows us when we move."),
            ("U", "Women will not see a male doctor, even when they are very ill."),
            ("H", "Health talks in Dari and Pashto at the hotel, with time for questions."),
        ],
    ),
    (
        "survey",
        "Health literacy workshop (community trust)",
        "Harrow Road",
        "Black Caribbean",
        "English",
        "2024-07-03",
        [
            ("H", "The workshop explained blood pressure better than any doctor ever did."),
            ("H", "More workshops like this in the library and the church hall, please."),
            (
                "U",
                "I stopped my tablets when I felt fine because I did not understand they were "
                "for life.",
            ),
            ("T", "I believe the community trust because they are from here."),
            ("A", "Nobody at the practice ever explained my results to me."),
            ("C", "Have people from the estate train as health champions and run the sessions."),
        ],
    ),
    (
        "coffee morning",
        "Church pantry and warm welcome café",
        "Harrow Road",
        "Black African",
        "English",
        "2024-07-17",
        [
            ("P", "The food bank is the only reason the children eat fruit."),
            ("S", "I came for the food and stayed for the people."),
            ("C", "Hold the flu jabs at the pantry, we are all here on a Wednesday anyway."),
            ("D", "At the surgery they look at you like you are trying to get something for free."),
            ("I", "The café volunteer helped me apply for the cost of living payment."),
        ],
    ),
    (
        "focus group",
        "Latin American women's group",
        "St James's",
        "Any other ethnic group",
        "Spanish",
        "2024-09-04",
        [
            (
                "P",
                "We clean the big offices and hotels at night; the clinic is closed when we "
                "finish.",
            ),
            ("P", "Without Spanish I cannot explain my pain properly."),
            ("W", "A Spanish-speaking nurse who understands our families would be wonderful."),
            ("T", "Some women with no papers are too afraid to register anywhere."),
            ("H", "Use Facebook groups and the Latin radio station."),
            ("S", "Dancing together on Saturdays keeps us strong."),
        ],
    ),
    (
        "one-to-one conversation",
        "Local area coordination",
        "Vincent Square",
        "Black Caribbean",
        "English",
        "2024-09-18",
        [
            ("S", "I had not left the flat in a month until the coordinator took me to the club."),
            ("I", "She helped me sort the benefits, then the doctor, one thing at a time."),
            ("P", "My legs are bad and there is no bench between the bus stop and the surgery."),
            ("A", "The hospital discharged me with no follow up at all."),
        ],
    ),
    (
        "focus group",
        "Bangladeshi community society",
        "Church Street",
        "Bangladeshi",
        BENGALI,
        "2024-10-02",
        [
            ("T", "My aunty thinks the bowel kit is a way to collect our DNA."),
            (
                "H",
                "Explain cancer screening in Sylheti at the women's group, with a doctor there "
                "to answer.",
            ),
            (
                "W",
                "Doctors should know that we eat late at night in Ramadan and plan medicines "
                "around it.",
            ),
            ("C", "People come to the society because they feel at home; do the checks here."),
            ("P", "Overcrowded flats mean no space or quiet to look after your health."),
            ("A", "Getting a female GP for a smear means waiting weeks longer, so women give up."),
        ],
    ),
    (
        "survey",
        "Somali parents' network",
        "Church Street",
        "Black African",
        "Somali",
        "2024-10-16",
        [
            (
                "H",
                "Voice notes in Somali on WhatsApp, because many mothers do not read Somali "
                "either.",
            ),
            ("S", "A weekly stay and play where mums can meet each other."),
            ("P", "The clinic is three buses away since they moved it."),
            (
                "D",
                "My son's school keeps treating his behaviour as bad, not as a health need, "
                "because he is a Black boy.",
            ),
            ("I", "Someone to come with me to the autism assessment and explain it afterwards."),
        ],
    ),
    (
        "coffee morning",
        "Marylebone older people's lunch club",
        "Marylebone",
        "White British",
        "English",
        "2024-11-06",
        [
            ("S", "The lunch club is the highlight of my week."),
            ("P", "The surgery only sends messages by text and email and I do not have either."),
            ("H", "Someone should come and talk to us about the new jabs here at lunch."),
            (
                "A",
                "I was told to use the app to order my repeat prescription, I just stopped "
                "ordering it.",
            ),
            ("", "The soup was excellent today."),
        ],
    ),
    (
        "focus group",
        "Arabic-speaking men's group",
        "Westbourne",
        "Arab",
        "Arabic",
        "2024-11-20",
        [
            ("U", "Men do not go to the doctor unless they cannot stand; it is about pride."),
            ("P", "I work two jobs and cannot take time off for a health check."),
            ("T", "Rumours on social media say the health checks are for the Home Office."),
            ("C", "Do the checks at the café where the men play cards in the evening."),
            ("W", "A male Arabic-speaking health worker who understands how we think."),
            ("H", "Short Arabic videos on the group chat, not long letters."),
        ],
    ),
    (
        "focus group",
        "Eritrean women's group",
        "Queen's Park",
        "Black African",
        "Tigrinya",
        "2024-12-04",
        [
            ("S", "Coffee ceremony every Friday, we share everything there."),
            ("A", "The maternity staff never asked what I wanted, they just decided."),
            ("D", "They kept asking if my husband forced me, just because of where I come from."),
            ("I", "A birth companion from our community who speaks Tigrinya."),
            ("C", "Let our women's group host the midwife once a month."),
        ],
    ),
]


def main() -> None:
    rng = random.Random(20240101)
    out = Path(__file__).resolve().parents[1] / "src" / "jsna" / "voice" / "data"
    comments, labels = [], []
    number = 0
    for method, community, ward, group, language, date, items in SESSIONS:
        day = dt.date.fromisoformat(date)
        for codes, text in items:
            number += 1
            comment_id = f"C{number:04d}"
            sex = rng.choices(["Female", "Male", ""], weights=[5, 3, 2])[0]
            if community.lower().startswith(
                (
                    "middle eastern women",
                    "black women",
                    "arabic-speaking mothers",
                    "bangladeshi women",
                    "latin american women",
                    "eritrean women",
                )
            ):
                sex = "Female"
            if community.lower().startswith("arabic-speaking men"):
                sex = "Male"
            comments.append(
                {
                    "id": comment_id,
                    "date": day.isoformat(),
                    "method": method,
                    "community": community,
                    "ward": ward,
                    "ethnic_group": group,
                    "language": language,
                    "age_band": rng.choice(AGE_BANDS),
                    "sex": sex,
                    "text": text,
                    "synthetic": "true",
                }
            )
            themes = [THEME_CODES[c] for c in codes.split()]
            labels.append({"id": comment_id, "themes": "; ".join(themes)})
    with (out / "synthetic_engagement.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(comments[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(comments)
    with (out / "hand_labels.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "themes"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(labels)
    print(f"{len(comments)} comments written to {out}")


if __name__ == "__main__":
    main()
