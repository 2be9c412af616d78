"""The questionnaire: every answer item, its type, wording and when it is asked, declared as data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Literal

from factorcheck.answers.json_input import json_literal

# The questionnaire's version: its FHIR Questionnaire carries it, and it follows the rule set's
# version (rules/ruleset.yaml), which reads these items (tests/answers/test_fhir_questionnaire.py).
QUESTIONNAIRE_VERSION = "2.0.0"

PARTS = {
    1: "Warning signs",
    2: "Your pain and its history",
    3: "Things that may add strain",
    4: "Whole-body conditions",
}

_CHOICE_LABELS: dict[str, str] = {
    "yes": "Yes",
    "no": "No",
    "not_sure": "Not sure",
    "left": "Left",
    "right": "Right",
    "both": "Both",
    "knee_first": "The knee pain came first",
    "heel_first": "The heel pain came first",
    "same_time": "They started at about the same time",
    "straight": "Straight: knees and ankles touch",
    "knock_knees": "Knock-knees: knees touch, ankles apart",
    "bow_legs": "Bow legs: ankles touch, knees apart",
    "a_little": "A little",
    "rheumatoid_arthritis": "Rheumatoid arthritis",
    "psoriatic_arthritis": "Psoriatic arthritis",
    "axial_spondyloarthritis": "Axial spondyloarthritis (including ankylosing spondylitis)",
    "gout": "Gout",
    "other_inflammatory_arthritis": "Another inflammatory arthritis",
    "osteoarthritis": "Osteoarthritis (wear-and-tear arthritis)",
    "arthritis_type_unknown": "Arthritis, but I do not know which type",
    "sleep": "Sleeping",
    "work": "Working",
    "walking": "Walking",
    "sport": "Sport or exercise",
    "back_of_heel": "The back of the heel, over the Achilles tendon",
    "lower_back": "The lower back",
    "hip": "The hip or groin",
    "thigh": "The thigh",
    "shin_or_calf": "The shin or calf",
    "ankle": "The ankle",
    "rest_or_ice": "Rest or ice",
    "painkillers": "Painkillers",
    "insoles": "Insoles or special shoes",
    "physiotherapy": "Physiotherapy",
    "injection": "An injection",
    "none": "None of these",
}


@dataclass(frozen=True)
class EnabledWhen:
    """A follow-up is asked only when `item` was answered with one of `values` (for a list item:
    when the list holds one of them)."""

    item: str
    values: tuple[object, ...]

    def describe(self) -> str:
        shown = " or ".join(json_literal(v) for v in self.values)
        return f"{self.item} is {shown}"

    def holds(self, answer: object) -> bool:
        """Whether an answer (a list's entries, for a list item) enables the follow-up."""
        if isinstance(answer, list):
            return any(entry in self.values for entry in answer)
        return answer in self.values


ItemType = Literal["yes_no_unsure", "yes_no", "boolean", "choice", "integer", "number", "choices"]
# What a measured answer is, known from its unit: it may be typed in other units (feet and inches,
# pounds, stones) and is converted to the unit asked (see conversation/units.py).
# A duration in weeks may be typed in months or years too.
UnitKind = Literal["height", "weight", "duration"]
_UNIT_KINDS: dict[str, UnitKind] = {"cm": "height", "kg": "weight", "weeks": "duration"}


@dataclass(frozen=True)
class Item:
    """Everything an interface needs to ask, check or show one answer item."""

    id: str
    part: int
    type: ItemType
    question: str
    label: str
    help: str
    unit: str
    required: bool
    choices: tuple[str, ...]
    minimum: float | None
    maximum: float | None
    enabled_when: tuple[EnabledWhen, ...]

    def choice_label(self, value: str) -> str:
        return _CHOICE_LABELS.get(value, value)

    @property
    def is_safety_item(self) -> bool:
        return self.part == 1

    @property
    def unit_kind(self) -> UnitKind | None:
        """Height, weight or duration, for a measurement that may be typed in other units; else None."""
        return _UNIT_KINDS.get(self.unit)

    def allowed(self) -> str:
        """What this item accepts, in words a person who is not a programmer follows."""
        if self.type == "boolean":
            return "true or false"
        if self.type == "integer":
            return f"a whole number from {_num(self.minimum)} to {_num(self.maximum)}"
        if self.type == "number":
            return f"a number from {_num(self.minimum)} to {_num(self.maximum)}"
        quoted = ", ".join(f'"{c}"' for c in self.choices)
        if self.type == "choices":
            return f'a list of one or more of {quoted}, each at most once; "none" and "not_sure" stand alone'
        return f"one of {quoted}"


def _num(value: float | None) -> str:
    return str(int(value)) if value is not None and value == int(value) else str(value)


@dataclass(frozen=True)
class _Kind:
    """What an item accepts: its type, and its choices or its range."""

    type: ItemType
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


def _one_of(*choices: str) -> _Kind:
    return _Kind("choice", choices)


def _any_of(*choices: str) -> _Kind:
    """A list of one or more of the choices (a checklist)."""
    return _Kind("choices", choices)


def _whole_number(minimum: int, maximum: int) -> _Kind:
    return _Kind("integer", minimum=minimum, maximum=maximum)


def _number(minimum: int, maximum: int) -> _Kind:
    """A number, whole or with decimals, in the range."""
    return _Kind("number", minimum=minimum, maximum=maximum)


YES_NO_UNSURE = _Kind("yes_no_unsure", ("yes", "no", "not_sure"))
YES_NO = _Kind("yes_no", ("yes", "no"))
BOOLEAN = _Kind("boolean")
SIDE = _one_of("left", "right", "both")
SYMPTOM_ORDER = _one_of("knee_first", "heel_first", "same_time", "not_sure")
KNEE_ALIGNMENT = _one_of("straight", "knock_knees", "bow_legs", "not_sure")
FOOT_ROLLS_IN = _one_of("yes", "a_little", "no", "not_sure")
INFLAMMATORY_DIAGNOSES = _any_of(
    "rheumatoid_arthritis",
    "psoriatic_arthritis",
    "axial_spondyloarthritis",
    "gout",
    "other_inflammatory_arthritis",
    "osteoarthritis",
    "arthritis_type_unknown",
    "none",
    "not_sure",
)
PAIN_STOPS = _any_of("sleep", "work", "walking", "sport", "none")
PAIN_PLACES = _any_of("back_of_heel", "lower_back", "hip", "thigh", "shin_or_calf", "ankle", "none")
TREATMENTS = _any_of(
    "rest_or_ice", "painkillers", "stretching", "insoles", "physiotherapy", "injection", "none"
)


def _item(
    id: str,
    kind: _Kind,
    *,
    question: str,
    label: str,
    help: str = "",
    unit: str = "",
    enabled_when: tuple[EnabledWhen, ...] = (),
    required: bool = False,
) -> partial[Item]:
    """Declare one questionnaire item, its wording next to its type; the part it is listed in numbers it."""
    return partial(
        Item,
        id=id,
        type=kind.type,
        question=question,
        label=label,
        help=help,
        unit=unit,
        required=required,
        choices=kind.choices,
        minimum=kind.minimum,
        maximum=kind.maximum,
        enabled_when=enabled_when,
    )


def _numbered(*parts: tuple[partial[Item], ...]) -> tuple[Item, ...]:
    """The items of every part in order, each knowing its part's number (1 for the first)."""
    return tuple(declared(part=number) for number, items in enumerate(parts, 1) for declared in items)


_INJURY = (EnabledWhen("rf_recent_injury", ("yes", "not_sure")),)
_DIABETES = (EnabledWhen("rf_diabetes", ("yes", "not_sure")),)
_HEEL = (EnabledWhen("heel_pain", (True,)),)
_KNEE = (EnabledWhen("knee_pain", (True,)),)
# On a list item, a follow-up is asked when the list holds one of the values.
_ACHILLES = (EnabledWhen("pain_elsewhere", ("back_of_heel",)),)
# The ages at which a hip problem of growth most often shows (NICE CKS, limp in children).
_AGE_9_TO_16 = (EnabledWhen("age_years", tuple(range(9, 17))),)

# Part 1: the safety screen. "not_sure" counts as "yes" in the triage rules.
_WARNING_SIGNS = (
    _item(
        "rf_recent_injury",
        YES_NO_UNSURE,
        question="In the last 7 days, did the pain start or get much worse after a fall, a twist or a blow?",
        label="Pain began or got much worse after a fall, twist or blow in the last 7 days",
    ),
    _item(
        "rf_cannot_bear_weight",
        YES_NO_UNSURE,
        question="Right now, are you unable to take 4 steps on the painful leg, even with a limp?",
        label="Cannot take 4 steps on the leg right now",
    ),
    _item(
        "rf_deformity_or_snap",
        YES_NO_UNSURE,
        question="Does your knee, ankle or foot look out of shape, or did you hear or feel a snap or pop when it happened?",
        label="Knee, ankle or foot looks out of shape, or there was a snap or pop",
    ),
    _item(
        "rf_knee_locked",
        YES_NO_UNSURE,
        question="Is your knee stuck, so that it will not bend as far as a right angle or will not straighten?",
        label="Knee stuck: will not bend to a right angle or will not straighten",
    ),
    _item(
        "rf_rapid_knee_swelling",
        YES_NO_UNSURE,
        question="Did your knee swell up a lot within a couple of hours of that injury?",
        label="Knee swelled a lot within hours of the injury",
        enabled_when=_INJURY,
    ),
    _item(
        "rf_hot_swollen_fever",
        YES_NO_UNSURE,
        question="Is a joint or your foot hot, red and swollen, and do you also have a fever, shivers or feel very unwell?",
        label="Hot, red, swollen joint or foot with fever, shivers or feeling very unwell",
    ),
    _item(
        "rf_calf_swelling",
        YES_NO_UNSURE,
        question="Is one calf swollen, throbbing, warm, red or darker than usual, or sore to touch?",
        label="One calf swollen, throbbing, warm, red or darker, or sore to touch",
    ),
    _item(
        "rf_breathless_chest_pain",
        YES_NO_UNSURE,
        question="Do you have sudden shortness of breath or chest pain, or are you coughing up blood?",
        label="Sudden shortness of breath, chest pain or coughing up blood",
    ),
    _item(
        "rf_numbness_tingling",
        YES_NO_UNSURE,
        question="Do you have numbness, tingling, burning or electric-shock pain, or weakness, in your foot or leg?",
        label="Numbness, tingling, burning or shooting pain, or weakness, in the foot or leg",
    ),
    _item(
        "rf_night_rest_pain",
        YES_NO_UNSURE,
        question="Is the pain there all the time, even when you rest, or does it wake you at night?",
        label="Pain all the time, even at rest, or waking you at night",
    ),
    _item(
        "rf_systemic",
        YES_NO_UNSURE,
        question="Have you lost weight without trying, had fevers or night sweats, or have you ever had cancer?",
        label="Weight loss without trying, fevers or night sweats, or a history of cancer",
    ),
    _item(
        "rf_diabetes",
        YES_NO_UNSURE,
        question="Do you have diabetes?",
        label="Diabetes",
    ),
    _item(
        "rf_diabetic_foot_change",
        YES_NO_UNSURE,
        question="Is your foot red, warm or swollen, has its shape changed, or does it have a wound or ulcer?",
        label="Foot red, warm, swollen, changed in shape, or with a wound or ulcer",
        enabled_when=_DIABETES,
    ),
    _item(
        "rf_severe_or_worsening",
        YES_NO_UNSURE,
        question="Is the pain severe, does it stop you doing normal things, or does it keep getting worse?",
        label="Pain severe, stopping normal activities, or getting worse",
    ),
    # Rule set 2.0.0 (issue 19): the red flags of leg, knee and heel pain beyond the first screen.
    _item(
        "rf_stroke_signs",
        YES_NO_UNSURE,
        question="Has one side of your face, one arm or one leg suddenly gone weak or numb? Or has your "
        "face dropped on one side, or your speech become slurred or muddled?",
        label="Sudden weakness or numbness on one side, a drooping face, or slurred or muddled speech",
    ),
    _item(
        "rf_saddle_numbness_or_bladder",
        YES_NO_UNSURE,
        question="Is the skin between your legs or around your bottom numb? Or is it newly hard to pass "
        "urine, or to hold in urine or stools?",
        label="Numbness between the legs or around the bottom, or new trouble passing or holding urine or stools",
    ),
    _item(
        "rf_cold_pale_limb",
        YES_NO_UNSURE,
        question="Has a foot or leg suddenly turned white, pale or blue, or does it feel cold, or numb "
        "and hard to move?",
        label="A foot or leg suddenly white, pale or blue, cold, or numb and hard to move",
    ),
    _item(
        "rf_tight_swollen_after_injury",
        YES_NO_UNSURE,
        question="After a blow, a fall or a tight plaster cast, does the pain keep getting worse, far "
        "worse than you would expect? And does your calf or shin feel tight, hard and swollen?",
        label="After a blow, fall or tight cast: pain far worse than expected and growing, "
        "with a tight, hard, swollen calf or shin",
    ),
    _item(
        "rf_achilles_snap",
        YES_NO_UNSURE,
        question="Did you feel a sudden pop, snap or kick at the back of your heel or ankle? And now you "
        "cannot stand on tiptoe or push off with that foot?",
        label="A sudden pop, snap or kick at the back of the heel or ankle, then no tiptoe or push-off",
    ),
    _item(
        "rf_spreading_redness",
        YES_NO_UNSURE,
        question="Is skin on your leg or foot red, hot, swollen and spreading, or has a wound or blister "
        "become red, hot or oozing?",
        label="Red, hot, swollen skin on the leg or foot that is spreading, or a wound or blister "
        "turned red, hot or oozing",
    ),
    _item(
        "rf_new_weakness",
        YES_NO_UNSURE,
        question="Is your leg newly weak? For example, your foot slaps down or your toes catch when you "
        "walk, or the leg gives way because it feels weak.",
        label="New weakness: the foot slaps down, the toes catch, or the leg gives way from weakness",
    ),
    _item(
        "rf_bone_lump",
        YES_NO_UNSURE,
        question="Is there a hard lump on or near a bone of your leg or foot?",
        label="A hard lump on or near a bone of the leg or foot",
    ),
    _item(
        "rf_knee_gives_way",
        YES_NO_UNSURE,
        question="Without a new injury, does your knee give way, or catch or lock for a moment and then "
        "free itself?",
        label="Knee gives way, or catches or locks for a moment, without a new injury",
    ),
    _item(
        "rf_immunosuppressed",
        YES_NO_UNSURE,
        question="Does a medicine you take make it hard for your body to fight germs? This includes "
        "steroid tablets, methotrexate, biologic drugs and chemo.",
        label="A medicine that weakens the defence against infection "
        "(such as methotrexate, steroid tablets, a biologic or chemotherapy)",
    ),
    _item(
        "rf_red_hot_joint_or_skin",
        YES_NO_UNSURE,
        question="Is a joint, or the skin of your leg or foot, red, hot or swollen?",
        label="A joint or the skin of the leg or foot red, hot or swollen",
    ),
)

# Part 2: pain and history.
_PAIN_AND_HISTORY = (
    _item(
        "age_years",
        _whole_number(1, 120),
        question="How old are you, in years?",
        label="Age",
        unit="years",
        required=True,
    ),
    _item(
        "heel_pain",
        BOOLEAN,
        question="Do you have pain under your heel or along the arch of your foot?",
        label="Pain under the heel or along the arch",
        required=True,
    ),
    _item(
        "heel_pain_first_steps",
        YES_NO_UNSURE,
        question="Is that heel pain worst with your first steps in the morning, or when you stand up after sitting?",
        label="Heel pain worst with the first steps after sleep or sitting",
        enabled_when=_HEEL,
    ),
    _item(
        "heel_pain_side",
        SIDE,
        question="Which heel hurts?",
        label="Which heel hurts",
        enabled_when=_HEEL,
    ),
    _item(
        "heel_pain_weeks",
        _whole_number(0, 520),
        question="About how many weeks have you had the heel pain?",
        label="Weeks of heel pain",
        unit="weeks",
        enabled_when=_HEEL,
    ),
    _item(
        "knee_pain",
        BOOLEAN,
        question="Do you have knee pain?",
        label="Knee pain",
        required=True,
    ),
    _item(
        "knee_pain_side",
        SIDE,
        question="Which knee hurts?",
        label="Which knee hurts",
        enabled_when=_KNEE,
    ),
    _item(
        "knee_pain_weeks",
        _whole_number(0, 520),
        question="About how many weeks have you had the knee pain?",
        label="Weeks of knee pain",
        unit="weeks",
        enabled_when=_KNEE,
    ),
    _item(
        "symptom_order",
        SYMPTOM_ORDER,
        question="Which pain started first?",
        label="Which pain started first",
        enabled_when=(*_HEEL, *_KNEE),
    ),
    _item(
        "knee_injury",
        YES_NO_UNSURE,
        question="Have you ever had a serious knee injury or knee operation, such as a torn ligament or cartilage, or a dislocated knee?",
        label="A past serious knee injury or knee operation",
    ),
    _item(
        "knee_alignment",
        KNEE_ALIGNMENT,
        question="Stand with your feet together. Which looks most like your legs?",
        label="Leg shape when standing with feet together",
        help="Knock-knees: the knees touch but the ankles stay apart. "
        "Bow legs: the ankles touch but the knees stay apart.",
    ),
    _item(
        "gait_changed_by_knee",
        YES_NO_UNSURE,
        question="Because of your knee, do you limp, walk differently, or lean on one leg?",
        label="Limping, walking differently or leaning on one leg because of the knee",
        enabled_when=_KNEE,
    ),
    _item(
        "limp_from_heel",
        YES_NO_UNSURE,
        question="Because of your heel, do you limp, or walk on your toes or on the outer edge of your foot?",
        label="Limping, or walking on the toes or the outer edge of the foot, because of the heel",
        enabled_when=_HEEL,
    ),
    # A hip problem of growing children (slipped upper femoral epiphysis) often shows as knee pain.
    _item(
        "thigh_or_hip_pain",
        YES_NO_UNSURE,
        question="Do you also have pain in your hip, groin or thigh?",
        label="Pain in the hip, groin or thigh",
        enabled_when=_AGE_9_TO_16,
    ),
    _item(
        "limp_or_foot_turned_out",
        YES_NO_UNSURE,
        question="Do you limp, or does one foot point outwards more than the other when you walk?",
        label="Limping, or one foot pointing outwards when walking",
        enabled_when=_AGE_9_TO_16,
    ),
    # What a clinician asks first (issue 19): how bad, what it stops, where else, what was tried.
    _item(
        "pain_now",
        _whole_number(0, 10),
        question="How bad is your pain right now, from 0 (no pain) to 10 (the worst pain you can imagine)?",
        label="Pain right now, 0 to 10",
        unit="points",
    ),
    _item(
        "pain_stops",
        PAIN_STOPS,
        question="Does the pain stop you doing any of these? Choose all that apply.",
        label="What the pain stops",
    ),
    _item(
        "pain_elsewhere",
        PAIN_PLACES,
        question="Is your main pain also, or rather, in any of these places? Choose all that apply.",
        label="Pain also or rather in",
        help="This tool covers knee pain and pain under the heel. Pain elsewhere needs its own check.",
    ),
    _item(
        "achilles_pain_side",
        SIDE,
        question="Which heel hurts at the back, over the Achilles tendon?",
        label="Which Achilles tendon hurts",
        enabled_when=_ACHILLES,
    ),
    _item(
        "achilles_pain_weeks",
        _whole_number(0, 520),
        question="About how many weeks have you had the pain at the back of the heel?",
        label="Weeks of pain at the back of the heel",
        unit="weeks",
        enabled_when=_ACHILLES,
    ),
    _item(
        "treatments_tried",
        TREATMENTS,
        question="What have you already tried for the pain? Choose all that apply.",
        label="Treatments already tried",
    ),
)

# Part 3: contributing factors.
_STRAIN = (
    _item(
        "foot_rolls_in",
        FOOT_ROLLS_IN,
        question="Standing barefoot, does your arch flatten or your ankle roll inwards?",
        label="Arch flattens or ankle rolls inwards when standing (overpronation)",
    ),
    _item(
        "calf_tightness",
        YES_NO_UNSURE,
        question="Do your calves or Achilles tendons feel tight?",
        label="Tight calves or Achilles tendons",
        help="For example: it is hard to squat with your heels on the floor, or calf stretches feel very tight.",
    ),
    _item(
        "hip_front_tightness",
        YES_NO_UNSURE,
        question="Does the front of your hip feel tight?",
        label="Tight front of the hip",
        help="For example after sitting for a long time, when standing up straight, or when taking long steps.",
    ),
    _item(
        "height_cm",
        _number(100, 230),
        question="How tall are you?",
        label="Height",
        unit="cm",
    ),
    _item(
        "weight_kg",
        _number(25, 350),
        question="How much do you weigh?",
        label="Weight",
        unit="kg",
    ),
    _item(
        "on_feet_most_of_day",
        YES_NO,
        question="Do you spend most of your working day standing or walking?",
        label="On your feet most of the working day",
    ),
    _item(
        "activity_increase",
        YES_NO,
        question="Do you run regularly, or have you recently done much more walking, running or standing than usual?",
        label="Regular running, or a recent rise in walking, running or standing",
    ),
)

# Part 4: whole-body conditions.
_WHOLE_BODY = (
    _item(
        "inflammatory_diagnosis",
        INFLAMMATORY_DIAGNOSES,
        question="Has a doctor told you that you have any of these? Choose all that apply.",
        label="Conditions a doctor has diagnosed",
    ),
    _item(
        "spa_features",
        YES_NO_UNSURE,
        question="Have you ever had psoriasis, Crohn's disease, ulcerative colitis, or an eye inflammation called uveitis or iritis?",
        label="Psoriasis, Crohn's disease, ulcerative colitis, or uveitis/iritis",
    ),
    _item(
        "inflammatory_back_pain",
        YES_NO_UNSURE,
        question="Have you had low back pain for 3 months or more that began before age 45, "
        "gets better when you move but not when you rest, and wakes you in the second half of the night?",
        label="Long-lasting low back pain that eases with movement and wakes you late at night",
    ),
    _item(
        "other_joint_swelling",
        YES_NO_UNSURE,
        question="Do other joints, such as your hands, wrists, ankles or toes, get swollen or painful?",
        label="Other joints (hands, wrists, ankles, toes) swollen or painful",
    ),
)

ITEMS: tuple[Item, ...] = _numbered(_WARNING_SIGNS, _PAIN_AND_HISTORY, _STRAIN, _WHOLE_BODY)
ITEMS_BY_ID: dict[str, Item] = {item.id: item for item in ITEMS}
SAFETY_ITEMS: tuple[Item, ...] = tuple(item for item in ITEMS if item.is_safety_item)
PAIRED_ITEMS: tuple[tuple[str, str], ...] = (("height_cm", "weight_kg"),)
EXCLUSIVE_CHOICES: tuple[str, ...] = ("none", "not_sure")
